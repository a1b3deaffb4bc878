package webpush_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"io"
	"math/big"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
	"github.com/pushwire/push/webpush"
	"github.com/pushwire/push/webpush/webpushtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// captured is a request as the Client handed it to its transport.
type captured struct {
	method, url   string
	header        http.Header
	contentLength int64
	body          []byte
}

// capture is a RoundTripper that records each request, then passes it on.
type capture struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []captured
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body.Close()
	c.mu.Lock()
	c.reqs = append(c.reqs, captured{r.Method, r.URL.String(), r.Header.Clone(), r.ContentLength, body})
	c.mu.Unlock()
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	return c.next.RoundTrip(r)
}

type wireCase struct {
	name string
	n    func(t *testing.T) push.Notification
	subs int
	opts []webpush.Option
}

func wireCases() []wireCase {
	plain := func(t *testing.T) push.Notification { return browser(t, hello, nil) }
	return []wireCase{
		{name: "minimal", n: plain, subs: 1},
		{name: "headers", subs: 1, n: func(t *testing.T) push.Notification {
			return browser(t, hello, http.Header{"Ttl": {"600"}, "Urgency": {"high"}, "Topic": {"order-42"}})
		}},
		{name: "typed", subs: 1, n: func(t *testing.T) push.Notification {
			n, err := push.WebPush{Title: "Score", Body: "Red Sox 3, Cardinals 2", Icon: "https://example.com/i.png", Tag: "score",
				Data: map[string]string{"game": "42"}, TTL: time.Hour, Urgency: "normal", Topic: "score"}.Notification()
			require.NoError(t, err)
			return n
		}},
		{name: "ttl_option", n: plain, subs: 1, opts: []webpush.Option{webpush.WithTTL(5 * time.Minute)}},
		{name: "padded", n: plain, subs: 1, opts: []webpush.Option{webpush.WithPadding(128)}},
		{name: "two_subscriptions", n: plain, subs: 2},
	}
}

// TestWire pins every request the Client writes, byte for byte: method, URL,
// headers and the encrypted body, made reproducible by a fixed random source,
// clock and emulator origin. The one part that cannot be fixed, the ES256
// signature (crypto/ecdsa always draws its own randomness), is verified by
// the test's own code and written as a placeholder. Each request is also
// read back by the emulator, whose verdict and plaintext join the golden
// file.
func TestWire(t *testing.T) {
	for _, tc := range wireCases() {
		t.Run(tc.name, func(t *testing.T) {
			clock := pushtest.NewClock(testStart)
			srv := webpushtest.NewServer(webpushtest.WithOrigin("https://push.example.net"), webpushtest.WithClock(clock),
				webpushtest.WithRand(rand.NewChaCha8([32]byte{'w', 'i', 'r', 'e'})))
			t.Cleanup(srv.Close)
			rec := &capture{next: srv.Client().Transport}
			opts := append([]webpush.Option{
				webpush.WithHTTPClient(&http.Client{Transport: rec}), webpush.WithClock(clock), webpush.WithConcurrency(1),
				webpush.WithRandom(rand.NewChaCha8([32]byte{'s', 'e', 'a', 'l'})),
			}, tc.opts...)
			c, err := webpush.New(testKey(t), "mailto:ops@example.com", opts...)
			require.NoError(t, err)
			var subs []push.BrowserSubscription
			for range tc.subs {
				subs = append(subs, srv.NewSubscription(webpushtest.WithApplicationServerKey(testPublicKey)))
			}
			n := tc.n(t)
			to := push.BrowserDevices(subs...)
			_, err = c.Send(t.Context(), n, to)
			require.NoError(t, err)

			msgs := srv.Messages()
			require.Len(t, rec.reqs, tc.subs)
			require.Len(t, msgs, tc.subs)
			var b strings.Builder
			for i, r := range rec.reqs {
				if i > 0 {
					b.WriteString("\n----\n")
				}
				writeRequest(t, &b, r)
				m := msgs[i]
				assert.Equal(t, string(n.Body), string(m.Plaintext), "the browser reads the notification's body")
				b.WriteString("\n== read back by webpushtest ==\n")
				b.WriteString("status: " + strconv.Itoa(m.Status) + "\n")
				assert.Empty(t, m.Refusal)
				b.WriteString("vapid: aud=" + m.VAPID.Audience + " exp=" + m.VAPID.Expiry.Format(time.RFC3339) + " sub=" + m.VAPID.Subject + "\n")
				b.WriteString("plaintext: " + string(m.Plaintext) + "\n")
			}
			checkGolden(t, filepath.Join("wire", tc.name+".golden"), b.String())
		})
	}
}

// writeRequest writes a captured request as the golden files hold it: the
// request line, the headers sorted by name (Content-Length included), a
// blank line and the body in base64url.
func writeRequest(t *testing.T, b *strings.Builder, r captured) {
	b.WriteString(r.method + " " + r.url + "\n")
	h := r.header.Clone()
	h["Content-Length"] = []string{strconv.FormatInt(r.contentLength, 10)}
	h["Authorization"] = []string{verifiedAuthorization(t, h.Get("Authorization"))}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range h {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range h[k] {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	assert.Equal(t, int64(len(r.body)), r.contentLength)
	b.WriteString("\n" + base64.RawURLEncoding.EncodeToString(r.body) + "\n")
}

// verifiedAuthorization verifies the ES256 signature of a vapid
// Authorization with the test's own code, and returns the header with the
// signature replaced by a placeholder.
func verifiedAuthorization(t *testing.T, h string) string {
	rest, ok := strings.CutPrefix(h, "vapid t=")
	require.True(t, ok, h)
	jwt, k, ok := strings.Cut(rest, ", k=")
	require.True(t, ok, h)
	dot := strings.LastIndexByte(jwt, '.')
	sig, err := base64.RawURLEncoding.DecodeString(jwt[dot+1:])
	require.NoError(t, err)
	require.Len(t, sig, 64)
	pub, err := base64.RawURLEncoding.DecodeString(k)
	require.NoError(t, err)
	key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), pub)
	require.NoError(t, err)
	d := sha256.Sum256([]byte(jwt[:dot]))
	require.True(t, ecdsa.Verify(key, d[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])), "the VAPID signature verifies")
	return "vapid t=" + jwt[:dot] + ".<ES256 signature, verified>, k=" + k
}

// checkGolden compares got with testdata/name, or rewrites it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -update and review the diff")
	assert.Equal(t, string(want), got, "differs from %s; run go test -update if the change is intended", path)
}
