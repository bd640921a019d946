// On Linux the soak server dies with its driver (Pdeathsig).

package main

import (
	"os/exec"
	"syscall"
)

// setPdeathsig makes the server die with the driver, whatever ends it.
func setPdeathsig(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
