package webpush_test

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/webpush"
	"github.com/pushwire/push/webpush/webpushtest"
)

const hello = `{"title":"Order shipped","body":"Arriving Tuesday"}`

// TestSendBrowsersRead sends to three browsers and checks what each read,
// the headers the push service got, and the Results.
func TestSendBrowsersRead(t *testing.T) {
	e := newEnv(t, nil)
	subs := []push.BrowserSubscription{e.subscribe(), e.subscribe(), e.subscribe()}
	n := browser(t, hello, http.Header{"Ttl": {"600"}, "Urgency": {"high"}, "Topic": {"order-42"}})

	r, err := e.send(t, n, subs...)
	require.NoError(t, err)
	require.Len(t, r.Results, 3)
	for i, sub := range subs {
		res := r.Results[i]
		assert.Equal(t, sub.Endpoint, res.Handle, "Results in input order")
		ms := e.srv.Delivered(sub.Endpoint)
		require.Len(t, ms, 1)
		m := ms[0]
		assert.Equal(t, hello, string(m.Plaintext), "what the service worker reads")
		assert.Equal(t, e.srv.URL()+"/message/"+m.ID, res.ID, "the ID is the Location")
		assert.Equal(t, "600", m.Header.Get("Ttl"))
		assert.Equal(t, "high", m.Header.Get("Urgency"))
		assert.Equal(t, "order-42", m.Header.Get("Topic"))
		assert.Equal(t, "aes128gcm", m.Header.Get("Content-Encoding"))
		assert.Equal(t, "application/octet-stream", m.Header.Get("Content-Type"))
		assert.Equal(t, webpushtest.VAPID{Audience: e.srv.URL(), Expiry: testStart.Add(12 * time.Hour), Subject: "mailto:ops@example.com", Key: testPublicKey}, m.VAPID)
		assert.Len(t, m.Body, 86+len(hello)+1+16, "no padding by default")
	}
	assert.NotEqual(t, e.srv.Messages()[0].Body[:16], e.srv.Messages()[1].Body[:16], "a fresh salt per message")
	assert.NotEqual(t, e.srv.Messages()[0].Body[21:86], e.srv.Messages()[1].Body[21:86], "a fresh key pair per message")
}

func TestSendTTL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []webpush.Option
		header http.Header
		want   string
	}{
		{"default, 24 hours", nil, nil, "86400"},
		{"WithTTL", []webpush.Option{webpush.WithTTL(time.Hour)}, nil, "3600"},
		{"WithTTL(0), asked for", []webpush.Option{webpush.WithTTL(0)}, nil, "0"},
		{"the notification's wins", []webpush.Option{webpush.WithTTL(time.Hour)}, http.Header{"Ttl": {"60"}}, "60"},
		{"the notification's 0", nil, http.Header{"Ttl": {"0"}}, "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, tc.opts...)
			sub := e.subscribe()
			_, err := e.send(t, browser(t, hello, tc.header), sub)
			require.NoError(t, err)
			assert.Equal(t, tc.want, e.srv.Messages()[0].Header.Get("Ttl"))
		})
	}
}

// TestSendTypedWebPush sends a push.WebPush, whose TTL, Urgency and Topic the
// core renders as headers.
func TestSendTypedWebPush(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	n, err := push.WebPush{Title: "Score", Body: "3-2", TTL: 90 * time.Second, Urgency: "low", Topic: "score"}.Notification()
	require.NoError(t, err)
	_, err = e.send(t, n, sub)
	require.NoError(t, err)
	m := e.srv.Messages()[0]
	assert.Equal(t, string(n.Body), string(m.Plaintext))
	assert.Equal(t, []string{"90", "low", "score"}, []string{m.Header.Get("Ttl"), m.Header.Get("Urgency"), m.Header.Get("Topic")})
}

