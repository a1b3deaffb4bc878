package webpush_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/recorder"
	"github.com/pushwire/push/webpush"
	"github.com/pushwire/push/webpush/webpushtest"
)

// harnessTTL is the default TTL of the harness's Clients: a value no case of
// the suite gives, so that the TTL header the Client adds can be told from
// one the notification carries, and taken off.
const harnessTTL = 4321 * time.Second

// emulatorHarness runs the suite against a Client talking to the emulator,
// and reads back what the emulator received, decrypting every message
// itself.
type emulatorHarness struct {
	sender push.Sender
	srv    *webpushtest.Server
}

func (h *emulatorHarness) Sender() push.Sender { return h.sender }

// Envelopes returns every request the emulator received, read back: the
// emulator's Envelope with the body decrypted a third time, by the test's
// own code, which must agree with the emulator's plaintext; the TTL the
// Client added taken off.
func (h *emulatorHarness) Envelopes(t *testing.T) []push.Envelope {
	var out []push.Envelope
	for _, m := range h.srv.Messages() {
		env := m.Envelope()
		// A message to an endpoint the emulator did not make (a 404) has no
		// browser to read it: its Envelope keeps no body.
		if keys, ok := h.srv.Keys(m.Endpoint); ok && len(m.Body) > 0 {
			plain, err := openMessage(keys.Private, keys.Auth, m.Body)
			require.NoError(t, err, "the test's own decryption of a message")
			require.Equal(t, string(plain), string(m.Plaintext), "the emulator and the test decrypt a message differently")
			env.Body = plain
		}
		if v := env.Header.Get("Ttl"); v == strconv.Itoa(int(harnessTTL/time.Second)) {
			env.Header.Del("Ttl")
			if len(env.Header) == 0 {
				env.Header = nil
			}
		}
		out = append(out, env)
	}
	return out
}

// NewHandle returns the endpoint of a new subscription: the suite asks for
// handles of other platforms only for cases the Client must refuse.
func (h *emulatorHarness) NewHandle(t *testing.T, p push.Platform) string {
	return h.NewSubscription(t).Endpoint
}

// NewSubscription subscribes a new browser, restricted to the Client's key.
func (h *emulatorHarness) NewSubscription(t *testing.T) push.BrowserSubscription {
	return h.srv.NewSubscription(webpushtest.WithApplicationServerKey(testPublicKey))
}

func (h *emulatorHarness) Unregister(t *testing.T, handle string) {
	require.True(t, h.srv.Expire(handle), "unregister a handle the emulator did not make")
}

func (h *emulatorHarness) Watch(t *testing.T, received func()) {
	h.srv.OnRequest(func(string) { received() })
}

var (
	_ conformance.DeviceMaker  = (*emulatorHarness)(nil)
	_ conformance.Unregisterer = (*emulatorHarness)(nil)
	_ conformance.Watcher      = (*emulatorHarness)(nil)
)

func newEmulatorClient(t *testing.T, clock push.Clock) (*webpush.Client, *webpushtest.Server) {
	srv := webpushtest.NewServer(webpushtest.WithClock(clock))
	t.Cleanup(srv.Close)
	c, err := webpush.New(testKey(t), "mailto:ops@example.com",
		webpush.WithHTTPClient(srv.Client()), webpush.WithClock(clock), webpush.WithTTL(harnessTTL))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, srv
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		c, srv := newEmulatorClient(t, clock)
		return &emulatorHarness{sender: c, srv: srv}
	})
}

func TestConformanceThroughRecorder(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		c, srv := newEmulatorClient(t, clock)
		return &emulatorHarness{sender: recorder.New(c, recorder.WithClock(clock)), srv: srv}
	})
}
