// Package registry names the workloads the harness can run, by Maelstrom's
// -w names. Adding a workload is one line in the table below (and its
// import); nothing else in the harness lists them.
package registry

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/broadcast"
	"github.com/glomers/glomers/internal/workload/echo"
	"github.com/glomers/glomers/internal/workload/gcounter"
	"github.com/glomers/glomers/internal/workload/gset"
	"github.com/glomers/glomers/internal/workload/kafka"
	"github.com/glomers/glomers/internal/workload/linkv"
	"github.com/glomers/glomers/internal/workload/listappend"
	"github.com/glomers/glomers/internal/workload/pncounter"
	"github.com/glomers/glomers/internal/workload/txn"
	"github.com/glomers/glomers/internal/workload/uniqueids"
)

// constructors build each workload; the name each answers to is its Name.
var constructors = []func() workload.Workload{
	echo.New,
	uniqueids.New,
	broadcast.New,
	gcounter.New,
	kafka.New,
	txn.New,
	gset.New,
	pncounter.New,
	linkv.New,
	listappend.New,
}

// Lookup returns a fresh workload for a -w name. An unknown name is an error
// listing the known ones.
func Lookup(name string) (workload.Workload, error) {
	for _, c := range constructors {
		if w := c(); w.Name() == name {
			return w, nil
		}
	}
	return nil, fmt.Errorf("unknown workload %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names returns the known workload names, sorted.
func Names() []string {
	names := make([]string, len(constructors))
	for i, c := range constructors {
		names[i] = c().Name()
	}
	slices.Sort(names)
	return names
}

// Meaning returns the plain words for an anomaly kind of the workload
// named, from the workload's own Kinds; false when the workload is unknown
// or does not report kind.
func Meaning(name, kind string) (workload.Meaning, bool) {
	w, err := Lookup(name)
	if err != nil {
		return workload.Meaning{}, false
	}
	l, ok := w.(workload.KindLister)
	if !ok {
		return workload.Meaning{}, false
	}
	m, ok := l.Kinds()[kind]
	return m, ok
}
