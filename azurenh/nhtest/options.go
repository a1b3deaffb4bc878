package nhtest

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"sync"

	"github.com/pushwire/push"
)

// Option configures a Server. Options cannot fail: a value the emulator cannot use
// (an empty hub name, a nil clock) is ignored and the default kept, except where an
// option says it panics.
type Option func(*config)

// config is what the options set.
type config struct {
	hub       string
	key       string
	rules     []Rule
	clock     push.Clock
	random    io.Reader
	logger    *slog.Logger
	tier      Tier
	listener  net.Listener
	sendLimit int
}

// DefaultHub is the hub name of a Server made without WithHub.
const DefaultHub = "hub"

func defaultConfig() config {
	return config{hub: DefaultHub, clock: push.SystemClock(), random: rand.Reader, tier: TierStandard}
}

// WithHub names the emulated hub. Requests to any other hub get 404. Hub names
// match without regard to case, as the service's entity paths do. An empty
// name keeps DefaultHub; NewServer panics on a name the service would refuse
// (see CheckHubName).
func WithHub(name string) Option {
	return func(c *config) {
		if name == "" {
			return
		}
		if err := CheckHubName(name); err != nil {
			panic("nhtest: WithHub: " + err.Error())
		}
		c.hub = name
	}
}

// CheckHubName returns an error, in the service's words, when name cannot
// name a notification hub: 1 to 260 letters, digits, '.', '-' and '_',
// starting and ending with a letter or a digit. A program that takes a hub
// name from its user checks it before WithHub.
func CheckHubName(name string) error {
	ok := name != "" && len(name) <= 260 && isAlnumByte(name[0]) && isAlnumByte(name[len(name)-1])
	for i := 0; ok && i < len(name); i++ {
		b := name[i]
		ok = isAlnumByte(b) || b == '.' || b == '-' || b == '_'
	}
	if !ok {
		return detailf("The hub name %q is not valid: a notification hub name is 1 to 260 letters, digits, periods, hyphens and underscores, and starts and ends with a letter or a digit.", name)
	}
	return nil
}

func isAlnumByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// WithKey gives the three default rules (FullRuleName, ListenRuleName,
// SendRuleName) this key instead of a random one, so that connection strings and
// tokens are the same in every run.
func WithKey(key string) Option {
	return func(c *config) {
		if key != "" {
			c.key = key
		}
	}
}

// WithRule adds a shared access rule with the given claims, or replaces the
// default rule of the same name. An empty Key gets a random one; read the result
// with Server.ConnectionStringFor. NewServer panics if the rule has no name.
func WithRule(r Rule) Option {
	return func(c *config) { c.rules = append(c.rules, r) }
}

// WithClock sets the clock that decides whether a token has expired, how far
// ahead a scheduled send is, and the times recorded with each request. The default
// is push.SystemClock(). Injected delays (Fault.Delay) run in real time whatever
// the clock, because the client deadlines they exercise do.
func WithClock(clock push.Clock) Option {
	return func(c *config) {
		if clock != nil {
			c.clock = clock
		}
	}
}

// WithRand sets the source of randomness for generated keys, notification IDs,
// tracking IDs and correlation IDs; the default is crypto/rand. A fixed source (a
// seeded math/rand/v2 ChaCha8, a bytes.Reader) makes them the same in every run.
// The Server reads it under a lock. It must not fail: NewServer or the request
// that hits a failure panics.
func WithRand(r io.Reader) Option {
	return func(c *config) {
		if r != nil {
			c.random = r
		}
	}
}

// WithLogger logs every request at debug level: method, path and query, the route,
// the rule that signed it, the status and the duration. The Authorization header,
// keys and signatures are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithTier emulates a pricing tier; the default is TierStandard.
func WithTier(t Tier) Option {
	return func(c *config) {
		if t.valid() {
			c.tier = t
		}
	}
}

// WithListener makes the Server accept connections on l instead of on a new
// loopback listener with an ephemeral port: a standalone emulator uses it to serve
// on a chosen address. l should be bound to a loopback address (the certificate is
// valid for 127.0.0.1 and ::1). The Server takes ownership of l and closes it on
// Close.
func WithListener(l net.Listener) Option {
	return func(c *config) {
		if l != nil {
			c.listener = l
		}
	}
}

// WithSendLimit bounds what the Server remembers of sends, for an emulator
// that runs for long (examples/emulator, a shared test environment): it keeps
// the last n sends (Sends, and their notification details) and the last n
// pending scheduled sends, and forgets older ones; a forgotten scheduled send
// can no longer be cancelled (404). n below 1 means no bound, the default.
// Whatever the bound, a send keeps only what it reached: memory grows with
// the devices a send matched, not with the devices on the hub.
func WithSendLimit(n int) Option {
	return func(c *config) { c.sendLimit = max(n, 0) }
}

// Tier is a Notification Hubs pricing tier. Tiers differ in what they allow:
//
//	             Location header   batch direct send   scheduled send and cancel   telemetry, feedback, jobs
//	TierFree     no                403                 403                         403
//	TierBasic    no                yes                 403                         403
//	TierStandard yes               yes                 yes                         yes
//
// Refused operations answer 403 "This operation is not available for your tier."
// as the service does.
type Tier uint8

// The tiers.
const (
	TierStandard Tier = iota
	TierBasic
	TierFree
)

func (t Tier) valid() bool { return t <= TierFree }

// String returns "Standard", "Basic" or "Free".
func (t Tier) String() string {
	switch t {
	case TierBasic:
		return "Basic"
	case TierFree:
		return "Free"
	}
	return "Standard"
}

// allowsBatch reports whether the tier takes batch direct sends.
func (t Tier) allowsBatch() bool { return t != TierFree }

// allowsSchedule reports whether the tier takes scheduled sends.
func (t Tier) allowsSchedule() bool { return t == TierStandard }

// allowsTelemetry reports whether the tier has notification details, the
// feedback container and import and export jobs.
func (t Tier) allowsTelemetry() bool { return t == TierStandard }

// returnsLocation reports whether send answers carry a Location header.
func (t Tier) returnsLocation() bool { return t == TierStandard }

// lockedRand serialises reads of a random source shared by concurrent requests.
type lockedRand struct {
	mu sync.Mutex
	r  io.Reader
}

// read fills b, panicking if the source fails (see WithRand).
func (l *lockedRand) read(b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := io.ReadFull(l.r, b); err != nil {
		panic("nhtest: the random source failed: " + err.Error())
	}
}
