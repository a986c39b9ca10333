//go:build linux

package cputime

import (
	"runtime"
	"syscall"
)

// threadCPU returns the CPU time the calling thread has run, in seconds,
// from /proc/thread-self/schedstat (nanosecond resolution, unlike rusage's
// ticks). lock pins the goroutine to its thread first so the start and end
// readings come from the same thread.
func threadCPU(lock bool) (float64, bool) {
	if lock {
		runtime.LockOSThread()
	} else {
		defer runtime.UnlockOSThread()
	}
	return schedstatSeconds("/proc/thread-self/schedstat")
}

func readSmallFile(path string) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	buf := make([]byte, 128)
	n, err := syscall.Read(fd, buf)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}
