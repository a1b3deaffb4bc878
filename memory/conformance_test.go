package memory_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/memory"
)

// harness shows the suite every request a memory Sender handled, accepted
// or refused (through Observe), and its pending scheduled sends.
type harness struct {
	s *memory.Sender

	mu       sync.Mutex
	requests []push.Envelope
	received func()
}

func newHarness(s *memory.Sender) *harness {
	h := &harness{s: s}
	s.Observe(h.observe)
	return h
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

// Envelopes returns the requests handled, then the pending scheduled sends.
func (h *harness) Envelopes(*testing.T) []push.Envelope {
	h.mu.Lock()
	out := append([]push.Envelope(nil), h.requests...)
	h.mu.Unlock()
	for _, d := range h.s.Pending() {
		out = append(out, d.Envelope)
	}
	return out
}

func (h *harness) Unregister(_ *testing.T, handle string) { h.s.MarkUnregistered(handle, time.Time{}) }

func (h *harness) Watch(_ *testing.T, received func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.received = received
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		return newHarness(memory.New(memory.WithClock(clock)))
	})
}

// Playing a direct provider, the memory Sender reports each handle.
func TestConformancePlayingADirectProvider(t *testing.T) {
	caps := push.DirectCapabilities("memory", push.Apple, push.FCMV1, push.Browser)
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		return newHarness(memory.New(memory.WithClock(clock), memory.WithCapabilities(caps)))
	})
}
