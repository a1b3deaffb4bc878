package webpushtest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
)

var testStart = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// rfcServer is an emulator whose first subscription is the browser of the
// RFC 8291 example, so that the example's body decrypts there.
type rfcServer struct {
	*Server
	clock *pushtest.Clock
	sub   push.BrowserSubscription
	app   signer
}

func newRFCServer(t *testing.T, opts ...Option) rfcServer {
	t.Helper()
	seed := append(unb64(t, rfcUAPrivate), unb64(t, rfcAuthSecret)...)
	random := io.MultiReader(bytes.NewReader(seed), rand.NewChaCha8([32]byte{1}))
	clock := pushtest.NewClock(testStart)
	s := NewServer(append([]Option{WithRand(random), WithClock(clock)}, opts...)...)
	t.Cleanup(s.Close)
	return rfcServer{Server: s, clock: clock, sub: s.NewSubscription(), app: newSigner(t)}
}

// pushReq is a push request; the zero fields of one made by valid() are
// those of a request the emulator accepts.
type pushReq struct {
	method   string
	endpoint string
	header   http.Header
	body     []byte
	noLength bool // send the body without Content-Length
}

// valid returns a request the emulator accepts: the RFC example's body,
// TTL 10, and a VAPID token of the server's app signer.
func (s rfcServer) valid(t *testing.T) pushReq {
	return pushReq{method: http.MethodPost, endpoint: s.sub.Endpoint, body: unb64(t, rfcBody), header: http.Header{
		"Ttl":              {"10"},
		"Content-Encoding": {"aes128gcm"},
		"Content-Type":     {"application/octet-stream"},
		"Authorization":    {s.auth(t, s.app, s.URL(), s.clock.Now().Add(12*time.Hour))},
	}}
}

