package webpush

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// The benchmarks compare, in one run, what the Client does with a floor
// written minimally here:
//
//	go test -run '^$' -bench 'Encrypt|Send$|FloorPipeline|RawPOST|Authorization' -benchmem -count 5 ./webpush/
//
//   - BenchmarkEncrypt against BenchmarkEncryptFloor: the encryption of one
//     message against one P-256 key generation and ECDH, two HKDF
//     derivations and one AES-GCM seal. Goal: within 1.2x of the floor.
//   - BenchmarkAuthorization: the VAPID header of a message, from the cache:
//     no signature, no allocation. BenchmarkSend reports signatures/op and
//     fails if it signed more than once.
//   - BenchmarkSend against BenchmarkFloorPipeline: a send through the Client
//     at 16 concurrent senders, against the floor encryption, a prebuilt
//     VAPID header and a bare POST to the same local TLS server. Goal: at
//     least 0.9 of the floor's throughput. BenchmarkRawPOST posts a
//     pre-encrypted body, for reference: what encryption costs.
//
// TestThroughputRatio (PUSH_PERF=1) holds the goals as ratios.

// benchSenders is how many goroutines send at once.
const benchSenders = 16

const benchPayload = `{"title":"Score","body":"Red Sox 3, Cardinals 2","tag":"score","data":{"game":"42"}}`

// benchBrowser is a subscription's browser side: its keys.
type benchBrowser struct {
	sub  push.BrowserSubscription
	keys keys
}

func newBenchBrowser(tb testing.TB, endpoint string) benchBrowser {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	sub := push.BrowserSubscription{Endpoint: endpoint,
		P256DH: base64.RawURLEncoding.EncodeToString(priv.PublicKey().Bytes()), Auth: base64.RawURLEncoding.EncodeToString(auth)}
	k, err := parseKeys(sub.P256DH, sub.Auth)
	if err != nil {
		tb.Fatal(err)
	}
	return benchBrowser{sub: sub, keys: k}
}

// floorEncrypt is the floor of one message's encryption, written minimally:
// one key generation and ECDH, two HKDF derivations, one AES-GCM seal.
func floorEncrypt(plaintext []byte, ua *ecdh.PublicKey, uaPublic, auth []byte) ([]byte, error) {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	secret, err := priv.ECDH(ua)
	if err != nil {
		return nil, err
	}
	asPublic := priv.PublicKey().Bytes()
	var salt [16]byte
	rand.Read(salt[:])
	ikm, _ := hkdf.Key(sha256.New, secret, auth, "WebPush: info\x00"+string(uaPublic)+string(asPublic), 32)
	prk, _ := hkdf.Extract(sha256.New, ikm, salt[:])
	cek, _ := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	nonce, _ := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	block, _ := aes.NewCipher(cek)
	gcm, _ := cipher.NewGCM(block)
	body := append(salt[:], 0, 0, 16, 0, 65)
	body = append(body, asPublic...)
	record := make([]byte, len(plaintext)+1)
	copy(record, plaintext)
	record[len(plaintext)] = 2
	return gcm.Seal(body, nonce, record, nil), nil
}

// encryptFloorOp returns one floor encryption.
func encryptFloorOp(tb testing.TB) func() error {
	br := newBenchBrowser(tb, "https://push.example.net/1")
	payload := []byte(benchPayload)
	return func() error {
		_, err := floorEncrypt(payload, br.keys.ua, br.keys.uaPublic, br.keys.auth)
		return err
	}
}

// encryptOp returns one encryption by the Client's sealer.
func encryptOp(tb testing.TB) func() error {
	br := newBenchBrowser(tb, "https://push.example.net/1")
	s := sealer{random: rand.Reader}
	payload := []byte(benchPayload)
	return func() error {
		_, err := s.seal(payload, br.keys)
		return err
	}
}

func runOne(b *testing.B, op func() error) {
	b.ReportAllocs()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncryptFloor(b *testing.B) { runOne(b, encryptFloorOp(b)) }

func BenchmarkEncrypt(b *testing.B) { runOne(b, encryptOp(b)) }

// BenchmarkAuthorization reads a cached VAPID token: it allocates nothing.
func BenchmarkAuthorization(b *testing.B) {
	ts, _ := newTestTokens(b, DefaultVAPIDLifetime)
	if _, err := ts.authorization("fcm.googleapis.com"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.authorization("fcm.googleapis.com"); err != nil {
			b.Fatal(err)
		}
	}
	if ts.signed.Load() != 1 {
		b.Fatalf("%d signatures; want 1", ts.signed.Load())
	}
}

// benchServer is a TLS server (HTTP/2, as push services are) that accepts
// every message as a push service does.
func benchServer() *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header()["Location"] = []string{"https://" + r.Host + "/message/abc"}
		w.WriteHeader(http.StatusCreated)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	return srv
}

