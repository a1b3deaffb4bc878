package azurenh

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// The send benchmarks compare the Client with a bare HTTP POST of the same
// request, against the same local TLS server, with the same transport
// settings. Compare their ns/op in one run:
//
//	go test -run '^$' -bench 'Send$|RawPOST' -benchmem -count 5 ./azurenh/
//
// The goal is a Client throughput of at least 0.95 of the raw POST's
// (TestSendThroughputRatio), and at most 10 allocations a send
// (TestSendAllocations, BenchmarkSendOverhead).

// benchServer is a TLS server that answers every request as the service
// accepts a send.
func benchServer() *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Location"] = []string{"https://" + r.Host + "/myhub/messages/4242?api-version=2020-06"}
		h["Trackingid"] = r.Header["Trackingid"]
		h["X-Ms-Correlation-Request-Id"] = []string{"c0ffee"}
		w.WriteHeader(http.StatusCreated)
	}))
	// A connection the transport dialled in advance may be in its TLS
	// handshake when the benchmark closes the server: not worth a log line.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

// benchTransport returns the Client's default transport, trusting srv.
func benchTransport(srv *httptest.Server) *http.Transport {
	return httpx.NewTransport(srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone())
}

const benchAlert = `{"aps":{"alert":{"title":"Score","body":"Red Sox 3, Cardinals 2"},"sound":"default"}}`

// BenchmarkSend sends a tagged Apple notification through the Client, from
// parallel goroutines.
func BenchmarkSend(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	tr := benchTransport(srv)
	defer tr.CloseIdleConnections()
	conn := "Endpoint=sb://" + srv.Listener.Addr().String() + "/;SharedAccessKeyName=" + clientKeyName + ";SharedAccessKey=" + clientKey
	c, err := New(conn, clientHub, WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	n := must(push.AppleNotification(benchAlert))
	to := push.Tags("sports", "politics")
	ctx := context.Background()

	b.ReportAllocs()
	b.SetParallelism(4)
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

// BenchmarkRawPOST posts the request BenchmarkSend makes, written by hand: a
// pre-built header (constant Authorization and TrackingId) and body.
func BenchmarkRawPOST(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	tr := benchTransport(srv)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	url := srv.URL + "/" + clientHub + "/messages?api-version=2020-06"
	body := []byte(benchAlert)
	header := http.Header{
		"Authorization":                 {signSAS(srv.URL+"/"+clientHub, clientKeyName, clientKey, clientStart)},
		"Content-Type":                  {push.ContentTypeJSON},
		"Servicebusnotification-Format": {"apple"},
		"Servicebusnotification-Tags":   {"sports || politics"},
		"X-Ms-Version":                  {"2020-06"},
		"Trackingid":                    {"00000000-0000-4000-8000-000000000001"},
	}
	ctx := context.Background()

	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			req.Header = header
			resp, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkSendOverhead measures what the Client adds to a send, without a
// network: rendering, headers, token, tracking ID, trace, attempt timeout,
// response reading. The transport answers with one response it made in
// advance, allocating nothing, so that every allocation reported is the
// Client's.
func BenchmarkSendOverhead(b *testing.B) {
	resp := &http.Response{
		StatusCode: http.StatusCreated,
		Header:     http.Header{"Location": {"https://ns/myhub/messages/4242?api-version=2020-06"}},
		Body:       http.NoBody,
	}
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) { return resp, nil })
	c, err := New(clientConn, clientHub, WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		b.Fatal(err)
	}
	n := must(push.AppleNotification(benchAlert))
	to := push.Tags("sports", "politics")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Send(ctx, n, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatchBody builds the body of a batch of 1000 FCM-sized handles
// (163 bytes each). The goal is under 100 µs.
func BenchmarkBatchBody(b *testing.B) {
	devices := make([]string, push.MaxBatchDevices)
	for i := range devices {
		devices[i] = fmt.Sprintf("d%04d:APA91b%s", i, strings.Repeat("x", 152))
	}
	body := []byte(benchAlert)
	ids := seqIDs()
	b.ReportAllocs()
	for b.Loop() {
		boundary, _ := newBoundary(func() (string, error) { return ids(), nil }, body)
		buf := make([]byte, 0, batchBodySize(boundary, push.ContentTypeJSON, body, devices))
		buf = appendBatchBody(buf, boundary, push.ContentTypeJSON, body, devices)
		if len(buf) < 163*1000 {
			b.Fatal("short body")
		}
	}
}

// BenchmarkAuthorization reads the cached Authorization header; it allocates
// nothing.
func BenchmarkAuthorization(b *testing.B) {
	c, err := New(clientConn, clientHub)
	if err != nil {
		b.Fatal(err)
	}
	c.authorization()
	b.ReportAllocs()
	for b.Loop() {
		c.authorization()
	}
}