// auth returns the Authorization of a token by sig for aud expiring at exp.
func (s rfcServer) auth(t *testing.T, sig signer, aud string, exp time.Time) string {
	claims := `{"aud":"` + aud + `","exp":` + strconv.FormatInt(exp.Unix(), 10) + `,"sub":"mailto:ops@example.com"}`
	return "vapid t=" + sig.token(t, es256, claims) + ", k=" + sig.pub
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (s rfcServer) do(t *testing.T, r pushReq) answer {
	t.Helper()
	var body io.Reader = bytes.NewReader(r.body)
	if r.noLength {
		body = io.MultiReader(body) // hides the length
	}
	req, err := http.NewRequestWithContext(context.Background(), r.method, r.endpoint, body)
	require.NoError(t, err)
	req.Header = r.header
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func TestAccept(t *testing.T) {
	s := newRFCServer(t)
	a := s.do(t, s.valid(t))
	require.Equal(t, http.StatusCreated, a.status, a.body)
	assert.True(t, strings.HasPrefix(a.header.Get("Location"), s.URL()+"/message/"), a.header.Get("Location"))
	assert.Equal(t, "10", a.header.Get("Ttl"))

	ms := s.Messages()
	require.Len(t, ms, 1)
	m := ms[0]
	assert.Equal(t, rfcPlaintext, string(m.Plaintext), "what the browser reads")
	assert.NoError(t, m.DecryptErr)
	assert.True(t, m.Accepted())
	assert.Equal(t, a.header.Get("Location"), s.URL()+"/message/"+m.ID)
	assert.Equal(t, int64(10), m.TTL)
	assert.Equal(t, s.sub, m.Subscription)
	assert.Equal(t, testStart, m.Time)
	assert.Equal(t, VAPID{Audience: s.URL(), Expiry: testStart.Add(12 * time.Hour), Subject: "mailto:ops@example.com", Key: s.app.pub}, m.VAPID)
	assert.Empty(t, m.Header.Get("Authorization"), "the token is not kept in Header")
	assert.Equal(t, unb64(t, rfcBody), m.Body)
	assert.Equal(t, []Message{m}, s.Delivered(s.sub.Endpoint))

	env := m.Envelope()
	assert.Equal(t, push.Envelope{
		Platform: push.Browser, ContentType: push.ContentTypeJSON, Header: http.Header{"Ttl": {"10"}},
		Body: []byte(rfcPlaintext), Devices: []string{s.sub.Endpoint}, Subscriptions: []push.BrowserSubscription{s.sub},
	}, env)
}

// TestRefusals holds the emulator to the statuses of the reference, one
// change to a valid request at a time.
func TestRefusals(t *testing.T) {
	type edit func(t *testing.T, s rfcServer, r *pushReq)
	set := func(k string, v ...string) edit {
		return func(_ *testing.T, _ rfcServer, r *pushReq) {
			if v == nil {
				r.header.Del(k)
				return
			}
			r.header[k] = v
		}
	}
	body := func(f func([]byte) []byte) edit {
		return func(_ *testing.T, _ rfcServer, r *pushReq) { r.body = f(r.body) }
	}
	for _, tc := range []struct {
		name   string
		opts   []Option
		sub    func(s rfcServer) push.BrowserSubscription
		edit   edit
		status int
		reason string
	}{
		{name: "unknown endpoint", edit: func(_ *testing.T, s rfcServer, r *pushReq) { r.endpoint = s.URL() + "/push/nobody" }, status: 404, reason: "no subscription"},
		{name: "another push service's endpoint", edit: func(_ *testing.T, s rfcServer, r *pushReq) { r.endpoint = "https://fcm.googleapis.com/fcm/send/x" }, status: 404, reason: "no subscription"},
		{name: "expired", edit: func(_ *testing.T, s rfcServer, _ *pushReq) { s.Expire(s.sub.Endpoint) }, status: 410, reason: "unsubscribed or expired"},
		{name: "removed", edit: func(_ *testing.T, s rfcServer, _ *pushReq) { s.Remove(s.sub.Endpoint) }, status: 404, reason: "no longer knows"},
		{name: "GET", edit: func(_ *testing.T, _ rfcServer, r *pushReq) { r.method = http.MethodGet }, status: 405},
		{name: "no Content-Length", edit: func(_ *testing.T, _ rfcServer, r *pushReq) { r.noLength = true }, status: 411},
		{name: "no TTL", edit: set("Ttl"), status: 400, reason: "TTL header is missing"},
		{name: "TTL 1.5", edit: set("Ttl", "1.5"), status: 400, reason: "1*DIGIT"},
		{name: "TTL -1", edit: set("Ttl", "-1"), status: 400, reason: "1*DIGIT"},
		{name: "TTL twice", edit: set("Ttl", "1", "2"), status: 400, reason: "2 times"},
		{name: "TTL overflowing", edit: set("Ttl", "99999999999999999999"), status: 400, reason: "overflows"},
		{name: "Urgency urgent", edit: set("Urgency", "urgent"), status: 400, reason: "very-low"},
		{name: "Urgency twice", edit: set("Urgency", "low, high"), status: 400, reason: "more than one"},
		{name: "Topic of 33", edit: set("Topic", strings.Repeat("a", 33)), status: 400, reason: "1 to 32"},
		{name: "Topic with a dot", edit: set("Topic", "a.b"), status: 400, reason: "1 to 32"},
		{name: "no Content-Encoding", edit: set("Content-Encoding"), status: 400, reason: "aes128gcm"},
		{name: "aesgcm", edit: set("Content-Encoding", "aesgcm"), status: 400, reason: "draft-era"},
		{name: "aes128gcm and gzip", edit: set("Content-Encoding", "aes128gcm", "gzip"), status: 400, reason: "alone"},
		{name: "4097 bytes", edit: body(func([]byte) []byte { return make([]byte, 4097) }), status: 413},
		{name: "3071 bytes, constrained", opts: []Option{WithMaxBodySize(3070)}, edit: body(func([]byte) []byte { return make([]byte, 3071) }), status: 413},
		{name: "a short header", edit: body(func(b []byte) []byte { return b[:50] }), status: 400, reason: "keyid is 65 bytes but"},
		{name: "idlen 64", edit: body(func(b []byte) []byte { b[20] = 64; return b }), status: 400, reason: "idlen is 64"},
		{name: "rs 17", edit: body(func(b []byte) []byte { b[19] = 17; b[18] = 0; return b }), status: 400, reason: "at least 18"},
		{name: "two records", edit: body(func(b []byte) []byte { b[18], b[19] = 0, 40; return b }), status: 400, reason: "more than one record"},
		{name: "no room for the tag", edit: body(func(b []byte) []byte { return b[:86+16] }), status: 400, reason: "too short"},
		{name: "keyid off the curve", edit: body(func(b []byte) []byte { b[30] ^= 1; return b }), status: 400, reason: "on the curve"},
		{name: "k is the keyid", edit: func(t *testing.T, s rfcServer, r *pushReq) {
			k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), unb64(t, "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
			require.NoError(t, err)
			r.header.Set("Authorization", s.auth(t, signer{key: k, pub: rfcASPublic}, s.URL(), s.clock.Now().Add(time.Hour)))
		}, status: 400, reason: "two keys"},
		{name: "draft-era WebPush scheme", edit: set("Authorization", "WebPush abc"), status: 401, reason: "draft-era"},
		{name: "token for another origin", edit: func(t *testing.T, s rfcServer, r *pushReq) {
			r.header.Set("Authorization", s.auth(t, s.app, "https://fcm.googleapis.com", s.clock.Now().Add(time.Hour)))
		}, status: 403, reason: "aud"},
		{name: "expired token", edit: func(t *testing.T, s rfcServer, r *pushReq) { s.clock.Advance(13 * time.Hour) }, status: 403, reason: "expired"},
		{name: "restricted, no VAPID", sub: func(s rfcServer) push.BrowserSubscription {
			return s.NewSubscription(WithApplicationServerKey(s.app.pub))
		}, edit: set("Authorization"), status: 401, reason: "requires"},
		{name: "restricted to another key", sub: func(s rfcServer) push.BrowserSubscription {
			return s.NewSubscription(WithApplicationServerKey(rfcKey))
		}, status: 403, reason: "applicationServerKey"},
		{name: "VAPID required, none", opts: []Option{WithRequiredVAPID()}, edit: set("Authorization"), status: 401},
		{name: "Apple subjects, localhost", opts: []Option{WithAppleSubjects()}, edit: func(t *testing.T, s rfcServer, r *pushReq) {
			claims := `{"aud":"` + s.URL() + `","exp":` + strconv.FormatInt(s.clock.Now().Add(time.Hour).Unix(), 10) + `,"sub":"mailto:me@localhost"}`
			r.header.Set("Authorization", "vapid t="+s.app.token(t, es256, claims)+", k="+s.app.pub)
		}, status: 403, reason: "not a public domain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newRFCServer(t, tc.opts...)
			r := s.valid(t)
			if tc.sub != nil {
				r.endpoint = tc.sub(s).Endpoint
			}
			if tc.edit != nil {
				tc.edit(t, s, &r)
			}
			a := s.do(t, r)
			assert.Equal(t, tc.status, a.status, a.body)
			ms := s.Messages()
			require.Len(t, ms, 1, "every request is recorded, refused ones too")
			assert.Equal(t, tc.status, ms[0].Status)
			assert.Contains(t, ms[0].Refusal, tc.reason)
			assert.Empty(t, ms[0].ID)
			var doc struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
				Reason  string `json:"reason"`
			}
			require.NoError(t, json.Unmarshal([]byte(a.body), &doc), a.body)
			if doc.Reason == "" {
				assert.Equal(t, tc.status, doc.Code)
				assert.Equal(t, ms[0].Refusal, doc.Message)
			} else {
				assert.Equal(t, "BadJwtToken", doc.Reason)
			}
		})
	}
}

