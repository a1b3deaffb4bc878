package apns_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/internal/httpx"
)

// The send benchmarks compare a send through the Client with the same
// request POSTed by hand over HTTP/2 with prebuilt headers, against the same
// local TLS server, on the same transport settings, at 16 and 128
// concurrent senders. Compare their ns/op and allocs/op in one run:
//
//	go test -run '^$' -bench 'Send$|BarePOST' -benchmem -count 5 ./apns/
//
// The goals: at least 0.95 of the bare POST's throughput, and at most 10
// allocations a send more. TestSendThroughputRatio holds the Client to them.

var senderCounts = []int{16, 128}

// benchServer is an HTTP/2 TLS server that answers every request as APNs
// accepts a notification.
func benchServer() *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header()["Apns-Id"] = []string{"123e4567-e89b-12d3-a456-426655440000"}
		w.WriteHeader(http.StatusOK)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

// benchTransport is the Client's default transport, trusting srv.
func benchTransport(srv *httptest.Server) *http.Transport {
	return httpx.NewTransport(srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone())
}

// benchKey is a key for the benchmarks' provider tokens.
var benchKey = func() apnstest.Key {
	s := apnstest.NewServer()
	defer s.Close()
	return s.Key()
}()

func benchClient(b *testing.B, srv *httptest.Server, tr *http.Transport) *apns.Client {
	key, err := apns.ParseKey(benchKey.PEM)
	if err != nil {
		b.Fatal(err)
	}
	c, err := apns.New(apns.Production, apns.Token(key, benchKey.KeyID, benchKey.TeamID),
		apns.WithTopic("com.example.app"), apns.WithEndpoint(srv.URL), apns.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchNotification() push.Notification {
	return must(push.NewNotification(push.Apple, []byte(alertBody), http.Header{"Apns-Push-Type": {"alert"}, "Apns-Priority": {"10"}}))
}

// parallel runs f from senders goroutines, once first to open the
// connection.
func parallel(b *testing.B, senders int, f func() error) {
	if err := f(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism((senders + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := f(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkSend sends one notification to one device token through the
// Client.
func BenchmarkSend(b *testing.B) {
	for _, senders := range senderCounts {
		b.Run(fmt.Sprintf("senders=%d", senders), func(b *testing.B) { benchSend(b, senders) })
	}
}

func benchSend(b *testing.B, senders int) {
	srv := benchServer()
	defer srv.Close()
	tr := benchTransport(srv)
	defer tr.CloseIdleConnections()
	c := benchClient(b, srv, tr)
	n, to, ctx := benchNotification(), push.Device(device(1)), context.Background()
	parallel(b, senders, func() error {
		_, err := c.Send(ctx, n, to)
		return err
	})
}

// BenchmarkBarePOST posts the request BenchmarkSend makes, written by hand:
// prebuilt headers (a fixed provider token) and body.
func BenchmarkBarePOST(b *testing.B) {
	for _, senders := range senderCounts {
		b.Run(fmt.Sprintf("senders=%d", senders), func(b *testing.B) { benchBarePOST(b, senders) })
	}
}

func benchBarePOST(b *testing.B, senders int) {
	srv := benchServer()
	defer srv.Close()
	tr := benchTransport(srv)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	c := benchClient(b, srv, tr)
	url := srv.URL + "/3/device/" + device(1)
	body := []byte(alertBody)
	header := http.Header{
		"Authorization":  {"bearer " + apns.CurrentToken(c)},
		"Apns-Topic":     {"com.example.app"},
		"Apns-Push-Type": {"alert"},
		"Apns-Priority":  {"10"},
		"Content-Type":   {"application/json"},
	}
	ctx := context.Background()
	parallel(b, senders, func() error {
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
		if resp.StatusCode != http.StatusOK || resp.Header.Get("apns-id") == "" {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	})
}

// BenchmarkSendOverhead measures what the Client adds to a send, without a
// network: rendering, checks, the token, headers, the response.
func BenchmarkSendOverhead(b *testing.B) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Apns-Id": {"123e4567-e89b-12d3-a456-426655440000"}}, Body: http.NoBody}, nil
	})
	key, err := apns.ParseKey(benchKey.PEM)
	if err != nil {
		b.Fatal(err)
	}
	c, err := apns.New(apns.Production, apns.Token(key, benchKey.KeyID, benchKey.TeamID),
		apns.WithTopic("com.example.app"), apns.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		b.Fatal(err)
	}
	n, to, ctx := benchNotification(), push.Device(device(1)), context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Send(ctx, n, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedToken reads the cached provider token, as every send does.
func BenchmarkCachedToken(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	c := benchClient(b, srv, benchTransport(srv))
	apns.ReadCachedToken(c)
	b.ReportAllocs()
	for b.Loop() {
		apns.ReadCachedToken(c)
	}
}
