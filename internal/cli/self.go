package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// SelfPath returns the path of the running tutor binary, to run it again
// as a subprocess: tutor check runs reference solutions as `tutor node
// STEP` processes, exactly as it runs a learner's node.
//
// When os.Args[0] is a bare name, the binary was found through $PATH, and
// SelfPath looks it up the same way; this matters under testscript, where
// the test binary is installed in $PATH as "tutor" and dispatches on that
// name. Otherwise it is os.Executable.
func SelfPath() (string, error) {
	return selfPath(os.Args[0], exec.LookPath, os.Executable)
}

func selfPath(arg0 string, lookPath func(string) (string, error), executable func() (string, error)) (string, error) {
	if arg0 != "" && !strings.ContainsAny(arg0, `/\`) {
		if p, err := lookPath(arg0); err == nil {
			return filepath.Abs(p)
		}
	}
	return executable()
}

// NodeCommand returns the command line that runs step's reference solution
// as a node: this binary, "node", step.
func NodeCommand(step string) ([]string, error) {
	self, err := SelfPath()
	if err != nil {
		return nil, err
	}
	return []string{self, "node", step}, nil
}
