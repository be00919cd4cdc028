// Package cputime measures the CPU time this process has used. Benchmarks report CPU time per
// operation beside wall time, because on a shared machine wall time measures the neighbours as much
// as the code.
package cputime

import (
	"testing"
	"time"
)

// Report adds the CPU time per operation since start (a Process reading) to b's output as cpu-ns/op.
// It adds nothing where CPU time cannot be read.
func Report(b *testing.B, start time.Duration) {
	if end, ok := Process(); ok && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}
