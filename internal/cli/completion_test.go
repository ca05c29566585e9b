package cli

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// The bash script really completes, in bash: commands, then step ids.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	code, script, _ := tutor(t, "", "completion", "bash")
	if code != 0 {
		t.Fatalf("completion bash: exit %d", code)
	}
	complete := func(words ...string) string {
		t.Helper()
		arr := "(" + strings.Join(words, " ") + ")"
		cmd := exec.Command(bash, "-c", script+"\nCOMP_WORDS="+arr+"; COMP_CWORD="+
			strconv.Itoa(len(words)-1)+"; _tutor; echo ${COMPREPLY[@]}")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := complete("tutor", "ch"); got != "check" {
		t.Errorf("tutor ch<TAB> = %q, want check", got)
	}
	if got := complete("tutor", "read", "3"); got != "3a 3b 3c 3d 3e" {
		t.Errorf("tutor read 3<TAB> = %q", got)
	}
	if got := complete("tutor", "completion", "f"); got != "fish" {
		t.Errorf("tutor completion f<TAB> = %q", got)
	}
}

func TestCompletionShells(t *testing.T) {
	for _, shell := range []string{"zsh", "fish"} {
		code, out, _ := tutor(t, "", "completion", shell)
		if code != 0 || !strings.Contains(out, "6c") || !strings.Contains(out, "check") {
			t.Errorf("completion %s: exit %d, script lacks step ids or commands:\n%s", shell, code, out)
		}
	}
	code, _, stderr := tutor(t, "", "completion", "tcsh")
	if code != 2 || stderr != "tutor: completion: unknown shell \"tcsh\": bash, zsh or fish\n" {
		t.Errorf("completion tcsh: exit %d, %q", code, stderr)
	}
}
