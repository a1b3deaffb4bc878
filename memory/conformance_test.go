package memory_test

import (
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/memory"
)

// harness shows the suite what a memory Sender kept.
type harness struct{ s *memory.Sender }

func (h harness) Sender() push.Sender { return h.s }

// Envelopes returns the deliveries, then the pending scheduled sends.
func (h harness) Envelopes(*testing.T) []push.Envelope {
	var out []push.Envelope
	for _, d := range append(h.s.Deliveries(), h.s.Pending()...) {
		out = append(out, d.Envelope)
	}
	return out
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		return harness{memory.New(memory.WithClock(clock))}
	})
}
