//go:build !unix

package bluesky

import "time"

// cpuTime is not measured where getrusage is missing; the benchmarks then report wall time only.
func cpuTime() time.Duration { return 0 }
