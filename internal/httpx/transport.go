package httpx

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// Limits of the transport NewTransport makes. One process sends tens of
// thousands of notifications a second to one host; at a round trip of some
// tens of milliseconds that is hundreds of requests in flight.
const (
	maxIdleConnsPerHost   = 512
	maxIdleConns          = 1024
	idleConnTimeout       = 90 * time.Second
	dialTimeout           = 10 * time.Second
	keepAlive             = 30 * time.Second
	tlsHandshakeTimeout   = 10 * time.Second
	responseHeaderTimeout = 60 * time.Second
	expectContinueTimeout = time.Second
	// PingAfter is how long an HTTP/2 connection may stay silent before the
	// transport pings it, and PingTimeout how long it waits for the answer
	// before dropping the connection: a dead connection is found in seconds,
	// not when the operating system gives up.
	PingAfter   = 15 * time.Second
	PingTimeout = 10 * time.Second
)

// NewTransport returns a fresh *http.Transport for many concurrent requests
// to one host: HTTP/2 when the server offers it (with ping health checks),
// hundreds of kept-alive connections otherwise, and a bound on each phase of
// a request (dial, TLS handshake, response headers). tlsConfig may be nil. It
// honours the proxy environment variables, like http.DefaultTransport, which
// it never touches.
func NewTransport(tlsConfig *tls.Config) *http.Transport {
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: keepAlive}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConfig,
		ForceAttemptHTTP2:     true,
		HTTP2:                 &http.HTTP2Config{SendPingTimeout: PingAfter, PingTimeout: PingTimeout},
		MaxIdleConns:          maxIdleConns,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		IdleConnTimeout:       idleConnTimeout,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		ExpectContinueTimeout: expectContinueTimeout,
	}
}

// NewClient returns an *http.Client on NewTransport(tlsConfig) that follows
// no redirect. It has no overall timeout: the caller's context bounds each
// request.
func NewClient(tlsConfig *tls.Config) *http.Client {
	return &http.Client{Transport: NewTransport(tlsConfig), CheckRedirect: refuseRedirect}
}

// NoRedirects returns a shallow copy of hc that follows no redirect: a 3xx
// reaches the caller as it is, to be reported (see RedirectError). hc itself is
// not modified, and keeps its transport, jar and timeout. Following a
// redirect would turn a POST into a GET elsewhere, repeat a notification, or
// carry credentials to another host.
func NoRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = refuseRedirect
	return &c
}

func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// CloseIdle closes the idle connections of hc's transport, when it can.
func CloseIdle(hc *http.Client) {
	if hc != nil {
		hc.CloseIdleConnections()
	}
}
