// Package registry lists the workloads the harness can run.
package registry

import (
	"fmt"

	"github.com/glomers/glomers/internal/workload"
)

// Lookup returns the workload named name.
func Lookup(name string) (workload.Workload, error) {
	return nil, fmt.Errorf("unknown workload %q", name)
}
