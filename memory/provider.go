package memory

import (
	"context"

	"github.com/pushwire/push"
	"github.com/pushwire/push/provider"
)

// The memory provider's configuration URL is memory://, without host, path or
// parameters: provider.Open(ctx, "memory://") returns a new *Sender with the
// defaults of New, or with the clock of provider.WithClock. Type-assert the
// provider.Sender to *memory.Sender to inspect it.
func init() {
	provider.Register("memory", open)
}

// open is the provider.Opener of "memory".
func open(ctx context.Context, u *provider.URL, o provider.Options) (provider.Sender, error) {
	if u.Host != "" || u.Path != "" {
		return nil, &push.Error{Op: "provider memory", Detail: "the memory provider's URL is memory://, with no host or path"}
	}
	if err := u.Done(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, &push.Error{Op: "provider memory", Err: err}
	}
	return New(WithClock(o.Clock)), nil
}

// Close does nothing and returns nil: a Sender holds nothing to release. It
// makes a *Sender a provider.Sender.
func (s *Sender) Close() error { return nil }

// Capabilities says what the Sender delivers: what WithCapabilities gave, or
// by default what Notification Hubs delivers (see WithCapabilities).
func (s *Sender) Capabilities() push.Capabilities { return s.caps.Clone() }
