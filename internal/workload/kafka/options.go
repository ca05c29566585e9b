package kafka

import "github.com/glomers/glomers/internal/workload"

// Uses says kafka's generator reads --key-count (the keys it sends to) and
// --max-writes-per-key (when a key is retired).
func (*kafka) Uses() []workload.Option {
	return []workload.Option{workload.OptKeyCount, workload.OptMaxWritesPerKey}
}
