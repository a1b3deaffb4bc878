package fcmtest

import (
	"crypto/rsa"
	"log/slog"
	"net"
	"time"

	"github.com/pushwire/push"
)

// Option configures a Server. Options cannot fail: a value the emulator
// cannot use (an empty project ID, a nil clock) is ignored and the default
// kept.
type Option func(*config)

// config is what the options set.
type config struct {
	project       string
	clock         push.Clock
	key           *rsa.PrivateKey
	tokenLifetime time.Duration
	maxStreams    uint32
	strictTokens  bool
	logger        *slog.Logger
	listener      net.Listener
}

// DefaultProject is the project ID of a Server made without WithProject.
const DefaultProject = "fcmtest-project"

// DefaultTokenLifetime is how long the access tokens the emulator issues
// last, as Google's do: expires_in 3599.
const DefaultTokenLifetime = 3599 * time.Second

// DefaultMaxConcurrentStreams is how many requests one HTTP/2 connection may
// have in flight, as FCM allows about 100.
const DefaultMaxConcurrentStreams = 100

func defaultConfig() config {
	return config{project: DefaultProject, clock: push.SystemClock(), tokenLifetime: DefaultTokenLifetime, maxStreams: DefaultMaxConcurrentStreams}
}

// WithProject names the emulated Firebase project: sends go to
// /v1/projects/ID/messages:send, and the default service account belongs to
// it.
func WithProject(id string) Option {
	return func(c *config) {
		if id != "" {
			c.project = id
		}
	}
}

// WithClock sets the clock that dates the JWT assertions' iat and exp, the
// access tokens' expiry and the recorded requests (push.SystemClock unless
// told otherwise).
//
// x/oauth2 signs its assertions on the system clock, whatever clock the
// client is given: a Server whose clock is far from the system's refuses
// them ("Token must be a short-lived token"). A test that moves time should
// give the Server a manual clock that starts at time.Now(), and move it by
// less than an hour.
func WithClock(clock push.Clock) Option {
	return func(c *config) {
		if clock != nil {
			c.clock = clock
		}
	}
}

// WithKey makes the default service account's key k instead of a fresh
// 2048-bit RSA key: making one takes tens of milliseconds, which tests that
// start many servers can share.
func WithKey(k *rsa.PrivateKey) Option {
	return func(c *config) {
		if k != nil {
			c.key = k
		}
	}
}

// WithTokenLifetime sets how long issued access tokens last
// (DefaultTokenLifetime unless told otherwise); expires_in says it in
// whole seconds.
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d >= time.Second {
			c.tokenLifetime = d
		}
	}
}

// WithMaxConcurrentStreams sets how many requests one HTTP/2 connection may
// have in flight (DefaultMaxConcurrentStreams unless told otherwise).
func WithMaxConcurrentStreams(n uint32) Option {
	return func(c *config) {
		if n > 0 {
			c.maxStreams = n
		}
	}
}

// WithStrictTokens makes the emulator accept only the registration tokens
// it issued (NewToken): any other answers 400 INVALID_ARGUMENT "The
// registration token is not a valid FCM registration token", as FCM does for
// a token it never issued. Without it, any token of FCM's alphabet is
// accepted.
func WithStrictTokens() Option {
	return func(c *config) { c.strictTokens = true }
}

// WithLogger logs every request at level Debug: method, path, status and
// FCM error code. No Authorization header, assertion, key or access token
// is ever logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithListener makes the Server accept connections on l instead of on a new
// loopback listener with an ephemeral port: a standalone emulator uses it to
// serve on a chosen address. l should be bound to a loopback address (the
// certificate is valid for 127.0.0.1 and ::1). The Server takes ownership of
// l and closes it on Close.
func WithListener(l net.Listener) Option {
	return func(c *config) {
		if l != nil {
			c.listener = l
		}
	}
}
