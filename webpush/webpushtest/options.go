package webpushtest

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"time"

	"github.com/pushwire/push"
)

// Option configures a Server. Options cannot fail: a value the emulator
// cannot use (a nil clock, a size of 0) is ignored and the default kept.
type Option func(*config)

type config struct {
	clock         push.Clock
	random        io.Reader
	logger        *slog.Logger
	listener      net.Listener
	maxBody       int
	maxTTL        int64
	appleSubjects bool
	requireVAPID  bool
	origin        string
}

// DefaultMaxTTL is the longest TTL the emulator applies, in seconds: four
// weeks, as push services cap it. A longer TTL is accepted and lowered, and
// the 201's TTL header says so.
const DefaultMaxTTL = 28 * 24 * 3600

// MaxBodySize is the largest body the emulator takes unless told otherwise:
// the 4096 bytes every push service must take (RFC 8030, section 7.2).
const MaxBodySize = 4096

func defaultConfig() config {
	return config{clock: push.SystemClock(), random: rand.Reader, maxBody: MaxBodySize, maxTTL: DefaultMaxTTL}
}

// WithClock sets the clock the emulator checks VAPID expiry against and
// records times with (push.SystemClock by default).
func WithClock(c push.Clock) Option {
	return func(cfg *config) {
		if c != nil {
			cfg.clock = c
		}
	}
}

// WithRand sets the source of the subscriptions' keys, auth secrets and
// endpoint IDs, and of message IDs (crypto/rand by default): a fixed source
// makes them the same in every run. The emulator reads it under a lock. It
// must not fail: the call that hits a failure panics.
func WithRand(r io.Reader) Option {
	return func(cfg *config) {
		if r != nil {
			cfg.random = r
		}
	}
}

// WithLogger logs each request at level Info: the endpoint, the status, why
// a message was refused, and what the browser would read. Tokens and keys are
// never logged.
func WithLogger(l *slog.Logger) Option {
	return func(cfg *config) { cfg.logger = l }
}

// WithListener makes the Server accept connections on l instead of a new
// loopback listener with an ephemeral port: a standalone emulator uses it to
// serve on a chosen address. l should be bound to a loopback address (the
// certificate is valid for 127.0.0.1 and ::1). The Server takes ownership of
// l and closes it on Close.
func WithListener(l net.Listener) Option {
	return func(cfg *config) {
		if l != nil {
			cfg.listener = l
		}
	}
}

// WithMaxBodySize lowers the largest body taken (MaxBodySize by default),
// to mimic a constrained push service: Firefox for Android's answered 413 to
// bodies over 3070 bytes.
func WithMaxBodySize(n int) Option {
	return func(cfg *config) {
		if n > 0 {
			cfg.maxBody = n
		}
	}
}

// WithMaxTTL sets the longest TTL applied (DefaultMaxTTL by default).
func WithMaxTTL(d time.Duration) Option {
	return func(cfg *config) {
		if s := int64(d / time.Second); s > 0 {
			cfg.maxTTL = s
		}
	}
}

// WithAppleSubjects checks the sub claim as Apple's push service does,
// answering 403 {"reason":"BadJwtToken"} to a subject that is not mailto:
// or https:, has a space, or names localhost, a .local, .invalid or .test
// domain. Other push services (FCM, Mozilla) take such subjects.
func WithAppleSubjects() Option {
	return func(cfg *config) { cfg.appleSubjects = true }
}

// WithRequiredVAPID refuses (401) a message without VAPID authorization to
// every subscription, as FCM does, and not only to those restricted to an
// application server key.
func WithRequiredVAPID() Option {
	return func(cfg *config) { cfg.requireVAPID = true }
}

// lockedRand serialises reads of a random source shared by concurrent
// requests.
type lockedRand struct {
	mu sync.Mutex
	r  io.Reader
}

// read fills b, panicking if the source fails (see WithRand).
func (l *lockedRand) read(b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := io.ReadFull(l.r, b); err != nil {
		panic("webpushtest: the random source failed: " + err.Error())
	}
}

// WithOrigin makes the emulator play the push service at origin, such as
// "https://push.example.net": its endpoints are made under origin, and
// every VAPID token must carry it as aud. Client reaches the emulator at
// that origin (it dials the emulator whatever the host); other clients must
// dial Addr themselves. It makes wire output independent of the port the
// emulator got. NewServer panics if origin is not https://HOST[:PORT].
func WithOrigin(origin string) Option {
	return func(cfg *config) {
		u, err := url.Parse(origin)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
			panic("webpushtest: WithOrigin needs https://HOST[:PORT], without path")
		}
		cfg.origin = origin
	}
}