// TestAcceptVariants checks what the emulator takes that a strict reading
// might refuse.
func TestAcceptVariants(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []Option
		edit  func(t *testing.T, s rfcServer, r *pushReq)
		check func(t *testing.T, a answer, m Message)
	}{
		{name: "no VAPID, unrestricted", edit: func(_ *testing.T, _ rfcServer, r *pushReq) { r.header.Del("Authorization") }},
		{name: "restricted to its key", edit: func(t *testing.T, s rfcServer, r *pushReq) {
			r.endpoint = s.NewSubscription(WithApplicationServerKey(s.app.pub)).Endpoint
			r.body = nil // another browser: the RFC's body would not decrypt
			r.header.Del("Content-Encoding")
		}},
		{name: "no payload", edit: func(_ *testing.T, _ rfcServer, r *pushReq) { r.body = nil }, check: func(t *testing.T, _ answer, m Message) {
			assert.Nil(t, m.Plaintext)
			assert.NoError(t, m.DecryptErr)
		}},
		{name: "TTL 0 and TTL capped", edit: func(_ *testing.T, _ rfcServer, r *pushReq) { r.header.Set("Ttl", "0") }, check: func(t *testing.T, a answer, m Message) {
			assert.Equal(t, "0", a.header.Get("Ttl"))
		}},
		{name: "a TTL over four weeks", edit: func(_ *testing.T, _ rfcServer, r *pushReq) { r.header.Set("Ttl", "99999999") }, check: func(t *testing.T, a answer, m Message) {
			assert.Equal(t, strconv.Itoa(DefaultMaxTTL), a.header.Get("Ttl"))
			assert.Equal(t, int64(DefaultMaxTTL), m.TTL)
		}},
		{name: "Urgency and Topic", edit: func(_ *testing.T, _ rfcServer, r *pushReq) {
			r.header.Set("Urgency", "very-low")
			r.header.Set("Topic", strings.Repeat("Z", 32))
		}},
		{name: "Apple subjects, a real one", opts: []Option{WithAppleSubjects()}},
		{name: "undecryptable: accepted, as a push service would", edit: func(_ *testing.T, _ rfcServer, r *pushReq) { r.body[100] ^= 1 }, check: func(t *testing.T, _ answer, m Message) {
			assert.Nil(t, m.Plaintext)
			assert.ErrorContains(t, m.DecryptErr, "authentication tag")
		}},
		{name: "respond-async", edit: func(_ *testing.T, _ rfcServer, r *pushReq) { r.header.Set("Prefer", "respond-async") }, check: func(t *testing.T, a answer, m Message) {
			assert.Equal(t, http.StatusAccepted, a.status)
			assert.Contains(t, a.header.Get("Link"), `rel="urn:ietf:params:push:receipt"`)
			assert.True(t, m.Accepted())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newRFCServer(t, tc.opts...)
			r := s.valid(t)
			if tc.edit != nil {
				tc.edit(t, s, &r)
			}
			a := s.do(t, r)
			ms := s.Messages()
			require.Len(t, ms, 1)
			if tc.check != nil {
				tc.check(t, a, ms[0])
				return
			}
			assert.Equal(t, http.StatusCreated, a.status, a.body)
		})
	}
}

