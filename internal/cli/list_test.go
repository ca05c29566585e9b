package cli

import (
	"strings"
	"testing"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
	"github.com/glomers/glomers/internal/progress"
)

func TestCourseBar(t *testing.T) {
	steps := []book.Step{{ID: "1"}, {ID: "2"}, {ID: "3"}, {ID: "4"}}
	rec := func(passed ...string) progress.Progress {
		p := progress.Progress{Steps: map[string]progress.Result{"4": {Passed: false}}}
		for _, s := range passed {
			p.Steps[s] = progress.Result{Passed: true}
		}
		return p
	}
	for _, c := range []struct {
		passed []string
		want   string
	}{
		{nil, "Course  ░░░░░░░░  0 of 4 steps passed, 1 not passed yet"},
		{[]string{"1"}, "Course  ██░░░░░░  1 of 4 steps passed, 1 not passed yet"},
		{[]string{"1", "2", "3"}, "Course  ██████░░  3 of 4 steps passed, 1 not passed yet"},
		{[]string{"1", "2", "3", "4"}, "Course  ████████  4 of 4 steps passed"},
	} {
		if got := courseBar(course.Survey(rec(c.passed...), steps), 8); got != c.want {
			t.Errorf("passed %v: %q, want %q", c.passed, got, c.want)
		}
	}
	// One pass of many steps still shows.
	many := make([]book.Step, 40)
	for i := range many {
		many[i].ID = strings.Repeat("x", i+1)
	}
	if got := courseBar(course.Survey(progress.Progress{Steps: map[string]progress.Result{"x": {Passed: true}}}, many), 28); !strings.HasPrefix(got, "Course  █░") {
		t.Errorf("a first pass of 40 steps: %q", got)
	}
	if o := course.Survey(rec("1", "3"), steps); !o.HasNext || o.Next.ID != "2" {
		t.Errorf("next step %q, %v; want 2", o.Next.ID, o.HasNext)
	}
	if o := course.Survey(rec("1", "2", "3", "4"), steps); o.HasNext {
		t.Errorf("a next step after the course is done")
	}
}
