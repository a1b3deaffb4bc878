package apns

import (
	"crypto/x509"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/pushwire/push"
)

// opNew is the Op of the errors New and the options return.
const opNew = "apns: new client"

func newError(detail string) error { return &push.Error{Op: opNew, Detail: detail} }

// Option configures a Client made by New. An Option returns an error when its
// argument cannot be used; New stops at the first one and returns it.
type Option func(*config) error

// config is what New's options set. It holds no secret, so it prints safely.
type config struct {
	httpClient  *http.Client // nil: New makes one
	rootCAs     *x509.CertPool
	endpoint    *url.URL // nil: the environment's host
	topic       string
	logger      *slog.Logger
	retry       push.RetryPolicy
	clock       push.Clock
	concurrency int
}

func defaultConfig() config {
	return config{
		logger: slog.New(slog.DiscardHandler),
		retry:  push.DefaultRetryPolicy(),
		clock:  push.SystemClock(),
	}
}

// WithTopic sets the default apns-topic: the app's bundle ID, such as
// "com.example.app". A notification may carry its own apns-topic header
// instead. For a push type that APNs addresses with a suffixed topic (voip:
// BUNDLE.voip, complication, fileprovider, location, liveactivity,
// pushtotalk, widgets), give the bare bundle ID and the Client appends the
// suffix; a topic whose suffix contradicts the push type is refused before
// any I/O. Token auth needs a topic; certificate auth takes the certificate's
// when none is given.
func WithTopic(bundleID string) Option {
	return func(c *config) error {
		if !validTopic(bundleID) {
			return newError("WithTopic: the topic must be a bundle ID such as com.example.app (letters, digits, '.', '-', '_')")
		}
		c.topic = bundleID
		return nil
	}
}

// validTopic reports whether s can be an apns-topic: 1 to 255 letters,
// digits, '.', '-' and '_'.
func validTopic(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// WithEndpoint sends to rawURL ("https://HOST:PORT") instead of the
// environment's APNs host: an emulator such as package apnstest, or a proxy.
// The environment still decides nothing else. The URL must be https with a
// host and nothing after it.
func WithEndpoint(rawURL string) Option {
	return func(c *config) error {
		u, err := url.Parse(rawURL)
		if err != nil || u.Scheme != "https" || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return newError("WithEndpoint: want an https URL with a host and no path, such as https://127.0.0.1:8443")
		}
		c.endpoint = &url.URL{Scheme: "https", Host: u.Host}
		return nil
	}
}

// WithHTTPClient makes the Client send with hc, which must not be nil and
// should speak HTTP/2 (APNs speaks nothing else). The Client never modifies
// hc; it follows no redirect whatever hc's CheckRedirect says. With
// certificate auth, the certificate must be in hc's TLS configuration.
//
// Without it, the Client makes its own: HTTP/2 with ping health checks, so a
// dead connection is found in seconds, and connections kept for hours. It
// never uses http.DefaultClient or http.DefaultTransport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return newError("WithHTTPClient needs a non-nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithRootCAs makes the Client's own HTTP client trust the servers whose
// certificates pool verifies, instead of the system roots: an emulator's
// (apnstest.Server.RootCAs). It has no effect with WithHTTPClient.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(c *config) error {
		if pool == nil {
			return newError("WithRootCAs needs a non-nil *x509.CertPool")
		}
		c.rootCAs = pool
		return nil
	}
}

// WithLogger makes the Client log to l, which must not be nil. Without it the
// Client logs nothing. It logs nothing per send at level Info: it warns when
// APNs refuses a provider token and when it signs a new one early because of
// that, and logs each token it signs at level Debug. No record holds a key or
// a token.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return newError("WithLogger needs a non-nil *slog.Logger; leave the option out to log nothing")
		}
		c.logger = l
		return nil
	}
}

// WithRetry sets how each device token is retried after a retryable failure
// (push.DefaultRetryPolicy unless told otherwise): throttling (429) and
// server failures (5xx, Shutdown, IdleTimeout), never a refusal of the
// notification or the token. The waits run on the Client's clock. A send
// whose outcome is unknown (the connection failed after the request was
// written) is retried only when p.RetryUnknownOutcome is set.
func WithRetry(p push.RetryPolicy) Option {
	return func(c *config) error {
		if p.BaseDelay < 0 || p.MaxDelay < 0 {
			return newError("WithRetry: BaseDelay and MaxDelay must not be negative")
		}
		if p == (push.RetryPolicy{}) {
			p.MaxAttempts = 1
		}
		c.retry = p
		return nil
	}
}

// WithClock sets the clock the Client reads and waits on (push.SystemClock
// unless told otherwise): the iat of provider tokens, when to renew them, and
// retry waits. clock must not be nil and must be safe for concurrent use.
func WithClock(clock push.Clock) Option {
	return func(c *config) error {
		if clock == nil {
			return newError("WithClock needs a non-nil push.Clock")
		}
		c.clock = clock
		return nil
	}
}

// WithConcurrency bounds how many requests one send to a device list keeps in
// flight (direct.DefaultConcurrency, 100, unless told otherwise). APNs takes
// up to 1000 concurrent streams a connection.
func WithConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return newError("WithConcurrency needs a positive number")
		}
		c.concurrency = n
		return nil
	}
}
