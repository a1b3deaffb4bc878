package conformance

import (
	"testing"

	"github.com/pushwire/push"
)

// Harness is one Sender under test and a view of what it emitted.
//
// The Sender must declare what it delivers (push.Capable): the suite holds
// it to the declaration. A case outside it must be refused before any I/O
// with an error matching push.ErrUnsupported; a case inside it must succeed
// or fail exactly as push.Render says.
type Harness interface {
	// Sender returns the Sender under test. When it also implements
	// push.Scheduler, the scheduling cases run against it.
	Sender() push.Sender
	// Envelopes returns every notification request that reached the service
	// since the harness was made, in the order they arrived, refused ones
	// included. A network provider returns the requests it sent, read back
	// into Envelopes with its own addressing and auth taken off: a direct
	// provider one Envelope per request, its one handle in Devices (and for
	// a browser its subscription in Subscriptions, its body decrypted). The
	// in-memory fake returns its deliveries followed by its pending
	// scheduled sends.
	Envelopes(t *testing.T) []push.Envelope
}

// NewHarness makes a fresh Harness for one case. The Sender must take its time
// from clock (token expiry, scheduling). Release resources with t.Cleanup.
type NewHarness func(t *testing.T, clock push.Clock) Harness

// DeviceMaker is implemented by a Harness whose service delivers only to the
// handles it issued (a Web Push service's endpoints and keys, say). The suite
// then asks it for the handles of its cases instead of making its own, and
// maps them back to its own before comparing with the golden files.
type DeviceMaker interface {
	// NewHandle returns a device handle of platform p that the Sender can
	// deliver to, a new one on each call.
	NewHandle(t *testing.T, p push.Platform) string
	// NewSubscription returns a Web Push subscription that the Sender can
	// deliver to, a new one on each call.
	NewSubscription(t *testing.T) push.BrowserSubscription
}

// Unregisterer is implemented by a Harness whose service can be told that a
// device handle is dead. The per-device cases need it; without it they are
// skipped, saying so.
type Unregisterer interface {
	// Unregister makes the service answer, from now on, that handle will
	// never work again: APNs 410 Unregistered, FCM UNREGISTERED, Web Push 410.
	Unregister(t *testing.T, handle string)
}

// Watcher is implemented by a Harness that can report each notification
// request as its service receives it. The cancellation case needs it, to
// cancel a large send part way; without it the case is skipped, saying so.
type Watcher interface {
	// Watch calls received for each notification request the service
	// receives from now on, on the goroutine that serves it, before it
	// answers. received must return quickly and may be called concurrently.
	Watch(t *testing.T, received func())
}
