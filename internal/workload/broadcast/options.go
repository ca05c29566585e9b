package broadcast

import "github.com/glomers/glomers/internal/workload"

// Uses says broadcast reads --topology, which its setup sends each node.
func (broadcastWorkload) Uses() []workload.Option {
	return []workload.Option{workload.OptTopology}
}
