package webpush_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/webpush"
)

func TestNewErrors(t *testing.T) {
	key := testKey(t)
	for _, tc := range []struct {
		name string
		key  *webpush.VAPIDKey
		sub  string
		opt  webpush.Option
		says string
	}{
		{"no key", nil, "mailto:ops@example.com", nil, "New needs a VAPID key"},
		{"zero key", &webpush.VAPIDKey{}, "mailto:ops@example.com", nil, "New needs a VAPID key"},
		{"no subject", key, "", nil, "the VAPID subject is empty"},
		{"bare address", key, "ops@example.com", nil, "write mailto:ops@example.com"},
		{"nil HTTP client", key, "mailto:ops@example.com", webpush.WithHTTPClient(nil), "non-nil *http.Client"},
		{"nil logger", key, "mailto:ops@example.com", webpush.WithLogger(nil), "non-nil *slog.Logger"},
		{"nil clock", key, "mailto:ops@example.com", webpush.WithClock(nil), "non-nil push.Clock"},
		{"nil random", key, "mailto:ops@example.com", webpush.WithRandom(nil), "non-nil io.Reader"},
		{"negative retry delay", key, "mailto:ops@example.com", webpush.WithRetry(push.RetryPolicy{BaseDelay: -1}), "must not be negative"},
		{"concurrency 0", key, "mailto:ops@example.com", webpush.WithConcurrency(0), "at least 1"},
		{"negative TTL", key, "mailto:ops@example.com", webpush.WithTTL(-time.Second), "whole seconds from 0 to 28 days"},
		{"fractional TTL", key, "mailto:ops@example.com", webpush.WithTTL(1500 * time.Millisecond), "whole seconds"},
		{"TTL over 28 days", key, "mailto:ops@example.com", webpush.WithTTL(29 * 24 * time.Hour), "28 days"},
		{"padding 0", key, "mailto:ops@example.com", webpush.WithPadding(0), "from 1 to 4096"},
		{"VAPID lifetime of 25 hours", key, "mailto:ops@example.com", webpush.WithVAPIDLifetime(25 * time.Hour), "1 minute to 24 hours"},
		{"VAPID lifetime of a second", key, "mailto:ops@example.com", webpush.WithVAPIDLifetime(time.Second), "1 minute to 24 hours"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := webpush.New(tc.key, tc.sub, tc.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.says)
			assert.Contains(t, err.Error(), "webpush: new client: ")
		})
	}
}

// TestClientPrints checks that a Client shows its provider and public key,
// and no private key.
func TestClientPrints(t *testing.T) {
	c, err := webpush.New(testKey(t), "mailto:ops@example.com", webpush.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	want := "webpush.Client(VAPID key " + testPublicKey + ", subject mailto:ops@example.com)"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, c)
		assert.Equal(t, want, out, verb)
		assert.NotContains(t, out, testKeyText)
	}
	assert.NoError(t, c.Close())
	assert.NoError(t, c.Close(), "Close twice is fine")
}

func TestCapabilities(t *testing.T) {
	c, err := webpush.New(testKey(t), "mailto:ops@example.com")
	require.NoError(t, err)
	caps := c.Capabilities()
	assert.Equal(t, push.Capabilities{Provider: "webpush", Platforms: map[push.Platform]push.Support{
		push.Browser: {Targets: push.DeviceTargets, PerDevice: true, BatchSize: 1},
	}}, caps)
	caps.Platforms[push.Apple] = push.Support{}
	assert.NotContains(t, c.Capabilities().Platforms, push.Apple, "the caller's copy")
	assert.Equal(t, "webpush: browser to device, devices", c.Capabilities().String())
}

// TestWithHTTPClientNotModified checks that the caller's client is left as
// it was, redirect policy included.
func TestWithHTTPClientNotModified(t *testing.T) {
	follow := func(*http.Request, []*http.Request) error { return nil }
	hc := &http.Client{CheckRedirect: follow}
	c, err := webpush.New(testKey(t), "mailto:ops@example.com", webpush.WithHTTPClient(hc))
	require.NoError(t, err)
	require.NoError(t, c.Close())
	assert.NotNil(t, hc.CheckRedirect)
	assert.Nil(t, hc.CheckRedirect(nil, nil))
}
