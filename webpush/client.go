package webpush

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/direct"
	"github.com/pushwire/push/internal/httpx"
)

// ProviderName names the provider: in Capabilities, and as the scheme of its
// configuration URL (see package provider).
const ProviderName = "webpush"

// DefaultTTL is how long a push service keeps a message for a browser that is
// offline, unless the notification says (its TTL header) or WithTTL does.
const DefaultTTL = 24 * time.Hour

// maxTTL is the longest TTL WithTTL takes: 28 days, the most push.Render
// takes in a notification's TTL header.
const maxTTL = 28 * 24 * time.Hour

// opNew is the Op of the errors of New and its options.
const opNew = "webpush: new client"

// Client sends browser notifications straight to the push services of the
// browsers' subscriptions (RFC 8030), encrypted for each browser (RFC 8291)
// and signed with the application server's VAPID key (RFC 8292). It
// implements push.Sender and push.Capable.
//
// A Client is safe for concurrent use by multiple goroutines and meant to be
// shared: it keeps one VAPID token per push service origin for all of them
// (signed once, renewed shortly before it expires) and reuses connections
// through its *http.Client. Close releases its idle connections.
//
// A Client prints safely: %v, %+v and %#v show the provider and the VAPID
// public key, never the private key or a token.
type Client struct {
	key    *VAPIDKey
	cfg    config
	tokens *tokens
	sender *direct.Sender
}

var (
	_ push.Sender  = (*Client)(nil)
	_ push.Capable = (*Client)(nil)
)

// New returns a Client that signs with key and gives subject as the contact
// of its VAPID tokens (the sub claim): mailto:ADDRESS or an https: URL at a
// public host, where a push service's operators can reach whoever runs the
// application server. A subject at localhost, at a .local, .invalid or other
// private domain, or written with a space is refused, as Apple's push
// service refuses it.
//
// New does no I/O. Its error, a *push.Error, says what to fix and never
// holds the key.
func New(key *VAPIDKey, subject string, opts ...Option) (*Client, error) {
	if key == nil || key.private == nil {
		return nil, optionError("New needs a VAPID key: GenerateVAPIDKey makes one, ParseVAPIDKey reads one")
	}
	if err := checkSubject(subject); err != nil {
		return nil, optionError(err.Error())
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.httpClient == nil {
		cfg.httpClient, cfg.ownHTTPClient = httpx.NewClient(nil), true
	}
	ts := &tokens{key: key, subject: subject, lifetime: cfg.vapidLifetime, clock: cfg.clock, logger: cfg.logger}
	d := &driver{
		doer:   httpx.NewDoer(cfg.httpClient),
		tokens: ts,
		sealer: sealer{random: cfg.random, pad: cfg.padding},
		ttl:    []string{strconv.FormatInt(int64(cfg.ttl/time.Second), 10)},
		clock:  cfg.clock,
		logger: cfg.logger,
	}
	// Each subscription's push service judges the VAPID token alone: one
	// refusal (a subscription made with another applicationServerKey, say)
	// must not stop the others.
	s := direct.New(d, direct.Config{Op: opSend, Capabilities: capabilities(), Retry: cfg.retry, Clock: cfg.clock,
		Concurrency: cfg.concurrency, ContinueAfterUnauthorized: true})
	return &Client{key: key, cfg: cfg, tokens: ts, sender: s}, nil
}

// capabilities is what a Client delivers: browser notifications to
// subscriptions, one request per subscription, with a result for each.
func capabilities() push.Capabilities {
	return push.Capabilities{Provider: ProviderName, Platforms: map[push.Platform]push.Support{
		push.Browser: {Targets: push.DeviceTargets, PerDevice: true, BatchSize: 1},
	}}
}

// Send encrypts the browser notification n for each subscription of to
// (push.BrowserDevice, push.BrowserDevices) and posts it to the
// subscription's endpoint, up to WithConcurrency at a time.
//
// Before any I/O: another platform or a target that is not a subscription
// gets an error matching push.ErrUnsupported; bad input gets push.Render's
// error; a body over MaxPayload bytes gets one matching
// push.ErrPayloadTooLarge; a subscription whose endpoint is not https or
// whose keys do not decode fails with push.ErrInvalidTarget, alone.
//
// The Receipt holds one push.Result per subscription, in the order of to's,
// whose ID is the Location the push service gave the message. The error is
// nil when every push service accepted its message, the subscription's own
// error for a target of one, and a *push.DevicesError otherwise. A
// subscription that failed with push.ErrUnregistered (404 or 410) is dead:
// delete it. Throttling and server errors are retried under the Client's
// push.RetryPolicy; an ErrUnauthorized (the VAPID token refused) stops the
// send, since every other push request would be refused too. Acceptance
// means the push service holds the message, not that the browser showed it.
//
// Send is safe for concurrent use and keeps nothing of n or to.
func (c *Client) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	return c.sender.Send(ctx, n, to)
}

