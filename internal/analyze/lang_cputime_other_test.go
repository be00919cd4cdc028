//go:build !unix

package analyze

import "time"

// processCPU is not measured off Unix; benchmarks then report only wall time.
func processCPU() time.Duration { return 0 }
