package webpush

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
)

var testStart = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func newTestTokens(t testing.TB, lifetime time.Duration) (*tokens, *pushtest.Clock) {
	clock := pushtest.NewClock(testStart)
	return &tokens{key: testKey(t), subject: "mailto:ops@example.com", lifetime: lifetime, clock: clock, logger: slog.New(slog.DiscardHandler)}, clock
}

// verifyHeader checks an Authorization header with the test's own ES256
// verification and returns the token's claims.
func verifyHeader(t testing.TB, header string) claims {
	t.Helper()
	rest, ok := strings.CutPrefix(header, "vapid t=")
	require.True(t, ok, header)
	jwt, k, ok := strings.Cut(rest, ", k=")
	require.True(t, ok, header)
	assert.Equal(t, testPublicKey, k)
	parts := strings.Split(jwt, ".")
	require.Len(t, parts, 3)
	head, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"typ":"JWT","alg":"ES256"}`, string(head))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	require.Len(t, sig, 64, "R‖S, not DER")
	pub, err := base64.RawURLEncoding.DecodeString(k)
	require.NoError(t, err)
	key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), pub)
	require.NoError(t, err)
	d := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	require.True(t, ecdsa.Verify(key, d[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])), "the signature verifies")
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var c claims
	require.NoError(t, json.Unmarshal(body, &c))
	return c
}

// TestTokenCachedPerOrigin checks that a token is signed once per origin and
// reused, on the injected clock, until shortly before it expires.
func TestTokenCachedPerOrigin(t *testing.T) {
	ts, clock := newTestTokens(t, DefaultVAPIDLifetime)
	fcm, err := ts.authorization("fcm.googleapis.com")
	require.NoError(t, err)
	assert.Equal(t, claims{Aud: "https://fcm.googleapis.com", Exp: testStart.Add(12 * time.Hour).Unix(), Sub: "mailto:ops@example.com"}, verifyHeader(t, fcm.header[0]))

	clock.Advance(time.Hour)
	again, err := ts.authorization("fcm.googleapis.com")
	require.NoError(t, err)
	assert.Same(t, fcm, again, "the same origin reuses its token")
	assert.Equal(t, int64(1), ts.signed.Load())

	moz, err := ts.authorization("updates.push.services.mozilla.com")
	require.NoError(t, err)
	assert.Equal(t, "https://updates.push.services.mozilla.com", verifyHeader(t, moz.header[0]).Aud)
	assert.Equal(t, int64(2), ts.signed.Load(), "another origin gets its own token")

	clock.Set(testStart.Add(12*time.Hour - 10*time.Minute - time.Second))
	again, err = ts.authorization("fcm.googleapis.com")
	require.NoError(t, err)
	assert.Same(t, fcm, again, "reused until 10 minutes before its expiry")

	clock.Advance(time.Second)
	renewed, err := ts.authorization("fcm.googleapis.com")
	require.NoError(t, err)
	assert.NotSame(t, fcm, renewed, "renewed 10 minutes before its expiry")
	assert.Equal(t, clock.Now().Add(12*time.Hour).Unix(), verifyHeader(t, renewed.header[0]).Exp)
	assert.Equal(t, int64(3), ts.signed.Load())
	assert.Len(t, *ts.byHost.Load(), 2, "the other origin's token is still fresh")

	clock.Set(testStart.Add(13 * time.Hour))
	_, err = ts.authorization("web.push.apple.com")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"fcm.googleapis.com", "web.push.apple.com"}, slices.Collect(maps.Keys(*ts.byHost.Load())),
		"a token due for renewal is forgotten when another origin's is signed")
}

func TestTokenShortLifetime(t *testing.T) {
	ts, clock := newTestTokens(t, 4*time.Minute)
	first, err := ts.authorization("push.example.net")
	require.NoError(t, err)
	clock.Advance(2*time.Minute - time.Second)
	again, _ := ts.authorization("push.example.net")
	assert.Same(t, first, again)
	clock.Advance(time.Second)
	again, _ = ts.authorization("push.example.net")
	assert.NotSame(t, first, again, "a short-lived token is renewed at half its life")
}

// TestTokenClockBack re-signs when the clock moved back: the token's exp
// would be more than its lifetime ahead.
func TestTokenClockBack(t *testing.T) {
	ts, clock := newTestTokens(t, DefaultVAPIDLifetime)
	first, err := ts.authorization("push.example.net")
	require.NoError(t, err)
	clock.Set(testStart.Add(-time.Hour))
	again, err := ts.authorization("push.example.net")
	require.NoError(t, err)
	assert.NotSame(t, first, again)
	assert.Equal(t, clock.Now().Add(12*time.Hour).Unix(), verifyHeader(t, again.header[0]).Exp)
}

// TestTokenSignedOnceUnderLoad asks for a token from many goroutines at once:
// one signs, the others wait for it.
func TestTokenSignedOnceUnderLoad(t *testing.T) {
	ts, _ := newTestTokens(t, DefaultVAPIDLifetime)
	var wg sync.WaitGroup
	got := make([]*token, 32)
	for i := range got {
		wg.Go(func() {
			tok, err := ts.authorization("push.example.net")
			assert.NoError(t, err)
			got[i] = tok
		})
	}
	wg.Wait()
	assert.Equal(t, int64(1), ts.signed.Load())
	for _, tok := range got {
		assert.Same(t, got[0], tok)
	}
}

func TestOrigin(t *testing.T) {
	for host, want := range map[string]string{
		"fcm.googleapis.com":    "https://fcm.googleapis.com",
		"Web.Push.Apple.com":    "https://web.push.apple.com",
		"push.example.net:443":  "https://push.example.net",
		"push.example.net:8443": "https://push.example.net:8443",
		"127.0.0.1:34567":       "https://127.0.0.1:34567",
		"[::1]:8443":            "https://[::1]:8443",
		"[2001:db8::1]":         "https://[2001:db8::1]",
	} {
		assert.Equal(t, want, origin(host), host)
	}
}

// TestSendSignsOncePerOrigin sends many messages to subscriptions of two
// push services and counts the VAPID signatures: one per origin.
func TestSendSignsOncePerOrigin(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(http.StatusCreated, ""))
	c, err := New(testKey(t), "mailto:ops@example.com", WithHTTPClient(&http.Client{Transport: mt}), WithClock(pushtest.NewClock(testStart)))
	require.NoError(t, err)
	var subs []push.BrowserSubscription
	for i := range 50 {
		host := []string{"fcm.googleapis.com", "updates.push.services.mozilla.com"}[i%2]
		subs = append(subs, push.BrowserSubscription{Endpoint: "https://" + host + "/push/" + strconv.Itoa(i), P256DH: rfcUAPublic, Auth: rfcAuthSecret})
	}
	n, err := push.BrowserNotification(`{"title":"Hi"}`)
	require.NoError(t, err)
	for range 4 {
		r, err := c.Send(context.Background(), n, push.BrowserDevices(subs...))
		require.NoError(t, err)
		require.Len(t, r.Results, 50)
	}
	assert.Equal(t, 200, mt.GetTotalCallCount())
	assert.Equal(t, int64(2), c.tokens.signed.Load(), "200 messages to two origins: two signatures")
}
