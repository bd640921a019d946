//go:build !linux

package main

import "os/exec"

// setPdeathsig is Linux's; elsewhere -max-lifetime bounds the server.
func setPdeathsig(*exec.Cmd) {}
