package course

import (
	"slices"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/progress"
)

// HintReveal is what tutor hint shows of a step's hints: all of them in
// the order they are revealed, and the ones to show now, Hints[From:To].
// From is len(Hints) when the learner has seen them all.
type HintReveal struct {
	Hints    []book.Hint
	From, To int
}

// AllSeen reports whether the learner has seen every hint of a step
// that has some.
func (r HintReveal) AllSeen() bool { return len(r.Hints) > 0 && r.From >= len(r.Hints) }

// RevealHints picks the step's next hint the learner has not seen (every
// hint with all; the first again with reset) and remembers, in the
// learner's progress, how many were revealed. When only remembering
// fails, the reveal comes back with the error, so the hint still shows.
func RevealHints(getenv Getenv, step book.Step, all, reset bool) (HintReveal, error) {
	hints, err := step.Hints()
	if err != nil || len(hints) == 0 {
		return HintReveal{}, err
	}
	hints = HintOrder(hints)
	p, path, err := LoadProgress(getenv)
	if err != nil {
		return HintReveal{}, err
	}
	shown := p.HintsShown[step.ID]
	if reset {
		shown = 0
	}
	r := HintReveal{Hints: hints, From: shown, To: shown + 1}
	if all {
		r.From, r.To = 0, len(hints)
	}
	if r.AllSeen() {
		r.To = r.From
		return r, nil
	}
	return r, progress.Update(path, func(p *progress.Progress) { p.HintsShown[step.ID] = r.To })
}

// HintOrder puts general hints before those about particular anomalies,
// keeping the chapter's order within each group.
func HintOrder(hints []book.Hint) []book.Hint {
	out := slices.Clone(hints)
	slices.SortStableFunc(out, func(a, b book.Hint) int {
		return boolInt(len(a.Kinds) > 0) - boolInt(len(b.Kinds) > 0)
	})
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
