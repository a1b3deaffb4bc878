package conformance

import (
	"testing"

	"github.com/pushwire/push"
)

// Harness is one Sender under test and a view of what it emitted.
type Harness interface {
	// Sender returns the Sender under test. When it also implements
	// push.Scheduler, the scheduling cases run against it.
	Sender() push.Sender
	// Envelopes returns what the Sender emitted since the harness was made, in
	// order. A network provider returns the requests it sent, read back into
	// Envelopes; the in-memory fake returns its deliveries followed by its
	// pending scheduled sends.
	Envelopes(t *testing.T) []push.Envelope
}

// NewHarness makes a fresh Harness for one case. The Sender must take its time
// from clock (token expiry, scheduling). Release resources with t.Cleanup.
type NewHarness func(t *testing.T, clock push.Clock) Harness
