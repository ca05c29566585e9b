package txngraph

import (
	"fmt"
	"slices"
	"strings"
)

// Model is a consistency model that --consistency-models may name, as far
// as the checkers tell models apart.
type Model struct {
	Name string
	// Level is 1 for read uncommitted (Adya PL-1), 2 for read committed
	// (PL-2), 3 for anything stronger.
	Level int
	// Realtime: the model orders a transaction after every one that
	// completed before it was invoked (strict serializability).
	Realtime bool
}

// models lists the accepted names: Elle's friendly names
// (elle src/elle/consistency_model.clj).
var models = map[string]Model{
	"read-uncommitted":    {Name: "read-uncommitted", Level: 1},
	"read-committed":      {Name: "read-committed", Level: 2},
	"repeatable-read":     {Name: "repeatable-read", Level: 3},
	"snapshot-isolation":  {Name: "snapshot-isolation", Level: 3},
	"serializable":        {Name: "serializable", Level: 3},
	"strict-serializable": {Name: "strict-serializable", Level: 3, Realtime: true},
}

// aliases maps the other accepted names (Adya's, and Elle's synonyms) to
// models.
var aliases = map[string]string{
	"PL-1":                  "read-uncommitted",
	"PL-2":                  "read-committed",
	"PL-2.99":               "repeatable-read",
	"PL-SI":                 "snapshot-isolation",
	"PL-3":                  "serializable",
	"conflict-serializable": "serializable",
	"PL-SS":                 "strict-serializable",
	"strong-serializable":   "strict-serializable",
}

// DefaultModel is Maelstrom's default for --consistency-models.
const DefaultModel = "strict-serializable"

// ModelNames returns the names --consistency-models accepts, sorted.
func ModelNames() []string {
	var names []string
	for n := range models {
		names = append(names, n)
	}
	for n := range aliases {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// LookupModel finds a model by name or alias.
func LookupModel(name string) (Model, bool) {
	if a, ok := aliases[name]; ok {
		name = a
	}
	m, ok := models[name]
	return m, ok
}

// Policy is what a set of models asks of a checker.
type Policy struct {
	Models []Model
	Level  int // the strongest model's level
	// Failing are the kinds that make the history invalid.
	Failing map[string]bool
	// Realtime: some model is strict serializability, so real-time order
	// joins the dependency graph.
	Realtime bool
}

// Forbidden says, for one workload, which anomaly kinds each level of
// model forbids: Uncommitted under every model, Committed from read
// committed on, and Stronger(m) what a model above read committed adds.
type Forbidden struct {
	Uncommitted, Committed []string
	Stronger               func(m Model) []string
}

// NewPolicy reads the models named (DefaultModel when none) and collects
// the kinds they forbid. An unknown name is an error listing the known.
func NewPolicy(names []string, f Forbidden) (Policy, error) {
	if len(names) == 0 {
		names = []string{DefaultModel}
	}
	p := Policy{Failing: map[string]bool{}}
	for _, n := range names {
		m, ok := LookupModel(strings.TrimSpace(n))
		if !ok {
			return Policy{}, fmt.Errorf("--consistency-models: unknown model %q (known: %s)", n, strings.Join(ModelNames(), ", "))
		}
		p.Models = append(p.Models, m)
		p.Level = max(p.Level, m.Level)
		p.Realtime = p.Realtime || m.Realtime
		if m.Level >= 3 {
			for _, k := range f.Stronger(m) {
				p.Failing[k] = true
			}
		}
	}
	for _, k := range f.Uncommitted {
		p.Failing[k] = true
	}
	if p.Level >= 2 {
		for _, k := range f.Committed {
			p.Failing[k] = true
		}
	}
	return p, nil
}

// Names lists the models as given, for messages.
func (p Policy) Names() string {
	var s []string
	for _, m := range p.Models {
		s = append(s, m.Name)
	}
	return strings.Join(s, ", ")
}
