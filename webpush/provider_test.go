package webpush_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/provider"
	"github.com/pushwire/push/webpush"
)

func TestProviderRegistered(t *testing.T) {
	assert.Contains(t, provider.Schemes(), webpush.ProviderName)
}

// TestProviderOpen opens Clients from URLs, the key in a variable or a PEM
// file, and sends through one to the emulator.
func TestProviderOpen(t *testing.T) {
	t.Setenv("TEST_VAPID_KEY", testKeyText)
	pemFile := filepath.Join(t.TempDir(), "vapid.pem")
	require.NoError(t, os.WriteFile(pemFile, testKey(t).PrivatePEM(), 0o600))
	e := newEnv(t, nil)

	for _, url := range []string{
		"webpush://?vapid_private_key_env=TEST_VAPID_KEY&subject=mailto:ops@example.com",
		"webpush://?vapid_private_key_file=" + pemFile + "&subject=https://example.com/contact&ttl=1h&concurrency=8&padding=64&vapid_lifetime=6h",
	} {
		s, err := provider.Open(context.Background(), url, provider.WithHTTPClient(e.srv.Client()), provider.WithClock(e.clock))
		require.NoError(t, err, url)
		c, ok := s.(*webpush.Client)
		require.True(t, ok, "the Sender is a *webpush.Client, %T", s)
		assert.Equal(t, testPublicKey, c.PublicKey(), "the public key derives from the private key")
		sub := e.subscribe()
		_, err = s.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(sub))
		require.NoError(t, err)
		assert.NoError(t, s.Close())
	}
	ms := e.srv.Messages()
	require.Len(t, ms, 2)
	assert.Equal(t, "86400", ms[0].Header.Get("Ttl"))
	assert.Equal(t, "3600", ms[1].Header.Get("Ttl"), "ttl=1h")
	assert.Equal(t, testStart.Add(6*time.Hour), ms[1].VAPID.Expiry, "vapid_lifetime=6h")
	assert.Equal(t, "https://example.com/contact", ms[1].VAPID.Subject)
	assert.Len(t, ms[1].Body, 86+64+16, "padding=64")
	assert.Equal(t, hello, string(ms[1].Plaintext))
}

func TestProviderOpenErrors(t *testing.T) {
	t.Setenv("TEST_VAPID_KEY", testKeyText)
	t.Setenv("TEST_VAPID_PUBLIC", testPublicKey)
	const key = "vapid_private_key_env=TEST_VAPID_KEY"
	for _, tc := range []struct{ name, url, says string }{
		{"no key", "webpush://?subject=mailto:ops@example.com", `parameter "vapid_private_key": give the VAPID private key`},
		{"key inline", "webpush://?vapid_private_key=" + testKeyText + "&subject=mailto:ops@example.com", "a secret is not written in the URL"},
		{"the public key", "webpush://?vapid_private_key_env=TEST_VAPID_PUBLIC&subject=mailto:ops@example.com", "this is a VAPID public key"},
		{"no subject", "webpush://?" + key, `parameter "subject": give the VAPID contact`},
		{"local subject", "webpush://?" + key + "&subject=mailto:me@localhost", `parameter "subject"`},
		{"a host", "webpush://fcm.googleapis.com?" + key + "&subject=mailto:ops@example.com", "has no host or path"},
		{"bad ttl", "webpush://?" + key + "&subject=mailto:ops@example.com&ttl=1.5s", `parameter "ttl": WithTTL takes whole seconds`},
		{"ttl of a year", "webpush://?" + key + "&subject=mailto:ops@example.com&ttl=8760h", `parameter "ttl"`},
		{"bad concurrency", "webpush://?" + key + "&subject=mailto:ops@example.com&concurrency=0", `parameter "concurrency"`},
		{"padding too large", "webpush://?" + key + "&subject=mailto:ops@example.com&padding=5000", `parameter "padding"`},
		{"vapid lifetime of two days", "webpush://?" + key + "&subject=mailto:ops@example.com&vapid_lifetime=48h", `parameter "vapid_lifetime": WithVAPIDLifetime takes from 1 minute to 24 hours`},
		{"typo", "webpush://?" + key + "&subject=mailto:ops@example.com&tll=1h", `unknown parameter "tll"`},
		{"unset variable", "webpush://?vapid_private_key_env=TEST_VAPID_UNSET&subject=mailto:ops@example.com", `"TEST_VAPID_UNSET" is not set`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := provider.Open(context.Background(), tc.url)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.says)
			assert.NotContains(t, err.Error(), testKeyText)
		})
	}
}
