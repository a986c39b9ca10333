package bert

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
)

// cpuClock measures the CPU time of the benchmark's thread around its loop.
// The benchmarks share a loaded machine with other jobs, so wall-clock rates
// swing with the load; rates per CPU-second count only the time the
// benchmark was actually scheduled, which is what a kernel change moves.
type cpuClock struct {
	start float64
	ok    bool
}

func startCPU() cpuClock {
	s, ok := threadCPU(true)
	return cpuClock{s, ok}
}

// report adds work/CPU-seconds as the metric unit (e.g. "GFLOP/cpu-s" with
// work in GFLOP), next to the wall-clock rate the caller reports.
func (c cpuClock) report(b *testing.B, work float64, unit string) {
	end, ok := threadCPU(false)
	if !c.ok || !ok || end <= c.start {
		return
	}
	b.ReportMetric(work/(end-c.start), unit)
}

var errNoSchedstat = errors.New("no schedstat")

// schedstatSeconds reads the first field of a Linux schedstat file, the
// nanoseconds the thread has spent on a CPU.
func schedstatSeconds(path string) (float64, bool) {
	b, err := readSmallFile(path)
	if err != nil {
		return 0, false
	}
	f, _, _ := bytes.Cut(b, []byte(" "))
	ns, err := strconv.ParseInt(string(f), 10, 64)
	if err != nil {
		return 0, false
	}
	return float64(ns) / 1e9, true
}
