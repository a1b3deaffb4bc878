package azurenh

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/pushwire/push"
)

// DefaultAPIVersion is the REST API version a Client asks for unless told
// otherwise: the version every current official SDK uses.
const DefaultAPIVersion = "2020-06"

// opNew is the Op of the errors New and the options return.
const opNew = "azurenh: new client"

// Option configures a Client made by New. An Option returns an error when its
// argument cannot be used; New stops at the first one and returns it.
type Option func(*config) error

// config is what New's options set. It holds no secret, so it prints safely.
type config struct {
	httpClient     *http.Client // nil until New fills in the default
	logger         *slog.Logger
	testSend       bool
	apiVersion     string
	retry          push.RetryPolicy
	clock          push.Clock
	ids            func() string // nil: the Client's own (see idSource)
	attemptTimeout time.Duration
}

// defaultConfig returns the settings of a Client made without options, except
// the HTTP client, which New makes only when WithHTTPClient was not given.
func defaultConfig() config {
	return config{
		logger:         slog.New(slog.DiscardHandler),
		apiVersion:     DefaultAPIVersion,
		retry:          push.DefaultRetryPolicy(),
		clock:          push.SystemClock(),
		attemptTimeout: DefaultAttemptTimeout,
	}
}

// optionError returns the error of an option given an unusable argument.
func optionError(detail string) error {
	return &push.Error{Op: opNew, Detail: detail}
}

// WithHTTPClient makes the Client send its requests with hc, which must not be
// nil: to trust an emulator's certificate (nhtest's Server.Client), to go
// through a proxy, to add instrumentation to the transport. The Client never
// modifies hc, which may be shared with other code; it never follows a
// redirect, whatever hc's CheckRedirect says (a 3xx is an error naming where
// it pointed), and when hc has neither a cookie jar nor a Timeout it hands
// requests to hc.Transport directly, which is all hc would do with them.
//
// Without it, the Client uses an *http.Client of its own whose transport
// speaks HTTP/2 when the service offers it (pinging idle connections to find
// dead ones), keeps hundreds of HTTP/1.1 connections alive otherwise, and
// bounds the time to dial, to complete a TLS handshake and to receive
// response headers. It never uses http.DefaultClient or
// http.DefaultTransport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return optionError("WithHTTPClient needs a non-nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger makes the Client log to l, which must not be nil. Without it the
// Client logs nothing.
//
// The Client logs nothing per send at level Info: it warns when it retries a
// request. With WithTestSend(true) and l enabled at level Debug, it also logs a
// dump of every request and response (see the package documentation). No record
// holds a key or a signature.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return optionError("WithLogger needs a non-nil *slog.Logger; leave the option out to log nothing")
		}
		c.logger = l
		return nil
	}
}

// WithTestSend turns test sends on or off (off by default). A test send adds
// "test" to the query of each send to tags or a broadcast: the service then
// delivers to at most 10 devices and answers with the outcome at each, which
// Send returns in Receipt.Outcome. The service throttles test sends to about 10
// a minute and does not support them for direct or batch sends, which Send
// refuses before any I/O with an error matching push.ErrInvalidTarget.
//
// Test sends are for debugging; with a logger enabled at level Debug they also
// dump every request and response to it.
func WithTestSend(on bool) Option {
	return func(c *config) error {
		c.testSend = on
		return nil
	}
}

// WithAPIVersion sets the api-version query parameter and the x-ms-version
// header of every request (DefaultAPIVersion unless told otherwise). version
// must look like "2020-06", optionally followed by a suffix such as "-preview".
func WithAPIVersion(version string) Option {
	return func(c *config) error {
		if !validAPIVersion(version) {
			return optionError("WithAPIVersion: the version must look like 2020-06 (YYYY-MM, optionally followed by -suffix)")
		}
		c.apiVersion = version
		return nil
	}
}

// validAPIVersion reports whether v is YYYY-MM, optionally followed by "-" and
// lower-case letters, digits, '.' or '-'.
func validAPIVersion(v string) bool {
	if len(v) < 7 || v[4] != '-' || !allDigits(v[:4]) || !allDigits(v[5:7]) {
		return false
	}
	rest := v[7:]
	if rest == "" {
		return true
	}
	if rest[0] != '-' || len(rest) == 1 {
		return false
	}
	for _, r := range rest[1:] {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// WithRetry sets how the Client repeats a request that failed with a retryable
// error (push.DefaultRetryPolicy unless told otherwise). The waits run on the
// Client's clock (WithClock). A send whose outcome is unknown is retried only
// when p.RetryUnknownOutcome is set; see the package documentation. Negative
// delays are refused.
func WithRetry(p push.RetryPolicy) Option {
	return func(c *config) error {
		if p.BaseDelay < 0 || p.MaxDelay < 0 {
			return optionError("WithRetry: BaseDelay and MaxDelay must not be negative")
		}
		c.retry = p
		return nil
	}
}

// WithClock sets the clock the Client reads and waits on (push.SystemClock
// unless told otherwise): token expiry, retry waits, Retry-After dates and the
// checks of Schedule. clock must not be nil and must be safe for concurrent use.
func WithClock(clock push.Clock) Option {
	return func(c *config) error {
		if clock == nil {
			return optionError("WithClock needs a non-nil push.Clock")
		}
		c.clock = clock
		return nil
	}
}

// WithIDs sets the source of the client tracking IDs (one per HTTP request, in
// the TrackingId header) and of the boundaries of batch bodies. Without it
// the Client makes UUID-shaped IDs of its own, random to each Client. ids
// must not be nil, must be safe for concurrent use, and should return a new
// value on each call: a fixed sequence makes requests reproducible in tests.
// Values must be 1 to 100 ASCII letters, digits, '-', '_' or '.'; a request
// for which ids returns another value fails before any I/O with a
// configuration error (no Kind), which is not retried.
func WithIDs(ids func() string) Option {
	return func(c *config) error {
		if ids == nil {
			return optionError("WithIDs needs a non-nil function")
		}
		c.ids = ids
		return nil
	}
}

// WithAttemptTimeout bounds the time of each attempt of a request, from
// sending it to the end of its answer's body, at d (DefaultAttemptTimeout
// unless told otherwise), which must be positive. An attempt that runs out
// fails with an error matching push.ErrUnavailable, retried under the
// RetryPolicy, or push.ErrOutcomeUnknown once the request was sent. The
// caller's context still bounds the whole call, retries included; an attempt
// whose context ends sooner is not given more time. The bound runs in real
// time, like the transport's timeouts, whatever WithClock says; attempts that
// start close together share one timer, so an attempt may get up to d/16
// (at most a second) more.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return optionError("WithAttemptTimeout needs a positive duration")
		}
		c.attemptTimeout = d
		return nil
	}
}
