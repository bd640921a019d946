//go:build !unix

package bench

import "time"

// CPUTime is not measured on this platform: it reports 0, and the
// benchmarks then report wall time only.
func CPUTime() time.Duration { return 0 }
