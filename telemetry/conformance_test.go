package telemetry_test

import (
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
	"github.com/pushwire/push/telemetry"
)

// harness runs the suite on a telemetry Sender over a memory Sender,
// reporting to a recording SDK, and shows what reached the memory Sender.
type harness struct {
	s   push.Sender
	mem *memory.Sender
}

func (h harness) Sender() push.Sender { return h.s }

func (h harness) Envelopes(*testing.T) []push.Envelope {
	var out []push.Envelope
	for _, d := range append(h.mem.Deliveries(), h.mem.Pending()...) {
		out = append(out, d.Envelope)
	}
	return out
}

// newHarness wraps a fresh memory Sender; through a recorder as well when
// recorded is set.
func newHarness(recorded bool) conformance.NewHarness {
	return func(t *testing.T, clock push.Clock) conformance.Harness {
		mem := memory.New(memory.WithClock(clock))
		var s push.Sender = newRig(t).wrap(t, mem, telemetry.WithClock(clock))
		if recorded {
			s = recorder.New(s, recorder.WithClock(clock))
		}
		return harness{s, mem}
	}
}

// TestConformance shows the decorator changes nothing of what is sent, nor
// of what is refused.
func TestConformance(t *testing.T) { conformance.Run(t, newHarness(false)) }

// TestConformanceThroughRecorder runs the suite on a recorder over the
// decorator: two decorators stack.
func TestConformanceThroughRecorder(t *testing.T) { conformance.Run(t, newHarness(true)) }
