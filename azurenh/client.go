package azurenh

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/pushwire/push"
	"github.com/pushwire/push/direct"
	"github.com/pushwire/push/internal/httpx"
)

// Client sends notifications through one notification hub, and manages its
// devices: installations, registrations, telemetry, feedback and jobs (see
// "Managing devices" in the package documentation). It implements push.Sender
// and push.Scheduler.
//
// A Client is safe for concurrent use by multiple goroutines and meant to be
// shared: it keeps one signed token for all of them (refreshed ahead of its
// expiry) and reuses connections through its *http.Client. It holds no
// per-call state; Close releases its idle connections.
//
// A Client prints as what it is, the provider, the namespace's endpoint and
// the hub (%v, %+v, %#v and log/slog alike), and holds its key and tokens
// where no printer reaches them.
type Client struct {
	hub      string
	endpoint string // https://NS.servicebus.windows.net/
	cfg      config
	caps     push.Capabilities
	browsers *direct.Sender // a browser notification to several subscriptions
	tokens   *tokenSource   // holds the key, sealed
	auth     atomic.Pointer[authValue]
	urls     hubURLs
	// secrets removes the key and the signatures of the recent tokens from
	// everything read from the service; logText also removes the value of
	// every sig= parameter, from errors, logs and dumps.
	secrets   *httpx.Scrubber
	logText   *httpx.Scrubber
	deadlines *attemptDeadlines
	// doer sends through cfg.httpClient, straight to its transport when
	// nothing of the *http.Client's own applies (see httpx.Doer).
	doer  httpx.Doer
	idgen *idSource // the tracking IDs, unless WithIDs
	// Header values that do not change between requests, built once by New and
	// shared, read-only, by every request.
	version      []string
	formats      map[push.Platform][]string
	contentTypes map[string][]string
}

// authValue is the Authorization header of the current token, as the one-value
// slice a request header holds, so that reusing a token allocates nothing.
type authValue struct {
	header string
	value  []string
}

// hubURLs are the URLs of the hub's endpoints, parsed once by New and shared,
// read-only, by every request.
type hubURLs struct {
	send     *url.URL // POST .../HUB/messages?api-version=V
	test     *url.URL // POST .../HUB/messages?api-version=V&test
	direct   *url.URL // POST .../HUB/messages?api-version=V&direct
	batch    *url.URL // POST .../HUB/messages/$batch?api-version=V&direct
	schedule *url.URL // POST .../HUB/schedulednotifications?api-version=V
}

// New returns a Client for the hub named hub of the namespace that
// connectionString designates (see ParseConnectionString). When hub is "", the
// connection string's EntityPath names the hub; when both are given they must
// name the same hub (hub names are compared without regard to case).
//
// New does no I/O: a wrong key or hub name shows on the first request. The
// error, a *push.Error, says what to fix and never contains the key.
func New(connectionString, hub string, opts ...Option) (*Client, error) {
	cs, err := ParseConnectionString(connectionString)
	if err != nil {
		return nil, err
	}
	secrets := httpx.NewScrubber(string(cs.Key()))
	hub, err = resolveHub(hub, cs.EntityPath)
	if err != nil {
		return nil, secrets.Err(err)
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
		cfg.httpClient = httpx.NewClient(nil)
	} else {
		cfg.httpClient = httpx.NoRedirects(cfg.httpClient)
	}
	return newClient(cs, hub, cfg, secrets)
}

// newClient builds a Client from checked parts.
func newClient(cs ConnectionString, hub string, cfg config, secrets *httpx.Scrubber) (*Client, error) {
	base := cs.Endpoint + hub
	urls, err := newHubURLs(base, cfg.apiVersion, cfg.testSend)
	if err != nil {
		return nil, err
	}
	c := &Client{
		hub:          hub,
		endpoint:     cs.Endpoint,
		cfg:          cfg,
		caps:         capabilities(),
		tokens:       newTokenSource(base, cs.KeyName, cs.Key(), cfg.clock),
		urls:         urls,
		secrets:      secrets,
		logText:      secrets.WithParams("sig"),
		deadlines:    newAttemptDeadlines(cfg.attemptTimeout),
		doer:         httpx.NewDoer(cfg.httpClient),
		idgen:        newIDSource(),
		version:      []string{cfg.apiVersion},
		formats:      make(map[push.Platform][]string),
		contentTypes: make(map[string][]string),
	}
	c.tokens.secrets = secrets
	c.browsers = newBrowserSender(c)
	for _, p := range push.Platforms() {
		c.formats[p] = []string{string(p)}
	}
	for _, ct := range []string{push.ContentTypeJSON, push.ContentTypeXML, push.ContentTypeXMLUTF8, push.ContentTypeOctetStream} {
		c.contentTypes[ct] = []string{ct}
	}
	return c, nil
}