func TestTopicSupersedes(t *testing.T) {
	s := newRFCServer(t)
	r := s.valid(t)
	r.header.Set("Topic", "score")
	s.do(t, r)
	r.header.Set("Topic", "other")
	s.do(t, r)
	r.header.Set("Topic", "score")
	s.do(t, r)
	ms := s.Delivered(s.sub.Endpoint)
	require.Len(t, ms, 3)
	assert.Equal(t, []bool{true, false, false}, []bool{ms[0].Superseded, ms[1].Superseded, ms[2].Superseded})
}

func TestFaults(t *testing.T) {
	s := newRFCServer(t)
	other := s.NewSubscription()
	s.Fail(Fault{Status: 429, RetryAfter: 1500 * time.Millisecond, Times: 1})
	s.Fail(Fault{Status: 503, Endpoint: other.Endpoint})

	a := s.do(t, s.valid(t))
	assert.Equal(t, 429, a.status)
	assert.Equal(t, "2", a.header.Get("Retry-After"), "whole seconds, rounded up")
	assert.Equal(t, 201, s.do(t, s.valid(t)).status, "a fault of Times 1 applies once")

	r := s.valid(t)
	r.endpoint = other.Endpoint
	assert.Equal(t, 503, s.do(t, r).status)
	assert.Equal(t, 503, s.do(t, r).status, "a fault of Times 0 applies until cleared")
	s.ClearFaults()
	assert.Equal(t, 201, s.do(t, r).status)

	s.Fail(Fault{Drop: true, Times: 1})
	req, err := http.NewRequest(http.MethodPost, s.sub.Endpoint, bytes.NewReader(s.valid(t).body))
	require.NoError(t, err)
	req.Header = s.valid(t).header
	_, err = s.Client().Do(req)
	assert.Error(t, err, "a dropped request gets no answer")

	ms := s.Messages()
	require.Len(t, ms, 6)
	assert.Equal(t, "injected fault", ms[0].Refusal)
	assert.Equal(t, rfcPlaintext, string(ms[0].Plaintext), "a faulted message is decrypted all the same")
	assert.Equal(t, 0, ms[5].Status)
	assert.Equal(t, "dropped by an injected fault", ms[5].Refusal)
}

