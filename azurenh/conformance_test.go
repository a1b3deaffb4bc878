package azurenh_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/recorder"
)

// emulatorHarness runs the suite against a Sender talking to the emulator,
// and reads back what the emulator received.
type emulatorHarness struct {
	sender push.Sender
	srv    *nhtest.Server
}

func (h emulatorHarness) Sender() push.Sender { return h.sender }

// Envelopes returns the sends the emulator accepted, read back from the wire.
func (h emulatorHarness) Envelopes(*testing.T) []push.Envelope {
	var out []push.Envelope
	for _, s := range h.srv.Sends() {
		out = append(out, s.Envelope)
	}
	return out
}

func newEmulatorClient(t *testing.T, clock push.Clock) (*azurenh.Client, *nhtest.Server) {
	srv := nhtest.NewServer(nhtest.WithClock(clock))
	t.Cleanup(srv.Close)
	c, err := azurenh.New(srv.SendConnectionString(), srv.Hub(),
		azurenh.WithHTTPClient(srv.Client()), azurenh.WithClock(clock))
	require.NoError(t, err)
	return c, srv
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		c, srv := newEmulatorClient(t, clock)
		return emulatorHarness{sender: c, srv: srv}
	})
}

func TestConformanceThroughRecorder(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		c, srv := newEmulatorClient(t, clock)
		return emulatorHarness{sender: recorder.New(c, recorder.WithClock(clock)), srv: srv}
	})
}

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