// resolveHub returns the hub name from the explicit argument and the connection
// string's EntityPath, and checks it.
func resolveHub(hub, entityPath string) (string, error) {
	switch {
	case hub == "" && entityPath == "":
		return "", newError("no hub name: pass it to New, or add EntityPath=HUB to the connection string")
	case hub == "":
		hub = entityPath
	case entityPath != "" && !strings.EqualFold(hub, entityPath):
		return "", newError("the hub name " + quoteHub(hub) + " differs from the connection string's EntityPath " + quoteHub(entityPath) + "; give one, or the same in both")
	}
	if !validHubName(hub) {
		return "", newError("the hub name " + quoteHub(hub) + " is not a notification hub name: want 1 to 260 letters, digits, '.', '-' and '_', starting and ending with a letter or a digit")
	}
	return hub, nil
}

func newError(detail string) error { return &push.Error{Op: opNew, Detail: detail} }

// quoteHub quotes a hub name for an error, shortened if very long.
func quoteHub(hub string) string {
	const max = 64
	if len(hub) > max {
		hub = hub[:max] + "..."
	}
	return `"` + strings.ToValidUTF8(hub, "?") + `"`
}

// validHubName reports whether name can be a notification hub's name, as
// Azure names them: 1 to 260 letters, digits, '.', '-' and '_', starting and
// ending with a letter or a digit. Such a name needs no escaping in a URL and
// is never a path of its own ("." or "..").
func validHubName(name string) bool {
	if name == "" || len(name) > 260 || !isAlnum(name[0]) || !isAlnum(name[len(name)-1]) {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '-' || b == '_') {
			return false
		}
	}
	return true
}

// newHubURLs parses the URLs of the hub at base ("https://HOST/HUB").
func newHubURLs(base, version string, test bool) (hubURLs, error) {
	q := "?api-version=" + version
	var u hubURLs
	var err error
	for _, e := range []struct {
		dst *(*url.URL)
		raw string
	}{
		{&u.send, base + "/messages" + q},
		{&u.test, base + "/messages" + q + "&test"},
		{&u.direct, base + "/messages" + q + "&direct"},
		{&u.batch, base + "/messages/$batch" + q + "&direct"},
		{&u.schedule, base + "/schedulednotifications" + q},
	} {
		if *e.dst, err = url.Parse(e.raw); err != nil {
			return hubURLs{}, newError("the hub URL does not parse: " + err.Error())
		}
	}
	if test {
		u.send = u.test
	}
	return u, nil
}

// hubURL returns the URL of a resource of the hub: the hub's URL, then each
// segment path-escaped ("/" included), then the query api-version=V followed by
// query (already encoded, without "?"; may be ""). For example
// hubURL("", "installations", id) addresses one installation.
func (c *Client) hubURL(query string, segments ...string) *url.URL {
	u := *c.urls.send   // for its scheme and host
	path := "/" + c.hub // a valid hub name needs no escaping
	raw := path
	for _, s := range segments {
		path += "/" + s
		raw += "/" + url.PathEscape(s)
	}
	u.Path, u.RawPath = path, raw
	u.RawQuery = "api-version=" + c.cfg.apiVersion
	if query != "" {
		u.RawQuery += "&" + query
	}
	return &u
}

// Hub returns the name of the hub the Client sends through.
func (c *Client) Hub() string { return c.hub }

// Endpoint returns the namespace's endpoint, https://NAMESPACE.servicebus.windows.net/.
func (c *Client) Endpoint() string { return c.endpoint }

// String describes the Client: provider, endpoint and hub, as in
// "azurenh.Client{endpoint: https://contoso.servicebus.windows.net/, hub: myhub}".
func (c *Client) String() string {
	return "azurenh.Client{endpoint: " + c.endpoint + ", hub: " + c.hub + "}"
}

// GoString is String, so that %#v shows what the Client is, not its fields.
func (c *Client) GoString() string { return c.String() }

// Format writes String for every verb (%v, %+v, %#v, %s, %q quoted).
func (c *Client) Format(f fmt.State, verb rune) {
	if verb != 'q' {
		verb = 's'
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), c.String())
}

// LogValue logs the Client as a group of its provider, endpoint and hub.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("provider", ProviderName), slog.String("endpoint", c.endpoint), slog.String("hub", c.hub))
}

// authorization returns the Authorization header value of a request made now,
// as a one-value slice shared by every request until the token is replaced.
// Reusing the cached token allocates nothing.
func (c *Client) authorization() []string {
	h := c.tokens.header()
	if a := c.auth.Load(); a != nil && a.header == h {
		return a.value
	}
	a := &authValue{header: h, value: []string{h}}
	c.auth.Store(a)
	return a.value
}

// Interface checks.
var (
	_ push.Sender    = (*Client)(nil)
	_ push.Scheduler = (*Client)(nil)
	_ push.Capable   = (*Client)(nil)
)
