package fcm

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"github.com/pushwire/push"
	"github.com/pushwire/push/direct"
	"github.com/pushwire/push/internal/httpx"
)

// DefaultEndpoint is the FCM HTTP v1 API's base URL.
const DefaultEndpoint = "https://fcm.googleapis.com"

// The Op of the errors of New and its options, and of Send.
const (
	opNew  = "fcm: new client"
	opSend = "fcm: send"
)

// Client sends push.FCMV1 notifications through Firebase Cloud Messaging's
// HTTP v1 API for one Firebase project: to registration tokens (push.Device,
// push.Devices), to a topic (push.Tags of one tag) and to a condition
// (push.Tags of several, push.Expression, push.Installation, push.User). It
// implements push.Sender and push.Capable.
//
// A Client is safe for concurrent use by multiple goroutines and meant to be
// shared: it keeps one access token for all of them, refreshed ahead of its
// expiry, and reuses connections through its *http.Client. Close it when
// done. It prints safely: %v, %+v and %#v show the project and endpoint,
// never a key or a token.
type Client struct {
	project  string
	endpoint string
	sendURL  *url.URL // POST .../v1/projects/ID/messages:send, shared read-only
	cfg      config
	doer     httpx.Doer // sends through cfg.httpClient
	tokens   *tokenCache
	direct   *direct.Sender
	caps     push.Capabilities
	// buffers holds the buffers responses are read into.
	buffers sync.Pool
}

// config is what New's options set. It holds no secret in a form that
// prints: the credentials are behind a pointer.
type config struct {
	httpClient    *http.Client
	ownHTTPClient bool // New made httpClient, so Close closes its idle connections
	logger        *slog.Logger
	retry         push.RetryPolicy
	clock         push.Clock
	concurrency   int
	endpoint      string
	dryRun        bool
	creds         *credentials
}

// Option configures a Client made by New. An Option returns an error when
// its argument cannot be used; New stops at the first one and returns it.
type Option func(*config) error

func optionError(detail string) error { return &push.Error{Op: opNew, Detail: detail} }

// New returns a Client that sends for the Firebase project projectID (its
// ID, like "my-app-1a2b3", or its number). When projectID is "", the
// credentials' project_id names it.
//
// The credentials are those of one option (WithCredentialsJSON,
// WithCredentialsFile, WithTokenSource) or, without one, Google's
// Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
// file, or the metadata server on Google Cloud), looked up with ctx. A
// service account's access tokens are fetched with the x/oauth2 JWT flow,
// through the Client's *http.Client, from the key's token_uri.
//
// New fetches no token: a wrong key shows on the first send. The error, a
// *push.Error, says what to fix and never contains a key.
func New(ctx context.Context, projectID string, opts ...Option) (*Client, error) {
	if err := push.CheckContext(ctx, opNew); err != nil {
		return nil, err
	}
	cfg := config{logger: slog.New(slog.DiscardHandler), retry: push.DefaultRetryPolicy(), clock: push.SystemClock(),
		endpoint: DefaultEndpoint, creds: &credentials{}}
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
	fetchCtx, stop := fetchContext(cfg.httpClient)
	source, credProject, err := cfg.creds.tokenSource(ctx, fetchCtx)
	if err != nil {
		stop()
		return nil, err
	}
	if projectID == "" {
		projectID = credProject
	}
	if err := checkProject(projectID); err != nil {
		stop()
		return nil, err
	}
	c := &Client{project: projectID, endpoint: cfg.endpoint, cfg: cfg, doer: httpx.NewDoer(cfg.httpClient), caps: capabilities()}
	c.sendURL, err = url.Parse(cfg.endpoint + "/v1/projects/" + projectID + "/messages:send")
	if err != nil {
		stop()
		return nil, optionError("the endpoint does not make a URL: " + err.Error())
	}
	c.tokens = &tokenCache{source: source, clock: cfg.clock, logger: cfg.logger, stop: stop, contentType: []string{push.ContentTypeJSON}}
	c.direct = direct.New(driver{c}, direct.Config{Op: opSend, Capabilities: c.caps, Retry: cfg.retry, Clock: cfg.clock, Concurrency: cfg.concurrency})
	return c, nil
}

// checkProject checks a project ID or number: 1 to 100 lower-case letters,
// digits, '-', and the '.' and ':' of a domain-scoped project
// (example.com:my-project), so that it needs no escaping in the URL.
func checkProject(id string) error {
	if id == "" {
		return optionError("no project ID: pass it to New, or use credentials that name one (a service account key's project_id)")
	}
	if len(id) > 100 {
		return optionError("the project ID is longer than 100 characters")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == ':') {
			return optionError("the project ID " + quote(id) + " has a character other than lower-case letters, digits, '-', '.' and ':'")
		}
	}
	return nil
}

func quote(s string) string { return `"` + httpx.Clip(s, 64) + `"` }

// capabilities is what a Client delivers: FCMV1 to tokens and topics,
// dry-runnable, one request per token.
func capabilities() push.Capabilities {
	return push.Capabilities{Provider: "fcm", Platforms: map[push.Platform]push.Support{
		push.FCMV1: {Targets: push.KindsOf(push.TargetTags, push.TargetDevice, push.TargetDevices), TestSend: true, PerDevice: true, BatchSize: 1},
	}}
}

// Capabilities returns what the Client delivers: push.FCMV1 notifications
// to device tokens (one Result per token) and to tags (a topic or a
// condition), with a dry run as the test send; no broadcast, no schedule.
func (c *Client) Capabilities() push.Capabilities { return c.caps.Clone() }

