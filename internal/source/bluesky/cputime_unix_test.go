//go:build unix

package bluesky

import (
	"syscall"
	"time"
)

// cpuTime is the user plus system CPU time of the whole process, which on a shared machine says more than
// wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
