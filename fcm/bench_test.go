package fcm_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"golang.org/x/oauth2"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
)

// The send benchmarks compare a send through the Client with the same
// request POSTed by hand, against the same local HTTP/2 TLS server, with
// the same transport, at 16 and 128 concurrent senders. Compare their
// ns/op and allocs/op in one run:
//
//	go test -run '^$' -bench 'Send|RawPOST' -benchmem -count 5 ./fcm/
//
// The goals: at least 0.95 of the raw POST's throughput, at most 10
// allocations a send more.

const benchToken = "cXkX0wU1T0m:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx1bIqq6Ch8F8hkF4sKwBuY2bQlpV0Qk_Oa6XNX8xSRkpmHzi-1-l8F3Cu3vRSFlG7dQd6m1tXjuKc9gEJ1Hjb6HV4Q8A7sL3YGmM4Kk5Y"

const benchName = `{"name":"projects/bench/messages/0:1500415314455276%31bd1c9631bd1c96"}`

// benchServer is an HTTP/2 TLS server that answers every request as FCM
// accepts a send.
func benchServer() *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = []string{"application/json; charset=UTF-8"}
		io.WriteString(w, benchName)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

// benchTransport returns a transport like the Client's default, trusting srv.
func benchTransport(srv *httptest.Server) *http.Transport {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.ForceAttemptHTTP2 = true
	tr.MaxIdleConnsPerHost = 512
	return tr
}

func benchBody() []byte {
	return []byte(`{"message":{"token":"` + benchToken + `","notification":{"title":"Score","body":"Red Sox 3, Cardinals 2"},"data":{"game":"42"}}}`)
}

func benchNotification() push.Notification {
	return must(push.NewNotification(push.FCMV1, []byte(`{"message":{"notification":{"title":"Score","body":"Red Sox 3, Cardinals 2"},"data":{"game":"42"}}}`), nil))
}

func benchSend(b *testing.B, senders int) {
	srv := benchServer()
	defer srv.Close()
	tr := benchTransport(srv)
	defer tr.CloseIdleConnections()
	c, err := fcm.New(context.Background(), "bench", fcm.WithEndpoint(srv.URL), fcm.WithHTTPClient(&http.Client{Transport: tr}),
		fcm.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testAccessToken, TokenType: "Bearer"})))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	n, to := benchNotification(), push.Device(benchToken)
	ctx := context.Background()
	if _, err := c.Send(ctx, n, to); err != nil { // the token and a connection, outside the timing
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism(max(1, senders/runtimeProcs()))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Send(ctx, n, to); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func benchRawPOST(b *testing.B, senders int) {
	srv := benchServer()
	defer srv.Close()
	tr := benchTransport(srv)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	url := srv.URL + "/v1/projects/bench/messages:send"
	body := benchBody()
	header := http.Header{"Authorization": {"Bearer " + testAccessToken}, "Content-Type": {push.ContentTypeJSON}}
	ctx := context.Background()
	post := func() error {
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
		if resp.StatusCode != http.StatusOK {
			return &httpStatusError{resp.StatusCode}
		}
		return nil
	}
	if err := post(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism(max(1, senders/runtimeProcs()))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := post(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

type httpStatusError struct{ status int }

func (e *httpStatusError) Error() string { return "status " + strconv.Itoa(e.status) }

// BenchmarkSend16 sends through the Client from 16 goroutines.
func BenchmarkSend16(b *testing.B) { benchSend(b, 16) }

// BenchmarkSend128 sends through the Client from 128 goroutines.
func BenchmarkSend128(b *testing.B) { benchSend(b, 128) }

// BenchmarkRawPOST16 posts the request the Client makes, written by hand
// (a pre-built header and body), from 16 goroutines.
func BenchmarkRawPOST16(b *testing.B) { benchRawPOST(b, 16) }

// BenchmarkRawPOST128 is BenchmarkRawPOST16 from 128 goroutines.
func BenchmarkRawPOST128(b *testing.B) { benchRawPOST(b, 128) }

// BenchmarkSendOverhead measures what the Client adds to a send without a
// network: rendering, the body with its target, the request, the answer.
func BenchmarkSendOverhead(b *testing.B) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		io.Copy(io.Discard, r.Body)
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader([]byte(benchName)))}, nil
	})
	c, err := fcm.New(context.Background(), "bench", fcm.WithHTTPClient(&http.Client{Transport: rt}),
		fcm.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testAccessToken})))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	n, to := benchNotification(), push.Device(benchToken)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Send(ctx, n, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedAccessToken reads the cached Authorization header; it
// allocates nothing (TestCachedAccessTokenAllocatesNothing holds it to that).
func BenchmarkCachedAccessToken(b *testing.B) {
	c, err := fcm.New(context.Background(), "bench", fcm.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testAccessToken})))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	fcm.CachedAuthorization(c)
	b.ReportAllocs()
	for b.Loop() {
		fcm.CachedAuthorization(c)
	}
}

// BenchmarkCondition translates a tag expression to an FCM condition.
func BenchmarkCondition(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := fcm.TargetOf("(follows_RedSox || follows_Cardinals) && location_Boston && !muted"); err != nil {
			b.Fatal(err)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
