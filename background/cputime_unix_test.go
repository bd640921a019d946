//go:build unix

package background_test

import "syscall"

// cpuTime is the CPU time (user + system) the process has used so far, in
// nanoseconds, all threads: the workers' share of a benchmark too.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
