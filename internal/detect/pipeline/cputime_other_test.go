//go:build !unix

package pipeline_test

import "time"

// cpuTime is not measured off unix; the cpu-ns/op metric then reads 0.
func cpuTime() time.Duration { return 0 }
