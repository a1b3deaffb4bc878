package azurenh_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
	"github.com/pushwire/push/conformance"
)

// harness runs the suite against a Client talking to the emulator, and reads
// back what the emulator received.
type harness struct {
	client *azurenh.Client
	srv    *nhtest.Server
}

func (h harness) Sender() push.Sender { return h.client }

// Envelopes returns the sends the emulator accepted, read back from the wire.
func (h harness) Envelopes(*testing.T) []push.Envelope {
	var out []push.Envelope
	for _, s := range h.srv.Sends() {
		out = append(out, s.Envelope)
	}
	return out
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		srv := nhtest.NewServer(nhtest.WithClock(clock))
		t.Cleanup(srv.Close)
		c, err := azurenh.New(srv.SendConnectionString(), srv.Hub(),
			azurenh.WithHTTPClient(srv.Client()), azurenh.WithClock(clock))
		require.NoError(t, err)
		return harness{client: c, srv: srv}
	})
}