// TestSendUnregistered checks that 404 and 410 report a dead subscription,
// which is never retried.
func TestSendUnregistered(t *testing.T) {
	e := newEnv(t, nil)
	gone, removed, live := e.subscribe(), e.subscribe(), e.subscribe()
	e.srv.Expire(gone.Endpoint)
	e.srv.Remove(removed.Endpoint)

	r, err := e.send(t, browser(t, hello, nil), gone, removed, live)
	var de *push.DevicesError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 3, de.Total)
	assert.Len(t, de.Failed, 2)
	assert.True(t, errors.Is(err, push.ErrUnregistered))
	for i, status := range []int{410, 404} {
		res := r.Results[i]
		assert.True(t, res.Unregistered(), "result %d: %v", i, res.Err)
		var pe *push.Error
		require.ErrorAs(t, res.Err, &pe)
		assert.Equal(t, status, pe.StatusCode)
		assert.Contains(t, pe.Detail, "delete it")
	}
	assert.NoError(t, r.Results[2].Err)
	assert.Len(t, e.srv.Messages(), 3, "one request each: a dead subscription is not retried")
	assert.Empty(t, e.clock.Sleeps())

	_, err = e.send(t, browser(t, hello, nil), gone)
	assert.ErrorIs(t, err, push.ErrUnregistered, "one subscription's own error")
}

// TestSendThrottled checks that a 429 is retried after the Retry-After the
// push service asked for, and reported with it when the retries run out.
func TestSendThrottled(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	e.srv.Fail(webpushtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second, Times: 1})
	r, err := e.send(t, browser(t, hello, nil), sub)
	require.NoError(t, err)
	assert.NotEmpty(t, r.ID)
	require.Len(t, e.clock.Sleeps(), 1)
	assert.GreaterOrEqual(t, e.clock.Sleeps()[0], 7*time.Second, "waited for Retry-After")
	assert.Len(t, e.srv.Messages(), 2)
	assert.Len(t, e.srv.Delivered(sub.Endpoint), 1)

	once := newEnv(t, nil, webpush.WithRetry(push.RetryPolicy{MaxAttempts: 1}))
	sub = once.subscribe()
	once.srv.Fail(webpushtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second})
	_, err = once.send(t, browser(t, hello, nil), sub)
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, push.ErrThrottled, pe.Kind)
	assert.Equal(t, 7*time.Second, pe.RetryAfter)
	assert.Equal(t, http.StatusTooManyRequests, pe.StatusCode)
	assert.Contains(t, pe.Detail, "injected by webpushtest", "the service's words are kept")
}

func TestSendServerErrors(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	e.srv.Fail(webpushtest.Fault{Status: http.StatusServiceUnavailable, Times: 2})
	_, err := e.send(t, browser(t, hello, nil), sub)
	require.NoError(t, err, "retried past two 503s")
	assert.Len(t, e.srv.Messages(), 3)

	e.srv.Fail(webpushtest.Fault{Status: http.StatusInternalServerError})
	_, err = e.send(t, browser(t, hello, nil), sub)
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, push.ErrUnavailable, pe.Kind)
	assert.Equal(t, 4, pe.Attempts, "the default policy's 4 attempts")
}

// TestSendDropped checks that a connection lost after the request was sent
// leaves the outcome unknown, which is not retried unless asked.
func TestSendDropped(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	e.srv.Fail(webpushtest.Fault{Drop: true, Times: 1})
	_, err := e.send(t, browser(t, hello, nil), sub)
	assert.ErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.Len(t, e.srv.Messages(), 1, "not retried: the browser may have the message")

	p := push.DefaultRetryPolicy()
	p.RetryUnknownOutcome = true
	e = newEnv(t, nil, webpush.WithRetry(p))
	sub = e.subscribe()
	e.srv.Fail(webpushtest.Fault{Drop: true, Times: 1})
	_, err = e.send(t, browser(t, hello, nil), sub)
	assert.NoError(t, err)
	assert.Len(t, e.srv.Messages(), 2)
}

// TestSendUnauthorized checks that a refused VAPID key is said plainly, and
// fails that subscription alone: each push service judges the token itself.
func TestSendUnauthorized(t *testing.T) {
	e := newEnv(t, nil, webpush.WithConcurrency(1))
	other := e.srv.NewSubscription(webpushtest.WithApplicationServerKey("BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs"))
	r, err := e.send(t, browser(t, hello, nil), other, e.subscribe(), e.subscribe())
	require.Error(t, err)
	var pe *push.Error
	require.ErrorAs(t, r.Results[0].Err, &pe)
	assert.Equal(t, push.ErrUnauthorized, pe.Kind)
	assert.Equal(t, http.StatusForbidden, pe.StatusCode)
	assert.Contains(t, pe.Detail, "refused the VAPID signature or claims")
	assert.Contains(t, pe.Detail, "applicationServerKey")
	assert.Contains(t, pe.Detail, "the push service said: k is not the applicationServerKey")
	for _, res := range r.Results[1:] {
		assert.True(t, res.Accepted(), "the other subscriptions go on")
	}
	assert.Len(t, e.srv.Messages(), 3)
}

