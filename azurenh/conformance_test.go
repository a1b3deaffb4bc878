package azurenh_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/recorder"
)

// emulatorHarness runs the suite against a Sender talking to the emulator.
// Envelopes reads back every send request the Client put on the wire, the
// refused ones included (the emulator records only what it accepts). Handles
// come from installations it makes on the emulator, so that a send reaches
// a device.
type emulatorHarness struct {
	sender push.Sender
	srv    *nhtest.Server
	wire   *wireTap
	clock  push.Clock
	n      atomic.Int64
}

func (h *emulatorHarness) Sender() push.Sender { return h.sender }

func (h *emulatorHarness) Envelopes(t *testing.T) []push.Envelope { return h.wire.envelopes(t) }

// NewHandle makes an installation of the platform that p's sends reach and
// returns its handle.
func (h *emulatorHarness) NewHandle(t *testing.T, p push.Platform) string {
	ip, ok := azurenh.InstallationPlatformFor(p)
	require.True(t, ok, "no installation platform receives %s", p)
	n := h.n.Add(1)
	handle := fmt.Sprintf("%s-device-%04d", ip, n)
	switch p {
	case push.Apple: // an APNs device token: hex
		handle = fmt.Sprintf("%064x", 0xa000+n)
	case push.Windows, push.WindowsPhone: // a channel URI
		handle = fmt.Sprintf("https://db5p.notify.windows.com/?token=%04d", n)
	}
	h.put(t, azurenh.Installation{Platform: ip, PushChannel: azurenh.HandleChannel(handle)})
	return handle
}

// NewSubscription makes a browser installation and returns its subscription.
func (h *emulatorHarness) NewSubscription(t *testing.T) push.BrowserSubscription {
	sub := push.BrowserSubscription{Endpoint: fmt.Sprintf("https://push.example/send/%04d", h.n.Add(1)),
		P256DH: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", Auth: "tBHItJI5svbpez7KI4CCXg"}
	h.put(t, azurenh.Installation{Platform: azurenh.InstallationBrowser, PushChannel: azurenh.BrowserChannel(sub)})
	return sub
}

// put writes in to the emulator through a Client of the Listen rule, as a
// device would.
func (h *emulatorHarness) put(t *testing.T, in azurenh.Installation) {
	in.ID = fmt.Sprintf("conformance-%04d", h.n.Add(1))
	c, err := azurenh.New(h.srv.ListenConnectionString(), h.srv.Hub(), azurenh.WithHTTPClient(h.srv.Client()), azurenh.WithClock(h.clock))
	require.NoError(t, err)
	require.NoError(t, c.PutInstallation(t.Context(), in))
}

// Unregister makes the emulator's push services answer that handle is dead:
// Notification Hubs accepts the sends, and reports the handle in its feedback.
func (h *emulatorHarness) Unregister(_ *testing.T, handle string) { h.srv.Unregister(handle) }

// Watch calls received for each send request as it leaves for the emulator.
func (h *emulatorHarness) Watch(_ *testing.T, received func()) { h.wire.watch(received) }

// wireTap is a RoundTripper that reads every send request back into an
// Envelope with nhtest.ReadEnvelope before passing it on.
type wireTap struct {
	next http.RoundTripper

	mu       sync.Mutex
	envs     []push.Envelope
	readErrs []error
	watchers []func()
}

func (w *wireTap) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && isSendPath(req.URL.Path) {
		env, err := nhtest.ReadEnvelope(req)
		w.mu.Lock()
		if err != nil {
			w.readErrs = append(w.readErrs, err)
		} else {
			w.envs = append(w.envs, env)
		}
		watchers := slices.Clone(w.watchers)
		w.mu.Unlock()
		for _, f := range watchers {
			f()
		}
	}
	return w.next.RoundTrip(req)
}

func isSendPath(p string) bool {
	p = strings.TrimSuffix(p, "/")
	return strings.HasSuffix(p, "/messages") || strings.HasSuffix(p, "/messages/$batch") || strings.HasSuffix(p, "/schedulednotifications")
}

