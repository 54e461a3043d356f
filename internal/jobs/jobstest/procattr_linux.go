package jobstest

import "syscall"

// ProcAttr starts a child in a process group of its own, which StopGroup
// stops whole, and has the kernel kill it should the test process die
// without cleaning up, as when go test's -timeout panics.
func ProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
