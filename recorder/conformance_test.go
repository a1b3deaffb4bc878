package recorder_test

import (
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
)

// harness runs the suite on a Recorder over a memory Sender and shows what
// reached the memory Sender.
type harness struct {
	rec *recorder.Recorder
	mem *memory.Sender
}

func (h harness) Sender() push.Sender { return h.rec }

func (h harness) Envelopes(*testing.T) []push.Envelope {
	var out []push.Envelope
	for _, d := range append(h.mem.Deliveries(), h.mem.Pending()...) {
		out = append(out, d.Envelope)
	}
	return out
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		mem := memory.New(memory.WithClock(clock))
		return harness{recorder.New(mem, recorder.WithClock(clock)), mem}
	})
}
