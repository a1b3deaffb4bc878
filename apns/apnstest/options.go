package apnstest

import (
	"log/slog"
	"net"
	"time"

	"github.com/pushwire/push"
)

// Environment is the APNs environment a Server plays, or that a key is
// restricted to.
type Environment uint8

// The environments. A Server plays Sandbox unless told otherwise; a key of
// AnyEnvironment works in both.
const (
	AnyEnvironment Environment = iota
	Production
	Sandbox
)

// String returns "production", "sandbox" or "any".
func (e Environment) String() string {
	switch e {
	case Production:
		return "production"
	case Sandbox:
		return "sandbox"
	}
	return "any"
}

// Option configures a Server. Options cannot fail: a value the emulator cannot
// use is ignored and the default kept.
type Option func(*config)

type config struct {
	env      Environment
	clock    push.Clock
	logger   *slog.Logger
	listener net.Listener
	topics   []string
	burst    int
	window   time.Duration
	streams  uint32
}

// DefaultTopic is the bundle ID the default team owns unless WithTopics says
// otherwise.
const DefaultTopic = "com.example.app"

// Default IDs: the default team, and its default key.
const (
	DefaultTeamID = "TEAM000001"
	DefaultKeyID  = "KEY0000001"
)

func defaultConfig() config {
	return config{env: Sandbox, clock: push.SystemClock(), topics: []string{DefaultTopic}, streams: 1000}
}

// WithEnvironment makes the Server play env: in Sandbox (the default) it
// answers with apns-unique-id, and it refuses keys restricted to the other
// environment with BadEnvironmentKeyInToken.
func WithEnvironment(env Environment) Option {
	return func(c *config) {
		if env == Production || env == Sandbox {
			c.env = env
		}
	}
}

// WithClock sets the clock that decides whether a provider token is more
// than an hour old, the 20-minute rule of token updates, burst windows and
// the times recorded (push.SystemClock by default). Injected stalls run in
// real time whatever the clock.
func WithClock(clock push.Clock) Option {
	return func(c *config) {
		if clock != nil {
			c.clock = clock
		}
	}
}

// WithLogger logs every request at debug level: connection, method, device
// token, status and reason. No provider token is ever logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithListener makes the Server accept connections on l, a loopback listener
// (the certificate is valid for 127.0.0.1, ::1 and localhost), instead of on
// a new one with an ephemeral port. The Server closes l on Close.
func WithListener(l net.Listener) Option {
	return func(c *config) {
		if l != nil {
			c.listener = l
		}
	}
}

// WithTopics sets the bundle IDs the default team owns (DefaultTopic unless
// told otherwise). A push to a topic no team of the key owns is refused with
// TopicDisallowed.
func WithTopics(bundleIDs ...string) Option {
	return func(c *config) {
		if len(bundleIDs) > 0 {
			c.topics = append([]string(nil), bundleIDs...)
		}
	}
}

// WithBurstLimit refuses with 429 TooManyRequests a notification to a device
// token that already had n within window on the Server's clock, as APNs
// does for too many consecutive pushes to one device. Off by default.
func WithBurstLimit(n int, window time.Duration) Option {
	return func(c *config) {
		if n > 0 && window > 0 {
			c.burst, c.window = n, window
		}
	}
}

// WithMaxConcurrentStreams sets the MAX_CONCURRENT_STREAMS the Server
// advertises on each connection (1000, as APNs does, by default).
func WithMaxConcurrentStreams(n uint32) Option {
	return func(c *config) {
		if n > 0 {
			c.streams = n
		}
	}
}
