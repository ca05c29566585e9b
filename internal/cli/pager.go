package cli

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// page pipes text into the learner's pager when stdout is a terminal, as
// git does: $PAGER through the shell, or less -R with LESS=FRX (quit if
// the text fits one screen, keep colours, leave it on the screen) when
// $PAGER is unset. done reports whether a pager showed the text; when
// not (output piped, PAGER=cat, no pager to start) the caller prints it.
func page(env *Env, text string) (done bool, err error) {
	f, ok := env.Stdout.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, nil
	}
	cmd := pagerCommand(env.Getenv)
	if cmd == nil {
		return false, nil
	}
	cmd.Stdout, cmd.Stderr = f, env.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return false, nil
	}
	if err := cmd.Start(); err != nil {
		return false, nil
	}
	// Ctrl-C in the pager is the pager's: tutor waits for it to exit.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	_, werr := io.WriteString(in, text)
	cerr := in.Close()
	if err := cmd.Wait(); err != nil {
		return true, nil // the pager has spoken to the learner; nothing to add
	}
	// A learner who quits before the end closes the pipe: not a failure.
	if err := errors.Join(werr, cerr); err != nil && !errors.Is(err, syscall.EPIPE) && !errors.Is(err, os.ErrClosed) {
		return true, err
	}
	return true, nil
}

// pagerCommand returns the pager to run, or nil for none.
func pagerCommand(getenv func(string) string) *exec.Cmd {
	var cmd *exec.Cmd
	switch pager := strings.TrimSpace(getenv("PAGER")); pager {
	case "cat":
		return nil
	case "":
		less, err := exec.LookPath("less")
		if err != nil {
			return nil
		}
		cmd = exec.Command(less, "-R")
	default:
		cmd = exec.Command("sh", "-c", pager)
	}
	cmd.Env = os.Environ()
	if getenv("LESS") == "" {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if getenv("LV") == "" {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	return cmd
}
