package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// readKeys sends what the learner types to keys, closed at the end of
// the input. From a terminal, a key acts when pressed: the terminal is
// put in raw mode (restore undoes it), Ctrl-C and Ctrl-D mean q, and
// wrap must then wrap every writer of the session, since a raw terminal
// no longer starts a new line on "\n" alone. From anything else (a
// pipe, a test), keys come one a line.
func readKeys(ctx context.Context, in io.Reader) (keys <-chan string, wrap func(io.Writer) io.Writer, restore func()) {
	ch := make(chan string)
	send := func(k string) bool {
		select {
		case ch <- k:
			return true
		case <-ctx.Done():
			return false
		}
	}
	wrap = func(w io.Writer) io.Writer { return w }
	restore = func() {}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if old, err := term.MakeRaw(int(f.Fd())); err == nil {
			restore = func() { term.Restore(int(f.Fd()), old) }
			wrap = func(w io.Writer) io.Writer { return crlfWriter{w} }
			go func() {
				defer close(ch)
				b := make([]byte, 1)
				for {
					if n, err := f.Read(b); err != nil || n == 0 {
						return
					}
					k := string(b)
					switch b[0] {
					case 3, 4: // Ctrl-C, Ctrl-D
						k = "q"
					case '\r', '\n':
						k = ""
					}
					if !send(k) {
						return
					}
				}
			}()
			return ch, wrap, restore
		}
	}
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			if !send(strings.TrimSpace(sc.Text())) {
				return
			}
		}
	}()
	return ch, wrap, restore
}

// crlfWriter ends lines with "\r\n", for a terminal in raw mode.
type crlfWriter struct{ w io.Writer }

// Unwrap returns the terminal underneath.
func (c crlfWriter) Unwrap() io.Writer { return c.w }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
