package report

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// RequireChromiumEnv, set to 1 (as .ci/run does), turns the browser
// test's skip for a missing Chromium into a failure.
const RequireChromiumEnv = "GLOMERS_REQUIRE_CHROMIUM"

// chromium finds Debian's chromium (or another name for the same
// browser), skipping the test when there is none, unless CI requires it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(RequireChromiumEnv) == "1" {
		t.Fatalf("chromium is not installed, and %s=1 requires it (.ci/run installs Debian's chromium package)", RequireChromiumEnv)
	}
	t.Skipf("chromium is not installed: this test renders report.html in headless Chromium (apt-get install chromium; .ci/run installs it and sets %s=1)", RequireChromiumEnv)
	return ""
}

// headless runs the browser on a file with args, returning stdout and
// stderr. The deadline only keeps a wedged browser from hanging the test.
func headless(t *testing.T, bin, file string, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	home := t.TempDir() // a profile of its own, outside the repository
	all := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + filepath.Join(home, "profile"), "--enable-logging=stderr", "--v=0",
	}, args...)
	// Chromium on this shared VM segfaults now and then at start-up
	// (about one launch in twenty, whatever the page); a crash is retried
	// a few times, a clean failure is not.
	for attempt := 1; ; attempt++ {
		cmd := exec.CommandContext(ctx, bin, append(all, "file://"+file)...)
		cmd.Env = append(os.Environ(), "HOME="+home)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err == nil {
			return stdout.String(), stderr.String()
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) && !exit.Exited() && attempt < 4 && ctx.Err() == nil {
			t.Logf("chromium crashed (%v); trying again", err)
			continue
		}
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
}

// The report opens in a real browser, without errors, and shows the
// verdict, the explanation, the plots and the diagram.
func TestReportRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser for seconds; go test -short leaves it out")
	}
	bin := chromium(t)
	res := echoRun(t)
	ev := Gather(res)
	if err := WriteFiles(res, ev, Explain(res, ev), []string{"Reply with the request's echo field."}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(res.StoreDir, "report.html")

	dom, logs := headless(t, bin, file, "--dump-dom")
	for _, want := range []string{
		`<div id="verdict" class="verdict invalid">✗ INVALID: echo-mismatch</div>`,
		"An echo came back different",
		"Reply with the request's echo field.",
		`<a href="#op-2" title="show in the message diagram">`, // the op links to its arrows
		`<g class="m recv" id="op-2">`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	// The drawings were parsed as SVG, not left as text.
	if n := strings.Count(dom, "<svg "); n != 3 {
		t.Errorf("the rendered page holds %d svg elements, want 3 (latency, rate, messages)", n)
	}
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "CONSOLE") || strings.Contains(l, "Failed to load") || strings.Contains(l, "Uncaught") {
			t.Errorf("the browser reported: %s", l)
		}
	}

	// A screenshot, kept in the test's temporary directory.
	shot := filepath.Join(t.TempDir(), "report.png")
	headless(t, bin, file, "--screenshot="+shot, "--window-size=1200,1600", "--hide-scrollbars")
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 10_000 {
		t.Errorf("screenshot is %d bytes and not a plausible PNG of the page", len(png))
	}
}
