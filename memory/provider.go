package memory

import (
	"context"

	"github.com/pushwire/push"
	"github.com/pushwire/push/provider"
)

// The memory provider takes no configuration: provider.Open(ctx, "memory", "")
// returns a new *Sender with the defaults of New (system clock, counter IDs, no
// latency). Any other configuration string is an error. Type-assert the
// push.Sender to *memory.Sender to inspect it.
func init() {
	provider.Register("memory", open)
}

// open is the provider.Opener of "memory".
func open(ctx context.Context, config string) (push.Sender, error) {
	if config != "" {
		return nil, &push.Error{Op: "memory: open", Detail: `the memory provider takes no configuration; pass ""`}
	}
	if err := ctx.Err(); err != nil {
		return nil, &push.Error{Op: "memory: open", Err: err}
	}
	return New(), nil
}
