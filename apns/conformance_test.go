package apns_test

import (
	"context"
	"sync"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/recorder"
)

// harness runs the suite against a Client talking to apnstest, and reads
// back every request the emulator received.
type harness struct {
	sender push.Sender
	srv    *apnstest.Server
	sent   *explicitTypes
}

var (
	_ conformance.DeviceMaker  = harness{}
	_ conformance.Unregisterer = harness{}
	_ conformance.Watcher      = harness{}
)

func (h harness) Sender() push.Sender { return h.sender }

// Envelopes reads back every request the emulator received, refused ones
// included, with the apns-push-type the Client derived (for a notification
// that had none) taken off with the rest of the provider's addressing.
func (h harness) Envelopes(*testing.T) []push.Envelope {
	var out []push.Envelope
	for _, r := range h.srv.Requests() {
		env := apnstest.ReadEnvelope(r)
		if !h.sent.explicit(r.Token) {
			delete(env.Header, "Apns-Push-Type")
			if len(env.Header) == 0 {
				env.Header = nil
			}
		}
		out = append(out, env)
	}
	return out
}

func (h harness) NewHandle(t *testing.T, p push.Platform) string { return h.srv.NewDevice("") }

// NewSubscription returns a well-formed subscription that no push service
// knows: the suite needs one for the browser cases, which the Client must
// refuse as unsupported before any I/O.
func (h harness) NewSubscription(t *testing.T) push.BrowserSubscription {
	return push.BrowserSubscription{Endpoint: "https://push.invalid/" + h.srv.NewDevice(""),
		P256DH: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
		Auth:   "tBHItJI5svbpez7KI4CCXg"}
}

func (h harness) Unregister(t *testing.T, handle string) { h.srv.Unregister(handle, t0) }

func (h harness) Watch(t *testing.T, received func()) {
	h.srv.Watch(func(apnstest.Request) { received() })
	t.Cleanup(func() { h.srv.Watch(nil) })
}

// explicitTypes remembers which device tokens were sent a notification that
// carried its own apns-push-type, so that the harness can tell a header the
// core rendered from one the Client derived.
type explicitTypes struct {
	mu sync.Mutex
	m  map[string]bool
}

func (e *explicitTypes) note(n push.Notification, to push.Target) {
	_, has := n.Header["Apns-Push-Type"]
	env, err := push.Render(n, to)
	if err != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, d := range env.Devices {
		e.m[d] = has
	}
}

func (e *explicitTypes) explicit(token string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.m[token]
}

// noting is a Sender that notes each notification's explicit push type
// before passing it on unchanged.
type noting struct {
	push.Sender
	sent *explicitTypes
}

func (s noting) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	s.sent.note(n, to)
	return s.Sender.Send(ctx, n, to)
}

func (s noting) Capabilities() push.Capabilities {
	c, _ := push.CapabilitiesOf(s.Sender)
	return c
}

func newHarness(wrap func(push.Sender, push.Clock) push.Sender) conformance.NewHarness {
	return func(t *testing.T, clock push.Clock) conformance.Harness {
		srv := apnstest.NewServer(apnstest.WithClock(clock))
		t.Cleanup(srv.Close)
		var s push.Sender = newClient(t, srv, clock)
		if wrap != nil {
			s = wrap(s, clock)
		}
		sent := &explicitTypes{m: map[string]bool{}}
		// An unnamed struct type, so that the suite's check for goroutines
		// left behind looks for those of package direct (which runs the
		// Client's sends) and not for this test package's, whose test
		// functions are always running. TestCancelled10000TokenSendLeavesNoGoroutine
		// checks the Client's own.
		return harness{sender: struct{ noting }{noting{Sender: s, sent: sent}}, srv: srv, sent: sent}
	}
}

func TestConformance(t *testing.T) {
	conformance.Run(t, newHarness(nil))
}

func TestConformanceThroughRecorder(t *testing.T) {
	conformance.Run(t, newHarness(func(s push.Sender, clock push.Clock) push.Sender {
		return recorder.New(s, recorder.WithClock(clock))
	}))
}