func TestSendTooLarge(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	body := func(n int) string { return `{"t":"` + strings.Repeat("x", n-8) + `"}` }

	_, err := e.send(t, browser(t, body(webpush.MaxPayload+1), nil), sub)
	assert.ErrorIs(t, err, push.ErrPayloadTooLarge)
	assert.Contains(t, err.Error(), "3994 bytes; a Web Push message carries at most 3993")
	assert.Empty(t, e.srv.Messages(), "refused before any I/O")

	_, err = e.send(t, browser(t, body(webpush.MaxPayload), nil), sub)
	require.NoError(t, err)
	m := e.srv.Messages()[0]
	assert.Len(t, m.Body, webpush.MaxBodySize, "3993 bytes encrypt to exactly 4096")
	assert.Equal(t, body(webpush.MaxPayload), string(m.Plaintext))

	small := newEnv(t, []webpushtest.Option{webpushtest.WithMaxBodySize(3070)})
	sub = small.subscribe()
	_, err = small.send(t, browser(t, body(3000), nil), sub)
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, push.ErrPayloadTooLarge, pe.Kind)
	assert.Equal(t, http.StatusRequestEntityTooLarge, pe.StatusCode)
	assert.Contains(t, pe.Detail, "Firefox for Android 3070")
	assert.Len(t, small.srv.Messages(), 1, "not retried")
}

func TestSendPadding(t *testing.T) {
	for _, tc := range []struct {
		name     string
		multiple int
		payload  int
		want     int // body bytes
	}{
		{"to 1024", 1024, len(hello), 86 + 1024 + 16},
		{"exact multiple", 52, len(hello), 86 + 52 + 16},
		{"two blocks", 32, len(hello), 86 + 64 + 16},
		{"capped at 4096", 1024, 3500, webpush.MaxBodySize},
		{"4096 pads everything to the limit", 4096, len(hello), webpush.MaxBodySize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, webpush.WithPadding(tc.multiple))
			sub := e.subscribe()
			payload := hello
			if tc.payload > len(hello) {
				payload = `{"t":"` + strings.Repeat("x", tc.payload-8) + `"}`
			}
			_, err := e.send(t, browser(t, payload, nil), sub)
			require.NoError(t, err)
			m := e.srv.Messages()[0]
			assert.Len(t, m.Body, tc.want)
			assert.Equal(t, payload, string(m.Plaintext), "the browser removes the padding")
		})
	}
}

// TestSendBadSubscription checks that a subscription whose keys or endpoint
// cannot be used fails alone, before any I/O for it.
func TestSendBadSubscription(t *testing.T) {
	e := newEnv(t, nil)
	good := e.subscribe()
	badKey := good
	badKey.Endpoint += "x"
	badKey.P256DH = "BAAA"
	plain := push.BrowserSubscription{Endpoint: "http://push.example.net/1", P256DH: good.P256DH, Auth: good.Auth}

	r, err := e.send(t, browser(t, hello, nil), badKey, good, plain)
	require.Error(t, err)
	assert.ErrorIs(t, r.Results[0].Err, push.ErrInvalidTarget)
	assert.Contains(t, r.Results[0].Err.Error(), "keys.p256dh is 3 bytes")
	assert.NoError(t, r.Results[1].Err)
	assert.ErrorIs(t, r.Results[2].Err, push.ErrInvalidTarget)
	assert.Contains(t, r.Results[2].Err.Error(), "not an https URL")
	require.Len(t, e.srv.Messages(), 1)
	assert.Equal(t, good.Endpoint, e.srv.Messages()[0].Endpoint)
}

// TestSendUnsupported checks that what the Client does not deliver is
// refused before any I/O, as such.
func TestSendUnsupported(t *testing.T) {
	e := newEnv(t, nil)
	apple, err := push.AppleNotification(`{"aps":{"alert":"hi"}}`)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		n    push.Notification
		to   push.Target
	}{
		{"apple to a device", apple, push.Device(strings.Repeat("a", 64))},
		{"browser to tags", browser(t, hello, nil), push.Tags("news")},
		{"browser to everyone", browser(t, hello, nil), push.Broadcast()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.Send(context.Background(), tc.n, tc.to)
			assert.ErrorIs(t, err, push.ErrUnsupported)
			assert.ErrorIs(t, err, errors.ErrUnsupported)
		})
	}
	assert.Empty(t, e.srv.Messages())
}