// rig is a local push service and what the send benchmarks share: an HTTP
// client on the Client's default transport, trusting it, and a
// subscription's browser.
type rig struct {
	srv *httptest.Server
	hc  *http.Client
	url string
	br  benchBrowser
}

func newRig(tb testing.TB) *rig {
	srv := benchServer()
	cfg := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	url := srv.URL + "/push/1"
	return &rig{srv: srv, hc: &http.Client{Transport: httpx.NewTransport(cfg)}, url: url, br: newBenchBrowser(tb, url)}
}

func (r *rig) close() {
	r.hc.CloseIdleConnections()
	r.srv.Close()
}

// sendOp returns a send through a Client, and the Client.
func (r *rig) sendOp(tb testing.TB) (func() error, *Client) {
	c, err := New(testKey(tb), "mailto:ops@example.com", WithHTTPClient(r.hc), WithRetry(push.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		tb.Fatal(err)
	}
	n, err := push.BrowserNotification(benchPayload)
	if err != nil {
		tb.Fatal(err)
	}
	to := push.BrowserDevice(r.br.sub)
	ctx := context.Background()
	return func() error {
		_, err := c.Send(ctx, n, to)
		return err
	}, c
}

// floorOp returns the floor of a send: the floor encryption, a prebuilt
// VAPID header and a bare POST.
func (r *rig) floorOp(tb testing.TB) func() error {
	header := floorHeader(tb, r.srv.Listener.Addr().String())
	payload := []byte(benchPayload)
	ctx := context.Background()
	return func() error {
		body, err := floorEncrypt(payload, r.br.keys.ua, r.br.keys.uaPublic, r.br.keys.auth)
		if err != nil {
			return err
		}
		return post(ctx, r.hc, r.url, header, body)
	}
}

// rawOp returns a bare POST of one pre-encrypted body.
func (r *rig) rawOp(tb testing.TB) func() error {
	header := floorHeader(tb, r.srv.Listener.Addr().String())
	body, err := floorEncrypt([]byte(benchPayload), r.br.keys.ua, r.br.keys.uaPublic, r.br.keys.auth)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	return func() error { return post(ctx, r.hc, r.url, header, body) }
}

// runSenders runs op from benchSenders goroutines until b.N ops are done.
func runSenders(b *testing.B, op func() error) {
	b.SetParallelism((benchSenders + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkSend sends through the Client from 16 goroutines.
func BenchmarkSend(b *testing.B) {
	r := newRig(b)
	defer r.close()
	op, c := r.sendOp(b)
	runSenders(b, op)
	signed := c.tokens.signed.Load()
	b.ReportMetric(float64(signed)/float64(b.N), "signatures/op")
	if signed > 1 {
		b.Fatalf("%d VAPID signatures for %d messages to one origin; want 1", signed, b.N)
	}
}

// floorHeader is the prebuilt header of the floor pipeline's requests: a
// VAPID token signed once, the content coding, the TTL.
func floorHeader(tb testing.TB, host string) http.Header {
	ts, _ := newTestTokens(tb, DefaultVAPIDLifetime)
	tok, err := ts.authorization(host)
	if err != nil {
		tb.Fatal(err)
	}
	return http.Header{
		"Authorization":    tok.header,
		"Content-Encoding": {"aes128gcm"},
		"Content-Type":     {"application/octet-stream"},
		"Ttl":              {"86400"},
	}
}

// post makes one bare POST of body and checks the answer.
func post(ctx context.Context, hc *http.Client, url string, header http.Header, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header = header
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return &push.Error{StatusCode: resp.StatusCode}
	}
	return nil
}

// BenchmarkFloorPipeline is the floor of a send: the floor encryption, a
// prebuilt VAPID header and a bare POST, from 16 goroutines.
func BenchmarkFloorPipeline(b *testing.B) {
	r := newRig(b)
	defer r.close()
	runSenders(b, r.floorOp(b))
}

// BenchmarkRawPOST posts one pre-encrypted body, from 16 goroutines: a send
// without the cost of encryption, for reference.
func BenchmarkRawPOST(b *testing.B) {
	r := newRig(b)
	defer r.close()
	runSenders(b, r.rawOp(b))
}
