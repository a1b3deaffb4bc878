package apns_test

import (
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

// decodeJWT returns the header and claims of a JWT.
func decodeJWT(t *testing.T, jwt string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	require.Len(t, parts, 3)
	for i, dst := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, dst))
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	assert.Len(t, sig, 64, "an ES256 signature is R||S, 32 bytes each")
	return header, claims
}

func TestProviderTokenClaims(t *testing.T) {
	f := newFixture(t)
	header, claims := decodeJWT(t, apns.CurrentToken(f.client))
	assert.Equal(t, map[string]any{"alg": "ES256", "kid": apnstest.DefaultKeyID}, header)
	assert.Equal(t, map[string]any{"iss": apnstest.DefaultTeamID, "iat": float64(t0.Unix())}, claims)
}

func TestProviderTokenIsSignedOncePerWindow(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	first := apns.CurrentToken(f.client)
	for range 3 {
		_, err := f.client.Send(ctx, alert(), push.Devices(devices(5)...))
		require.NoError(t, err)
		f.clock.Advance(10 * time.Minute)
	}
	assert.Equal(t, int64(1), apns.Signed(f.client), "30 minutes and 15 sends later, still one token")
	f.clock.Set(t0.Add(49*time.Minute + 59*time.Second))
	assert.Equal(t, first, apns.CurrentToken(f.client))
	f.clock.Set(t0.Add(50 * time.Minute))
	second := apns.CurrentToken(f.client)
	assert.NotEqual(t, first, second, "renewed 50 minutes after signing")
	_, claims := decodeJWT(t, second)
	assert.Equal(t, float64(t0.Add(50*time.Minute).Unix()), claims["iat"])
	_, err := f.client.Send(ctx, alert(), push.Device(device(1)))
	require.NoError(t, err, "the emulator takes the renewed token: more than 20 minutes passed on the connection")
}

func TestCachedTokenAllocatesNothing(t *testing.T) {
	f := newFixture(t)
	apns.ReadCachedToken(f.client)
	allocs := testing.AllocsPerRun(1000, func() { apns.ReadCachedToken(f.client) })
	assert.Zero(t, allocs)
}

func TestExpiredProviderTokenThenSuccess(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	_, err := f.client.Send(ctx, alert(), push.Device(device(1)))
	require.NoError(t, err)
	f.srv.ExpireTokens()
	f.srv.Reset()

	r, err := f.client.Send(ctx, alert(), push.Device(device(2)))
	require.NoError(t, err)
	assert.NotEmpty(t, r.ID)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 2, "the refused request, then the same with a new token")
	assert.Equal(t, apnstest.Request{Status: 403, Reason: "ExpiredProviderToken"}, apnstest.Request{Status: reqs[0].Status, Reason: reqs[0].Reason})
	assert.True(t, reqs[1].Accepted())
	assert.NotEqual(t, reqs[0].Header.Get("Authorization"), reqs[1].Header.Get("Authorization"))
	assert.Equal(t, int64(2), apns.Signed(f.client))
}

func TestExpiredProviderTokenTwiceIsUnauthorized(t *testing.T) {
	f := newFixture(t)
	f.srv.Fail(apnstest.Fault{Status: 403, Reason: "ExpiredProviderToken", Times: 2})
	_, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	require.ErrorIs(t, err, push.ErrUnauthorized)
	assert.Contains(t, err.Error(), "clock")
	assert.Len(t, f.srv.Requests(), 2, "renewed and repeated once, not in a loop")
}

func TestTokenRenewedOnceUnder1000ConcurrentSends(t *testing.T) {
	f := newFixture(t, apns.WithConcurrency(1000))
	ctx := t.Context()
	_, err := f.client.Send(ctx, alert(), push.Device(device(0)))
	require.NoError(t, err)
	f.srv.ExpireTokens()
	f.srv.Reset()

	// Hold every request until 1000 are in flight with the old token.
	in := make(chan struct{}, 1000)
	release := make(chan struct{})
	var held int
	f.srv.Watch(func(r apnstest.Request) {
		in <- struct{}{}
		<-release
	})
	ds := devices(1000)
	done := make(chan error, 1)
	go func() {
		r, err := f.client.Send(ctx, alert(), push.Devices(ds...))
		if err == nil && len(r.Results) != len(ds) {
			err = assert.AnError
		}
		done <- err
	}()
	for held = 0; held < 1000; held++ {
		<-in
	}
	f.srv.Watch(nil)
	close(release)
	require.NoError(t, <-done)

	assert.Equal(t, int64(2), apns.Signed(f.client), "one token at first, one after ExpiredProviderToken: never one per send")
	expired, accepted := 0, map[string]int{}
	for _, r := range f.srv.Requests() {
		switch {
		case r.Reason == "ExpiredProviderToken":
			expired++
		case r.Accepted():
			accepted[r.Token]++
		default:
			t.Errorf("request to %s refused: %d %s", r.Token, r.Status, r.Reason)
		}
	}
	assert.Equal(t, 1000, expired)
	assert.Len(t, accepted, 1000)
	for tok, n := range accepted {
		assert.Equal(t, 1, n, tok)
	}
}

func TestExpiredProviderTokenIsLoggedOnce(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFixture(t, apns.WithLogger(logger), apns.WithConcurrency(50))
	_, err := f.client.Send(t.Context(), alert(), push.Device(device(0)))
	require.NoError(t, err)
	f.srv.ExpireTokens()
	_, err = f.client.Send(t.Context(), alert(), push.Devices(devices(50)...))
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(logs.String(), "refused the provider token as expired"), logs.String())
	assert.Equal(t, 2, strings.Count(logs.String(), "signed a provider token"))
	jwt := apns.CurrentToken(f.client)
	assert.NotContains(t, logs.String(), jwt[strings.LastIndexByte(jwt, '.')+1:], "no token in the logs")
}