// TestSendHTTP1 sends over HTTP/1.1, as to a push service without HTTP/2.
func TestSendHTTP1(t *testing.T) {
	e := newEnv(t, nil)
	tr := e.srv.Client().Transport.(*http.Transport).Clone()
	tr.ForceAttemptHTTP2 = false
	tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	tr.TLSClientConfig.NextProtos = nil
	defer tr.CloseIdleConnections()
	c, err := webpush.New(testKey(t), "mailto:ops@example.com", webpush.WithHTTPClient(&http.Client{Transport: tr}), webpush.WithClock(e.clock))
	require.NoError(t, err)
	sub := e.subscribe()
	_, err = c.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(sub))
	require.NoError(t, err)
	m := e.srv.Messages()[0]
	assert.Equal(t, hello, string(m.Plaintext))
	assert.Equal(t, "Go-http-client/1.1", m.Header.Get("User-Agent"))
}

// TestSendOneTokenPerWindow checks on the emulator that messages share their
// origin's token until it is due, then get a new one.
func TestSendOneTokenPerWindow(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	for range 3 {
		_, err := e.send(t, browser(t, hello, nil), sub)
		require.NoError(t, err)
		e.clock.Advance(3 * time.Hour)
	}
	ms := e.srv.Messages()
	require.Len(t, ms, 3)
	assert.Equal(t, ms[0].VAPID, ms[1].VAPID)
	assert.Equal(t, ms[0].VAPID, ms[2].VAPID, "6 hours in, the 12-hour token is reused")
	e.clock.Advance(3 * time.Hour) // 12 hours after the first: past its renewal
	_, err := e.send(t, browser(t, hello, nil), sub)
	require.NoError(t, err)
	last := e.srv.Messages()[3]
	assert.Equal(t, http.StatusCreated, last.Status, last.Refusal)
	assert.Equal(t, e.clock.Now().Add(12*time.Hour), last.VAPID.Expiry)
}

// TestSendAppleSubjects sends through an emulator that checks subjects as
// Apple does: New only takes subjects Apple takes.
func TestSendAppleSubjects(t *testing.T) {
	e := newEnv(t, []webpushtest.Option{webpushtest.WithAppleSubjects()})
	sub := e.subscribe()
	_, err := e.send(t, browser(t, hello, nil), sub)
	assert.NoError(t, err)
	_, err = webpush.New(testKey(t), "mailto:dev@localhost")
	assert.ErrorContains(t, err, "Apple")
}

// TestSendLeadingZeroSecret sends a message whose ECDH secret starts with a
// zero byte, which a client that drops it (webpush-go before its fix) makes
// undecryptable once in 256 messages: the ephemeral key is found for the
// subscription, then injected.
func TestSendLeadingZeroSecret(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	ua, err := ecdh.P256().NewPublicKey(mustB64(t, sub.P256DH))
	require.NoError(t, err)
	rng := rand.NewChaCha8([32]byte{'z', 'e', 'r', 'o'})
	scalar := make([]byte, 32)
	for {
		rng.Read(scalar)
		priv, err := ecdh.P256().NewPrivateKey(scalar)
		if err != nil {
			continue
		}
		if secret, err := priv.ECDH(ua); err == nil && secret[0] == 0 {
			break
		}
	}
	c, err := webpush.New(testKey(t), "mailto:ops@example.com", webpush.WithHTTPClient(e.srv.Client()),
		webpush.WithRandom(bytes.NewReader(append(scalar, make([]byte, 16)...))), webpush.WithClock(e.clock))
	require.NoError(t, err)
	_, err = c.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(sub))
	require.NoError(t, err)
	m := e.srv.Messages()[0]
	assert.Equal(t, hello, string(m.Plaintext), "the browser decrypts it: %v", m.DecryptErr)
	keys, _ := e.srv.Keys(sub.Endpoint)
	plain, err := openMessage(keys.Private, keys.Auth, m.Body)
	require.NoError(t, err)
	assert.Equal(t, hello, string(plain))
}

func mustB64(t *testing.T, s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}
