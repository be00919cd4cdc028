//go:build unix

package langid

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used. Benchmarks report CPU time per operation next to
// wall time, because on a shared machine wall time measures the neighbours as much as the code.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