// Project returns the ID of the Firebase project the Client sends for.
func (c *Client) Project() string { return c.project }

// String describes the Client: "fcm.Client{project my-app, endpoint https://fcm.googleapis.com}".
func (c *Client) String() string {
	s := "fcm.Client{project " + c.project + ", endpoint " + c.endpoint
	if c.cfg.dryRun {
		s += ", dry run"
	}
	return s + "}"
}

// GoString is String, so that %#v shows no internals either.
func (c *Client) GoString() string { return c.String() }

// Close stops a token fetch in progress and waits for it, and releases the
// idle connections of the *http.Client the Client made for itself (one given
// with WithHTTPClient is the caller's and left alone). Close is safe to call
// more than once; do not send through the Client after it.
func (c *Client) Close() error {
	c.tokens.close()
	if c.cfg.ownHTTPClient {
		httpx.CloseIdle(c.cfg.httpClient)
	}
	return nil
}

// WithHTTPClient makes the Client send its requests, and fetch its access
// tokens, with hc, which must not be nil (an emulator's client that trusts
// its certificate, say). The Client never modifies hc and follows no
// redirect with it.
//
// Without it the Client uses an *http.Client of its own made for many
// concurrent requests to one host over HTTP/2. It never uses
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

// WithLogger makes the Client log to l, which must not be nil: a warning
// when an access token cannot be fetched, and each fetch at level Debug.
// Without it the Client logs nothing. No record holds a key or a token.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return optionError("WithLogger needs a non-nil *slog.Logger; leave the option out to log nothing")
		}
		c.logger = l
		return nil
	}
}

// WithRetry sets how each request is repeated when it fails with a
// retryable error: 429 QUOTA_EXCEEDED, 500 INTERNAL, 503 UNAVAILABLE and
// connections that fail before the request was sent, waiting at least what
// Retry-After asks (push.DefaultRetryPolicy unless told otherwise). A send
// to several tokens retries each token on its own. Negative delays are
// refused.
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
// unless told otherwise): when its access token is due for replacement,
// retry waits, and Retry-After dates. clock must not be nil and must be safe
// for concurrent use.
func WithClock(clock push.Clock) Option {
	return func(c *config) error {
		if clock == nil {
			return optionError("WithClock needs a non-nil push.Clock")
		}
		c.clock = clock
		return nil
	}
}

// WithConcurrency bounds the requests one send to several tokens keeps in
// flight (direct.DefaultConcurrency, 100, unless told otherwise; FCM allows
// about 100 streams on one HTTP/2 connection). n must be positive.
func WithConcurrency(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return optionError("WithConcurrency needs a positive number of requests")
		}
		c.concurrency = n
		return nil
	}
}

// WithEndpoint sends to another base URL than DefaultEndpoint: an emulator's
// (fcmtest.Server.URL), or a proxy's. u is an http or https URL with a host
// and no query; a path is kept as a prefix.
func WithEndpoint(u string) Option {
	return func(c *config) error {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.RawQuery != "" || p.Fragment != "" || p.User != nil {
			return optionError("WithEndpoint needs an http or https URL with a host and no query, like https://127.0.0.1:8443")
		}
		c.endpoint = strings.TrimRight(u, "/")
		return nil
	}
}

// WithDryRun turns dry runs on or off (off by default). A dry run sends
// "validate_only": true: FCM checks each message as it would for a real send
// (the token, the topic, the payload) and answers with a placeholder message
// name, but delivers nothing. It is the FCM form of a test send
// (push.Support.TestSend).
func WithDryRun(on bool) Option {
	return func(c *config) error {
		c.dryRun = on
		return nil
	}
}

// WithCredentialsJSON authenticates with a service account key file's
// contents, as the Firebase console's "Generate new private key" gives it
// (JSON of type service_account). Only one credentials option may be given.
func WithCredentialsJSON(key []byte) Option {
	return func(c *config) error {
		if len(key) == 0 {
			return optionError("WithCredentialsJSON needs the key file's contents")
		}
		return c.setCredentials("WithCredentialsJSON", credentials{json: append([]byte(nil), key...)})
	}
}

// WithCredentialsFile authenticates with the service account key file at
// path, read by New. Only one credentials option may be given.
func WithCredentialsFile(path string) Option {
	return func(c *config) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return optionError("WithCredentialsFile: cannot read " + quote(path) + ": " + describeFileError(err))
		}
		return c.setCredentials("WithCredentialsFile", credentials{json: b})
	}
}

// WithTokenSource authenticates with access tokens from ts (for workload
// identity, impersonation, or a token minted elsewhere). The Client caches
// each token and asks ts for another ahead of its expiry on the Client's
// clock, and once more when FCM refuses one; a ts with a cache of its own
// (oauth2.ReuseTokenSource) may answer with the same token until it expires
// on the system clock. ts must be safe for concurrent use. Only one
// credentials option may be given.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return optionError("WithTokenSource needs a non-nil oauth2.TokenSource")
		}
		return c.setCredentials("WithTokenSource", credentials{source: ts})
	}
}

func (c *config) setCredentials(option string, cr credentials) error {
	if c.creds.given != "" {
		return optionError(option + " and " + c.creds.given + " both give credentials; give one")
	}
	cr.given = option
	*c.creds = cr
	return nil
}

// describeFileError says why a file could not be read, without its contents.
func describeFileError(err error) string {
	switch {
	case os.IsNotExist(err):
		return "it does not exist"
	case os.IsPermission(err):
		return "permission denied"
	}
	return "unreadable"
}

// Interface checks.
var (
	_ push.Sender  = (*Client)(nil)
	_ push.Capable = (*Client)(nil)
)
