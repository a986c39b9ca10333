// Package cputime lets benchmarks report rates per CPU-second of the
// benchmark's own thread next to the usual wall-clock rates.
package cputime

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
)

// Clock measures the CPU time of the benchmark's thread around its loop.
// The benchmarks share a loaded machine with other jobs, so wall-clock rates
// swing with the load; rates per CPU-second count only the time the
// benchmark was actually scheduled, which is what a kernel change moves.
type Clock struct {
	start float64
	ok    bool
}

// Start pins the goroutine to its thread and reads that thread's CPU time;
// Report reads it again and unpins.
func Start() Clock {
	s, ok := threadCPU(true)
	return Clock{s, ok}
}

// Report adds work/CPU-seconds as the metric unit (e.g. "GFLOP/cpu-s" with
// work in GFLOP), next to the wall-clock rate the caller reports.
func (c Clock) Report(b *testing.B, work float64, unit string) {
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