// Capabilities returns what the Client delivers: push.Browser notifications
// to push.DeviceTargets, one request per subscription (BatchSize 1), with a
// push.Result per subscription.
func (c *Client) Capabilities() push.Capabilities { return c.sender.Capabilities() }

// PublicKey returns the VAPID public key the Client signs with, the
// applicationServerKey an app's page gives PushManager.subscribe().
func (c *Client) PublicKey() string { return c.key.PublicKey() }

// Close releases the idle connections of the *http.Client the Client made
// for itself. A client given with WithHTTPClient is the caller's: Close
// leaves it alone. Close is safe to call more than once; do not send through
// the Client after it.
func (c *Client) Close() error {
	if c.cfg.ownHTTPClient {
		httpx.CloseIdle(c.cfg.httpClient)
	}
	return nil
}

// String describes the Client: "webpush.Client(VAPID key PUBLIC, subject SUB)".
func (c *Client) String() string {
	return "webpush.Client(VAPID key " + c.key.public + ", subject " + c.tokens.subject + ")"
}

// GoString returns what String does, so that %#v shows no internals.
func (c *Client) GoString() string { return c.String() }

// Option configures a Client made by New. An Option returns an error when its
// argument cannot be used; New stops at the first one and returns it.
type Option func(*config) error

// config is what New's options set. It holds no secret.
type config struct {
	httpClient    *http.Client // nil until New fills in the default
	ownHTTPClient bool         // New made httpClient, so Close may close its idle connections
	logger        *slog.Logger
	retry         push.RetryPolicy
	clock         push.Clock
	concurrency   int
	ttl           time.Duration
	padding       int
	random        io.Reader
	vapidLifetime time.Duration
}

func defaultConfig() config {
	return config{
		logger:        slog.New(slog.DiscardHandler),
		retry:         push.DefaultRetryPolicy(),
		clock:         push.SystemClock(),
		concurrency:   direct.DefaultConcurrency,
		ttl:           DefaultTTL,
		random:        rand.Reader,
		vapidLifetime: DefaultVAPIDLifetime,
	}
}

func optionError(detail string) error { return &push.Error{Op: opNew, Detail: detail} }

// WithHTTPClient makes the Client send with hc, which must not be nil (to
// go through a proxy, or to trust an emulator's certificate). The Client
// never modifies hc, and follows no redirect whatever hc's CheckRedirect
// says: a redirected push message is reported, not re-sent elsewhere.
//
// Without it, the Client uses an *http.Client of its own, over HTTP/2 where
// the push service offers it (FCM, Mozilla and Apple do), with health-checked
// connections and bounded dial, handshake and response times. It never uses
// http.DefaultClient or http.DefaultTransport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return optionError("WithHTTPClient needs a non-nil *http.Client")
		}
		c.httpClient, c.ownHTTPClient = httpx.NoRedirects(hc), false
		return nil
	}
}

// WithLogger makes the Client log to l, which must not be nil. Without it
// the Client logs nothing. It logs nothing per message at level Info: a
// VAPID token signed at Debug, and a push service refusing one at Warn. No
// record holds a key or a token.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return optionError("WithLogger needs a non-nil *slog.Logger; leave the option out to log nothing")
		}
		c.logger = l
		return nil
	}
}

