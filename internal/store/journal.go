package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/glomers/glomers/internal/netsim"
)

// Events replays a journal: it calls yield with each event's kind, in the
// journal's order, until yield returns false. The rest of the event is
// decoded only when yield calls event, since most readers skip most
// events (a diagram wants the first few hundred messages of hundreds of
// thousands). A line that cannot be read has kind "" and an event that
// returns the error, naming the line; the reader decides whether that
// ends its reading. event is good only until yield returns.
type Events func(yield func(kind netsim.EventKind, event func() (Event, error)) bool) error

// ReadEvents replays the journal lines read from r (a Journal file).
func ReadEvents(r io.Reader) Events {
	return func(yield func(netsim.EventKind, func() (Event, error)) bool) error {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
		var (
			line int
			b    []byte
			ok   bool
		)
		// One function decodes the current line, whichever it is: a
		// closure per line would cost an allocation for each of hundreds
		// of thousands.
		event := func() (Event, error) {
			var e Event
			if err := json.Unmarshal(b, &e); err != nil {
				return e, fmt.Errorf("journal line %d: %v", line, err)
			}
			if !ok {
				return e, fmt.Errorf("journal line %d: an event without a kind", line)
			}
			return e, nil
		}
		for sc.Scan() {
			line++
			b = sc.Bytes()
			if len(b) == 0 {
				continue
			}
			var kind netsim.EventKind
			kind, ok = KindOf(b)
			if !yield(kind, event) {
				return nil
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("journal line %d: %w", line+1, err)
		}
		return nil
	}
}

// MaxKeptBytes bounds the part of a journal a run keeps in memory for its
// report, counted roughly as the events' encoded size. A run of the
// course's parameters stays well under it and its report never reads
// the journal back; a flood of messages (step 2 at a high rate, a gossip
// storm) goes past it, and the report then reads the journal file the
// run wrote, as it would for an old run. Keeping every event of such a
// run would cost hundreds of megabytes.
const MaxKeptBytes = 32 << 20

// Recorded is a run's journal as the run hands it to its report: the
// events kept in memory as they happened, or, when there were too many
// to keep, the journal file they were written to.
type Recorded struct {
	events []Event
	size   int
	max    int
	file   string
	over   bool
}

// NewRecorded keeps up to max bytes of events in memory (MaxKeptBytes when
// max is 0); past that it forgets them and replays file, which must then
// hold every event added, by the time Events is called.
func NewRecorded(file string, max int) *Recorded {
	if max <= 0 {
		max = MaxKeptBytes
	}
	return &Recorded{file: file, max: max}
}

// OpenRecorded is the journal of a run directory read from its file: for
// tools that open an old run, and tests.
func OpenRecorded(dir string) *Recorded {
	return &Recorded{file: filepath.Join(dir, Journal), over: true}
}

// eventOverhead is an Event's size beyond its body, roughly: the
// structure, the names and the slice's share.
const eventOverhead = 96

// Add keeps e, in order. It is not safe for concurrent use: the harness
// adds from the one goroutine that routes messages.
func (j *Recorded) Add(e Event) {
	if j.over {
		return
	}
	j.size += eventOverhead + len(e.Src) + len(e.Dest) + len(e.Body)
	if j.size > j.max {
		j.events, j.over = nil, true
		return
	}
	j.events = append(j.events, e)
}

// InMemory reports whether every event is held in memory, so replaying
// reads no file.
func (j *Recorded) InMemory() bool { return !j.over }

// Events replays the journal. A nil Recorded (a run that kept none) has no
// events; an unreadable file is an error.
func (j *Recorded) Events() Events {
	if j == nil {
		return func(func(netsim.EventKind, func() (Event, error)) bool) error { return nil }
	}
	if j.over {
		return func(yield func(netsim.EventKind, func() (Event, error)) bool) error {
			if j.file == "" {
				return errors.New("the journal was too long to keep and no file holds it")
			}
			f, err := os.Open(j.file)
			if err != nil {
				return err
			}
			defer f.Close()
			return ReadEvents(f)(yield)
		}
	}
	return func(yield func(netsim.EventKind, func() (Event, error)) bool) error {
		i := 0
		event := func() (Event, error) { return j.events[i], nil }
		for ; i < len(j.events); i++ {
			if !yield(j.events[i].Kind, event) {
				return nil
			}
		}
		return nil
	}
}
