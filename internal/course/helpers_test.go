package course

import (
	"path/filepath"
	"testing"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/progress"
)

// learner is a fresh progress file in a fresh working directory, so that
// a test's Start and Record touch neither the repository nor the real
// learner's progress.
func learner(t *testing.T) Getenv {
	t.Chdir(t.TempDir())
	file := filepath.Join(t.TempDir(), "progress.json")
	return func(k string) string {
		if k == progress.EnvVar {
			return file
		}
		return ""
	}
}

// lookup is the book's step id, failing the test at once if the book has
// no such step: the tests name steps the book must have.
func lookup(t *testing.T, id string) book.Step {
	t.Helper()
	s, err := book.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