// WithRetry sets how each subscription's message is repeated when it failed
// with a retryable error: 429 (after the Retry-After asked for), 5xx, or a
// connection that failed before the request was sent (push.DefaultRetryPolicy
// unless told otherwise). A message whose outcome is unknown (the connection
// failed after it was sent) is repeated only when p.RetryUnknownOutcome is
// set: the browser would then show it twice. Each attempt is encrypted
// afresh. The waits run on the Client's clock. Negative delays are refused;
// MaxAttempts 1 means no retry.
func WithRetry(p push.RetryPolicy) Option {
	return func(c *config) error {
		if p.BaseDelay < 0 || p.MaxDelay < 0 {
			return optionError("WithRetry: BaseDelay and MaxDelay must not be negative")
		}
		if p == (push.RetryPolicy{}) {
			p.MaxAttempts = 1 // the zero policy tries once, as its documentation says
		}
		c.retry = p
		return nil
	}
}

// WithClock sets the clock the Client reads and waits on (push.SystemClock
// unless told otherwise): VAPID token expiry, retry waits, Retry-After dates.
// It must not be nil and must be safe for concurrent use.
func WithClock(clock push.Clock) Option {
	return func(c *config) error {
		if clock == nil {
			return optionError("WithClock needs a non-nil push.Clock")
		}
		c.clock = clock
		return nil
	}
}

// WithConcurrency bounds how many messages one send to several subscriptions
// keeps in flight (direct.DefaultConcurrency, 100, unless told otherwise);
// n must be at least 1. Each Send has its own bound.
func WithConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return optionError("WithConcurrency needs at least 1")
		}
		c.concurrency = n
		return nil
	}
}

// WithTTL sets the TTL header of a notification that has none: how long the
// push service keeps the message for a browser that is offline (DefaultTTL,
// 24 hours, unless told otherwise). A notification's own TTL header (see
// push.WebPush.TTL) wins. d is whole seconds, at most 28 days; 0 is taken as
// asked: deliver only to a browser connected now, else drop the message.
func WithTTL(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 || d > maxTTL || d%time.Second != 0 {
			return optionError("WithTTL takes whole seconds from 0 to 28 days")
		}
		c.ttl = d
		return nil
	}
}

// WithPadding pads each message so that its encrypted record is a multiple of
// multiple bytes (never past MaxBodySize), so that a message's size says
// less about its content; without it, nothing is padded. Padding costs
// bandwidth and, near 4096 bytes, some push services' size limits (Firefox
// for Android takes 3070 bytes), which is why it is off by default.
// multiple is from 1 to MaxBodySize.
func WithPadding(multiple int) Option {
	return func(c *config) error {
		if multiple < 1 || multiple > MaxBodySize {
			return optionError("WithPadding takes a multiple from 1 to 4096 bytes")
		}
		c.padding = multiple
		return nil
	}
}

// WithRandom sets the source of each message's ephemeral key and salt
// (crypto/rand unless told otherwise), so that tests can make messages
// reproducible. A source that is not cryptographically secure makes every
// message readable: never use one outside tests. The Client reads it under a
// lock. VAPID signatures use crypto/rand whatever the option (see
// testing/cryptotest to make them reproducible).
func WithRandom(r io.Reader) Option {
	return func(c *config) error {
		if r == nil {
			return optionError("WithRandom needs a non-nil io.Reader")
		}
		c.random = &lockedReader{r: r}
		return nil
	}
}

// WithVAPIDLifetime sets how long each VAPID token is valid, its exp claim
// (DefaultVAPIDLifetime, 12 hours, unless told otherwise), from 1 minute to
// MaxVAPIDLifetime, 24 hours, beyond which push services refuse it. A token
// is signed once per push service origin and reused until shortly before it
// expires (10 minutes, or half the lifetime if shorter). A lifetime near 24
// hours is refused by push services whose clock is behind this machine's.
func WithVAPIDLifetime(d time.Duration) Option {
	return func(c *config) error {
		if d < minVAPIDLifetime || d > MaxVAPIDLifetime {
			return optionError("WithVAPIDLifetime takes from 1 minute to 24 hours")
		}
		c.vapidLifetime = d
		return nil
	}
}
