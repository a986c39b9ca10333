//go:build js

package cputime

import (
	"fmt"
	"os"
	"syscall/js"
)

// threadCPU returns the CPU time of Node's main thread, the one running the
// Go program, in seconds: /proc/<pid>/task/<pid>/schedstat on Linux, so
// V8's background compiler and GC threads are left out. Elsewhere it falls
// back to process.cpuUsage(), which counts every thread of the process.
func threadCPU(bool) (float64, bool) {
	p := js.Global().Get("process")
	if p.Type() != js.TypeObject {
		return 0, false
	}
	pid := p.Get("pid").Int()
	if s, ok := schedstatSeconds(fmt.Sprintf("/proc/%d/task/%d/schedstat", pid, pid)); ok {
		return s, true
	}
	if p.Get("cpuUsage").Type() != js.TypeFunction {
		return 0, false
	}
	u := p.Call("cpuUsage")
	return (u.Get("user").Float() + u.Get("system").Float()) / 1e6, true
}

func readSmallFile(path string) ([]byte, error) { return os.ReadFile(path) }
