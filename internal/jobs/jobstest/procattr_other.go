//go:build unix && !linux

package jobstest

import "syscall"

// ProcAttr starts a child in a process group of its own, which StopGroup
// stops whole.
func ProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
