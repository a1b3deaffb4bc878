package httpx

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
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

// Doer sends requests for a client of this module. When the *http.Client
// has nothing of its own to apply (no cookie jar, no overall timeout) and a
// transport of its own, it
// hands a request straight to the client's transport: http.Client.Do would
// only copy the headers and the URL for redirects, which no client of this
// module follows. Otherwise it calls Do. The zero Doer is not usable; make
// one with NewDoer.
type Doer struct {
	hc *http.Client
	rt http.RoundTripper // nil: go through hc.Do
}

// NewDoer returns the Doer of hc, which must follow no redirect (see
// NoRedirects).
func NewDoer(hc *http.Client) Doer {
	d := Doer{hc: hc}
	if hc.Jar == nil && hc.Timeout == 0 {
		d.rt = hc.Transport // nil (http.DefaultTransport) goes through hc.Do
	}
	return d
}

// Do sends req and returns the response, as http.Client.Do does without
// redirects: a non-nil error is a *url.Error naming the method and the URL
// (its password redacted), and a response always has a Body.
func (d Doer) Do(req *http.Request) (*http.Response, error) {
	if d.rt == nil {
		return d.hc.Do(req)
	}
	resp, err := d.rt.RoundTrip(req)
	switch {
	case err != nil:
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		return nil, &url.Error{Op: urlErrorOp(req.Method), URL: req.URL.Redacted(), Err: err}
	case resp == nil:
		return nil, &url.Error{Op: urlErrorOp(req.Method), URL: req.URL.Redacted(), Err: errors.New("the transport returned no response and no error")}
	case resp.Body == nil:
		resp.Body = http.NoBody
	}
	return resp, nil
}

// urlErrorOp is the Op of a *url.Error, as net/http writes it: "Post", "Get".
func urlErrorOp(method string) string {
	if method == "" {
		return "Get"
	}
	return method[:1] + strings.ToLower(method[1:])
}