func (w *wireTap) watch(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.watchers = append(w.watchers, f)
}

func (w *wireTap) envelopes(t *testing.T) []push.Envelope {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, err := range w.readErrs {
		t.Errorf("a request the Client sent does not read back as an Envelope: %v", err)
	}
	return slices.Clone(w.envs)
}

func newEmulatorHarness(t *testing.T, clock push.Clock, wrap func(*azurenh.Client) push.Sender) *emulatorHarness {
	srv := nhtest.NewServer(nhtest.WithClock(clock))
	t.Cleanup(srv.Close)
	tap := &wireTap{next: srv.Client().Transport}
	c, err := azurenh.New(srv.SendConnectionString(), srv.Hub(),
		azurenh.WithHTTPClient(&http.Client{Transport: tap}), azurenh.WithClock(clock))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	t.Cleanup(func() { assert.Empty(t, srv.Warnings(), "the emulator skipped what the Client wrote") })
	return &emulatorHarness{sender: wrap(c), srv: srv, wire: tap, clock: clock}
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		return newEmulatorHarness(t, clock, func(c *azurenh.Client) push.Sender { return c })
	})
}

func TestConformanceThroughRecorder(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		return newEmulatorHarness(t, clock, func(c *azurenh.Client) push.Sender { return recorder.New(c, recorder.WithClock(clock)) })
	})
}

// The harness gives every optional view of the suite.
var (
	_ conformance.DeviceMaker  = (*emulatorHarness)(nil)
	_ conformance.Unregisterer = (*emulatorHarness)(nil)
	_ conformance.Watcher      = (*emulatorHarness)(nil)
)

// wireHarness runs the suite against a Client whose requests are captured by
// an httpmock transport that answers as the service does, and read back into
// Envelopes with nhtest.ReadEnvelope.
type wireHarness struct {
	client *azurenh.Client

	mu        sync.Mutex
	envelopes []push.Envelope
	readErrs  []error
	scheduled map[string]bool
}

func (h *wireHarness) Sender() push.Sender { return h.client }

func (h *wireHarness) Envelopes(t *testing.T) []push.Envelope {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, err := range h.readErrs {
		t.Errorf("a captured request does not read back as an Envelope: %v", err)
	}
	return append([]push.Envelope(nil), h.envelopes...)
}

// respond answers one captured request: 201 with a Location for a send, 200
// or 404 for a cancel.
func (h *wireHarness) respond(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.Method == http.MethodDelete {
		id := req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:]
		if !h.scheduled[id] {
			return httpmock.NewStringResponse(http.StatusNotFound, "<Error><Code>404</Code><Detail>Not found</Detail></Error>"), nil
		}
		delete(h.scheduled, id)
		return httpmock.NewStringResponse(http.StatusOK, ""), nil
	}
	env, err := nhtest.ReadEnvelope(req)
	if err != nil {
		h.readErrs = append(h.readErrs, err)
		return httpmock.NewStringResponse(http.StatusBadRequest, ""), nil
	}
	h.envelopes = append(h.envelopes, env)
	id := fmt.Sprintf("n%d", len(h.envelopes))
	if !env.ScheduleTime.IsZero() {
		h.scheduled[id] = true
	}
	resp := httpmock.NewStringResponse(http.StatusCreated, "")
	resp.Header.Set("Location", "https://ns.servicebus.windows.net/hub/messages/"+id+"?api-version=2020-06")
	return resp, nil
}

func TestConformanceOnTheWire(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		h := &wireHarness{scheduled: map[string]bool{}}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(h.respond)
		c, err := azurenh.New("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=rule;SharedAccessKey=a2V5", "hub",
			azurenh.WithHTTPClient(&http.Client{Transport: mt}), azurenh.WithClock(clock))
		require.NoError(t, err)
		h.client = c
		return h
	})
}
