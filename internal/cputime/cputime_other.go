//go:build !unix

package cputime

import "time"

// Process returns false: CPU time is read only on Unix.
func Process() (time.Duration, bool) { return 0, false }
