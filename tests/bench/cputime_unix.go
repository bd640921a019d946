//go:build unix

package bench

import (
	"syscall"
	"time"
)

// CPUTime is the CPU time (user + system) the process has used so far, all
// threads: what a request costs the machine, whatever else runs beside it.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
