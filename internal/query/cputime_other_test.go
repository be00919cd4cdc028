//go:build !unix

package query

import "time"

// processCPU is not available here; the benchmarks then report wall-clock throughput only.
func processCPU() (time.Duration, bool) { return 0, false }
