package azurenh

import (
	"net"
	"net/http"
	"time"
)

// Limits of the default transport. One process sends tens of thousands of
// notifications a second to one namespace host; at a round trip of some tens
// of milliseconds that is hundreds of requests in flight, so hundreds of
// connections are kept alive rather than the two net/http keeps by default.
const (
	defaultMaxIdleConnsPerHost   = 512
	defaultMaxIdleConns          = 1024
	defaultIdleConnTimeout       = 90 * time.Second
	defaultDialTimeout           = 10 * time.Second
	defaultKeepAlive             = 30 * time.Second
	defaultTLSHandshakeTimeout   = 10 * time.Second
	defaultResponseHeaderTimeout = 60 * time.Second
	defaultExpectContinueTimeout = time.Second
)

// newTransport returns the transport of a Client made without WithHTTPClient: a
// fresh *http.Transport tuned for many concurrent sends to one host, with a
// bound on each phase of a request (dial, TLS handshake, response headers). It
// honours the proxy environment variables, like http.DefaultTransport.
func newTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: defaultDialTimeout, KeepAlive: defaultKeepAlive}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          defaultMaxIdleConns,
		MaxIdleConnsPerHost:   defaultMaxIdleConnsPerHost,
		IdleConnTimeout:       defaultIdleConnTimeout,
		TLSHandshakeTimeout:   defaultTLSHandshakeTimeout,
		ResponseHeaderTimeout: defaultResponseHeaderTimeout,
		ExpectContinueTimeout: defaultExpectContinueTimeout,
	}
}

// newHTTPClient returns the *http.Client of a Client made without
// WithHTTPClient. It has no overall timeout: the caller's context bounds each
// call, and the transport bounds each phase. It follows no redirect: the
// service sends none, and following one would turn a send into a GET
// elsewhere; a 3xx is reported as an unexpected status.
func newHTTPClient() *http.Client {
	return &http.Client{
		Transport:     newTransport(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
