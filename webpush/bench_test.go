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
func floorEncrypt(tb testing.TB, plaintext []byte, ua *ecdh.PublicKey, uaPublic, auth []byte) []byte {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	secret, err := priv.ECDH(ua)
	if err != nil {
		tb.Fatal(err)
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
	return gcm.Seal(body, nonce, record, nil)
}

func BenchmarkEncryptFloor(b *testing.B) {
	br := newBenchBrowser(b, "https://push.example.net/1")
	payload := []byte(benchPayload)
	b.ReportAllocs()
	for b.Loop() {
		floorEncrypt(b, payload, br.keys.ua, br.keys.uaPublic, br.keys.auth)
	}
}

func BenchmarkEncrypt(b *testing.B) {
	br := newBenchBrowser(b, "https://push.example.net/1")
	s := sealer{random: rand.Reader}
	payload := []byte(benchPayload)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.seal(payload, br.keys); err != nil {
			b.Fatal(err)
		}
	}
}

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

// benchClient returns an HTTP client on the Client's default transport,
// trusting srv.
func benchClient(srv *httptest.Server) *http.Client {
	cfg := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	return &http.Client{Transport: httpx.NewTransport(cfg)}
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
	srv := benchServer()
	defer srv.Close()
	hc := benchClient(srv)
	defer hc.CloseIdleConnections()
	c, err := New(testKey(b), "mailto:ops@example.com", WithHTTPClient(hc), WithRetry(push.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		b.Fatal(err)
	}
	n, err := push.BrowserNotification(benchPayload)
	if err != nil {
		b.Fatal(err)
	}
	to := push.BrowserDevice(newBenchBrowser(b, srv.URL+"/push/1").sub)
	ctx := context.Background()
	runSenders(b, func() error {
		_, err := c.Send(ctx, n, to)
		return err
	})
	signed := c.tokens.signed.Load()
	b.ReportMetric(float64(signed)/float64(b.N), "signatures/op")
	if signed > 1 {
		b.Fatalf("%d VAPID signatures for %d messages to one origin; want 1", signed, b.N)
	}
}

// floorHeader is the prebuilt header of the floor pipeline's requests: a
// VAPID token signed once, the content coding, the TTL.
func floorHeader(b *testing.B, host string) http.Header {
	ts, _ := newTestTokens(b, DefaultVAPIDLifetime)
	tok, err := ts.authorization(host)
	if err != nil {
		b.Fatal(err)
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
	srv := benchServer()
	defer srv.Close()
	hc := benchClient(srv)
	defer hc.CloseIdleConnections()
	url := srv.URL + "/push/1"
	br := newBenchBrowser(b, url)
	header := floorHeader(b, srv.Listener.Addr().String())
	payload := []byte(benchPayload)
	ctx := context.Background()
	runSenders(b, func() error {
		return post(ctx, hc, url, header, floorEncrypt(b, payload, br.keys.ua, br.keys.uaPublic, br.keys.auth))
	})
}

// BenchmarkRawPOST posts one pre-encrypted body, from 16 goroutines: a send
// without the cost of encryption, for reference.
func BenchmarkRawPOST(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	hc := benchClient(srv)
	defer hc.CloseIdleConnections()
	url := srv.URL + "/push/1"
	br := newBenchBrowser(b, url)
	header := floorHeader(b, srv.Listener.Addr().String())
	body := floorEncrypt(b, []byte(benchPayload), br.keys.ua, br.keys.uaPublic, br.keys.auth)
	ctx := context.Background()
	runSenders(b, func() error { return post(ctx, hc, url, header, body) })
}
