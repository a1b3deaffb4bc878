package telemetry_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
	"github.com/pushwire/push/telemetry"
)

// harness runs the suite on a telemetry Sender over a memory Sender,
// reporting to a recording SDK, and shows the suite every request the memory
// Sender handled, accepted or refused (through Observe), and its pending
// scheduled sends.
type harness struct {
	s   push.Sender
	mem *memory.Sender

	mu       sync.Mutex
	requests []push.Envelope
	received func()
}

func (h *harness) observe(env push.Envelope) {
	h.mu.Lock()
	h.requests = append(h.requests, env.Clone())
	received := h.received
	h.mu.Unlock()
	if received != nil {
		received()
	}
}

func (h *harness) Sender() push.Sender { return h.s }

func (h *harness) Envelopes(*testing.T) []push.Envelope {
	h.mu.Lock()
	out := append([]push.Envelope(nil), h.requests...)
	h.mu.Unlock()
	for _, d := range h.mem.Pending() {
		out = append(out, d.Envelope)
	}
	return out
}

func (h *harness) Unregister(_ *testing.T, handle string) {
	h.mem.MarkUnregistered(handle, time.Time{})
}

func (h *harness) Watch(_ *testing.T, received func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.received = received
}

// newHarness wraps a fresh memory Sender made with opts; through a recorder
// as well when recorded is set.
func newHarness(recorded bool, opts ...memory.Option) conformance.NewHarness {
	return func(t *testing.T, clock push.Clock) conformance.Harness {
		mem := memory.New(append([]memory.Option{memory.WithClock(clock)}, opts...)...)
		h := &harness{mem: mem}
		mem.Observe(h.observe)
		h.s = newRig(t).wrap(t, mem, telemetry.WithClock(clock))
		if recorded {
			h.s = recorder.New(h.s, recorder.WithClock(clock))
		}
		return h
	}
}

// TestConformance shows the decorator changes nothing of what is sent, nor
// of what is refused, over a memory Sender playing a hub.
func TestConformance(t *testing.T) { conformance.Run(t, newHarness(false)) }

// TestConformanceOverADirectProvider runs the suite over a memory Sender
// playing a direct provider, which reports each handle.
func TestConformanceOverADirectProvider(t *testing.T) {
	caps := push.DirectCapabilities("memory", push.Apple, push.FCMV1, push.Browser)
	conformance.Run(t, newHarness(false, memory.WithCapabilities(caps)))
}

// TestConformanceThroughRecorder runs the suite on a recorder over the
// decorator: two decorators stack.
func TestConformanceThroughRecorder(t *testing.T) { conformance.Run(t, newHarness(true)) }
