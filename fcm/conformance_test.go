package fcm_test

import (
	"fmt"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/fcm/fcmtest"
	"github.com/pushwire/push/recorder"
)

// emulatorHarness runs the suite against a Client talking to fcmtest, and
// reads back every request the emulator received.
type emulatorHarness struct {
	sender push.Sender
	srv    *fcmtest.Server
	subs   int
}

func (h *emulatorHarness) Sender() push.Sender { return h.sender }

func (h *emulatorHarness) Envelopes(t *testing.T) []push.Envelope {
	var out []push.Envelope
	for _, r := range h.srv.Requests() {
		env, err := readEnvelope(r)
		if err != nil {
			t.Errorf("a request the emulator received does not read back as an Envelope: %v", err)
			continue
		}
		out = append(out, env)
	}
	return out
}

// NewHandle returns a registration token the emulator issued.
func (h *emulatorHarness) NewHandle(*testing.T, push.Platform) string { return h.srv.NewToken() }

// NewSubscription returns a Web Push subscription of the suite's own form:
// the browser cases must be refused before any I/O, so it never reaches the
// emulator.
func (h *emulatorHarness) NewSubscription(*testing.T) push.BrowserSubscription {
	h.subs++
	return push.BrowserSubscription{Endpoint: fmt.Sprintf("https://push.example/fcm-harness/%d", h.subs),
		P256DH: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", Auth: "tBHItJI5svbpez7KI4CCXg"}
}

func (h *emulatorHarness) Unregister(_ *testing.T, handle string) { h.srv.Unregister(handle) }

func (h *emulatorHarness) Watch(_ *testing.T, received func()) {
	h.srv.Watch(func(fcmtest.Request) { received() })
}

var (
	_ conformance.DeviceMaker  = (*emulatorHarness)(nil)
	_ conformance.Unregisterer = (*emulatorHarness)(nil)
	_ conformance.Watcher      = (*emulatorHarness)(nil)
)

// newHarness makes a Client on the harness clock. The emulator keeps the
// system clock: x/oauth2 dates its assertions on it.
func newHarness(t *testing.T, clock push.Clock, wrap func(push.Sender) push.Sender) conformance.Harness {
	srv := newServer(t, fcmtest.WithStrictTokens())
	c := newClient(t, srv, fcm.WithClock(clock))
	return &emulatorHarness{sender: wrap(c), srv: srv}
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		return newHarness(t, clock, func(s push.Sender) push.Sender { return s })
	})
}

func TestConformanceThroughRecorder(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		return newHarness(t, clock, func(s push.Sender) push.Sender { return recorder.New(s, recorder.WithClock(clock)) })
	})
}
