//go:build unix

package query

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used. The benchmarks report throughput per CPU second
// as well as per wall-clock second, because on a shared machine the wall clock also counts the time
// other processes had the core.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