func TestOnRequest(t *testing.T) {
	s := newRFCServer(t)
	var n atomic.Int32
	s.OnRequest(func(endpoint string) {
		assert.Equal(t, s.sub.Endpoint, endpoint)
		assert.Empty(t, s.Messages(), "called before the request is answered")
		n.Add(1)
	})
	s.do(t, s.valid(t))
	s.OnRequest(nil)
	s.do(t, s.valid(t))
	assert.Equal(t, int32(1), n.Load())
}

func TestKeysAndSubscriptions(t *testing.T) {
	s := newRFCServer(t)
	k, ok := s.Keys(s.sub.Endpoint)
	require.True(t, ok)
	assert.Equal(t, unb64(t, rfcUAPrivate), k.Private)
	assert.Equal(t, unb64(t, s.sub.P256DH), k.Public)
	assert.Equal(t, unb64(t, rfcAuthSecret), k.Auth)
	assert.Equal(t, "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", s.sub.P256DH)
	_, ok = s.Keys(s.URL() + "/push/nobody")
	assert.False(t, ok)
	assert.False(t, s.Expire("https://nowhere.example/1"))
	assert.Equal(t, []push.BrowserSubscription{s.sub}, s.Subscriptions())
	s.Reset()
	assert.Empty(t, s.Messages())
}

func TestSubscribeRoute(t *testing.T) {
	s := newRFCServer(t)
	post := func(body string) (int, map[string]any) {
		resp, err := s.Client().Post(s.URL()+"/subscribe", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var doc map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
		return resp.StatusCode, doc
	}
	status, doc := post("")
	require.Equal(t, http.StatusCreated, status)
	assert.True(t, strings.HasPrefix(doc["endpoint"].(string), s.URL()+"/push/"))
	assert.Contains(t, doc, "expirationTime")
	assert.Len(t, doc["keys"].(map[string]any)["auth"], 22)

	status, doc = post(`{"applicationServerKey":"` + s.app.pub + `"}`)
	require.Equal(t, http.StatusCreated, status)
	r := s.valid(t)
	r.endpoint, r.body = doc["endpoint"].(string), nil
	r.header.Del("Authorization")
	assert.Equal(t, http.StatusUnauthorized, s.do(t, r).status, "the subscription is restricted")

	status, _ = post(`{"applicationServerKey":"BAAA"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _ = post(`not json`)
	assert.Equal(t, http.StatusBadRequest, status)
}

// TestHTTP1 posts over HTTP/1.1, as a client without HTTP/2 does.
func TestHTTP1(t *testing.T) {
	s := newRFCServer(t)
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
	defer tr.CloseIdleConnections()
	r := s.valid(t)
	req, err := http.NewRequest(http.MethodPost, r.endpoint, bytes.NewReader(r.body))
	require.NoError(t, err)
	req.Header = r.header
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "HTTP/1.1", resp.Proto)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, rfcPlaintext, string(s.Messages()[0].Plaintext))
}

func TestWithOrigin(t *testing.T) {
	s := newRFCServer(t, WithOrigin("https://push.example.net"))
	assert.Equal(t, "https://push.example.net", s.URL())
	assert.True(t, strings.HasPrefix(s.sub.Endpoint, "https://push.example.net/push/"))
	a := s.do(t, s.valid(t))
	assert.Equal(t, http.StatusCreated, a.status, a.body)
	_, port, err := net.SplitHostPort(s.Addr())
	require.NoError(t, err)
	assert.NotEmpty(t, port)
	assert.Panics(t, func() { NewServer(WithOrigin("https://push.example.net/push")) })
}

func TestApplicationServerKeyPanics(t *testing.T) {
	s := newRFCServer(t)
	assert.Panics(t, func() { s.NewSubscription(WithApplicationServerKey("BAAA")) })
	assert.Panics(t, func() { s.NewSubscription(WithApplicationServerKey("B" + strings.Repeat("A", 86))) })
}
