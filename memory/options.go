package memory

import (
	"time"

	"github.com/pushwire/push"
)

// Option configures a Sender. Options cannot fail: a nil value falls back to
// the default.
type Option func(*Sender)

// WithClock makes the Sender take its time from c: the Time of each Delivery,
// when scheduled sends fall due, and the injected latency (waited with
// c.Sleep). The default, and what a nil c means, is push.SystemClock(). Tests
// pass a *pushtest.Clock to drive scheduling.
func WithClock(c push.Clock) Option {
	return func(s *Sender) {
		if c != nil {
			s.clock = c
		}
	}
}

// WithIDs makes the Sender take receipt IDs from next, called once for every
// send or schedule that is accepted (never for a refused or failed one), with
// the Sender's lock held: calls are serialized, and next must not call the
// Sender. The default, and what a nil next means, is a counter per Sender:
// "memory-1", "memory-2", ...
func WithIDs(next func() string) Option {
	return func(s *Sender) {
		if next != nil {
			s.ids, s.counterIDs = next, false
		}
	}
}

// WithCapabilities makes the Sender declare c and behave as the provider it
// describes: it refuses what c does not deliver (push.ErrUnsupported) and
// Schedule of a platform c does not schedule, and sends a device list as c's
// Support says, so a test sees what the real provider would return. With
// PerDevice, each handle is a request with its own Result in
// Receipt.Results and its own Delivery; otherwise the handles go in batches
// of BatchSize, one Delivery each, several batches listed in Receipt.Parts.
// push.DirectCapabilities makes the declaration of a direct provider:
//
//	memory.New(memory.WithCapabilities(push.DirectCapabilities("apns", push.Apple)))
//
// Without this option a Sender plays Notification Hubs: it delivers every
// platform to every target kind and batches device lists by
// push.MaxBatchDevices, reporting nothing per device. A c with no platforms
// keeps the default.
func WithCapabilities(c push.Capabilities) Option {
	return func(s *Sender) {
		if len(c.Platforms) > 0 {
			s.caps = c.Clone()
		}
	}
}

// WithLatency makes every Send, Schedule and Cancel wait d on the clock before
// it acts, as a network round trip would; see Sender.SetLatency. A d of 0 or
// less means no wait (the default).
func WithLatency(d time.Duration) Option {
	return func(s *Sender) { s.latency.Store(int64(max(d, 0))) }
}
