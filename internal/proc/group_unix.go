//go:build unix

package proc

import (
	"os/exec"
	"syscall"
)

// ownGroup puts the child in a process group of its own.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the child's whole process group: the negative pid names
// the group, so a node that started helpers of its own (a shell script
// running a Python program) leaves none behind.
func killGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
