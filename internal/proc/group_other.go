//go:build !unix

package proc

import "os/exec"

// ownGroup does nothing where process groups are not available; Kill then
// stops only the node itself.
func ownGroup(*exec.Cmd) {}

func killGroup(*exec.Cmd) {}
