package fcm

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jwt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// Scope is the OAuth 2.0 scope of the access tokens the Client asks for.
const Scope = "https://www.googleapis.com/auth/firebase.messaging"

// refreshAhead is how long before its expiry an access token is replaced;
// Google's last an hour. A token that lasts less is replaced at half its life.
const refreshAhead = 5 * time.Minute

// accessToken is a cached access token: the Authorization header that
// carries it, built once, and when to replace it, on the Client's clock.
type accessToken struct {
	header    []string    // {"Bearer " + token}
	headers   http.Header // a send's headers: Authorization and Content-Type, shared read-only by every request
	token     string      // to redact it from what a server echoes
	expiry    time.Time
	refreshAt time.Time
	forever   bool // the source set no expiry
}

// usable reports whether the token may still be sent at now.
func (a *accessToken) usable(now time.Time) bool { return a.forever || now.Before(a.expiry) }

// fresh reports whether the token needs no replacing yet at now.
func (a *accessToken) fresh(now time.Time) bool { return a.forever || now.Before(a.refreshAt) }

// refresh is one fetch of an access token; done is closed when it ends.
type refresh struct {
	done chan struct{}
	tok  *accessToken
	err  *push.Error
}

// tokenCache holds the Client's access token, shared by every send. It
// fetches a token when there is none, and a new one ahead of expiry, judged
// on the Client's clock (x/oauth2's own cache judges it on the system
// clock, so every fetch bypasses it): one fetch at a time, on a goroutine of
// its own that sends wait for, with their own contexts, only when no usable
// token is left. Reading a cached token allocates nothing.
type tokenCache struct {
	source func() (*oauth2.Token, error) // one fetch; never a cached answer for a service account
	clock  push.Clock
	logger *slog.Logger
	// contentType is the Content-Type of every send, in the headers of each
	// token.
	contentType []string

	cur atomic.Pointer[accessToken]

	mu      sync.Mutex
	flight  *refresh // the fetch in progress, nil when none
	closed  bool
	fetches sync.WaitGroup
	stop    context.CancelFunc // ends the fetch in progress on Close
}

// get returns the token to send now: the cached one while it is usable
// (starting its replacement in the background once it is due), else the
// result of a fetch, waited for until ctx ends.
func (c *tokenCache) get(ctx context.Context) (*accessToken, *push.Error) {
	if a := c.cur.Load(); a != nil {
		now := c.clock.Now()
		if a.fresh(now) {
			return a, nil
		}
		if a.usable(now) {
			c.start(a)
			return a, nil
		}
	}
	return c.wait(ctx, c.start(c.cur.Load()))
}

// renew returns a token other than used, which the service refused: the
// result of a fetch, unless another send already replaced used.
func (c *tokenCache) renew(ctx context.Context, used *accessToken) (*accessToken, *push.Error) {
	if a := c.cur.Load(); a != used && a != nil && a.usable(c.clock.Now()) {
		return a, nil
	}
	return c.wait(ctx, c.start(used))
}

// start returns the fetch in progress, starting one unless the cached token
// has changed since old was read and is usable (a fetch that just ended).
func (c *tokenCache) start(old *accessToken) *refresh {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flight != nil {
		return c.flight
	}
	r := &refresh{done: make(chan struct{})}
	if cur := c.cur.Load(); cur != old && cur != nil && cur.usable(c.clock.Now()) {
		r.tok = cur
		close(r.done)
		return r
	}
	if c.closed {
		r.err = &push.Error{Op: opSend, Detail: "the Client is closed"}
		close(r.done)
		return r
	}
	c.flight = r
	c.fetches.Add(1)
	go c.run(r)
	return r
}

// run fetches a token for r and publishes it.
func (c *tokenCache) run(r *refresh) {
	defer c.fetches.Done()
	old := c.cur.Load()
	tok, err := c.fetch(old)
	// Logged before the waiting sends go on, so that the record precedes
	// what they do next.
	if err != nil {
		c.logger.Warn("fcm: cannot fetch an access token", slog.String("error", err.Error()))
	} else {
		c.logger.Debug("fcm: fetched an access token", slog.Time("expiry", tok.expiry))
	}
	c.mu.Lock()
	if err == nil {
		c.cur.Store(tok)
	}
	r.tok, r.err = tok, err
	c.flight = nil
	c.mu.Unlock()
	close(r.done)
}

// fetch asks the source for a token and dates it on the Client's clock.
func (c *tokenCache) fetch(old *accessToken) (*accessToken, *push.Error) {
	t, err := c.source()
	if err != nil {
		return nil, tokenError(err)
	}
	if t == nil || !validAccessToken(t.AccessToken) {
		return nil, &push.Error{Op: opSend, Kind: push.ErrUnauthorized,
			Detail: "the token source returned no usable access token (empty, or with spaces or control characters)"}
	}
	now := c.clock.Now()
	a := &accessToken{header: []string{"Bearer " + t.AccessToken}, token: t.AccessToken}
	a.headers = http.Header{"Authorization": a.header, "Content-Type": c.contentType}
	if t.Expiry.IsZero() {
		a.forever = true
		return a, nil
	}
	// The source dates tokens on the system clock; their remaining life
	// carries over to the Client's.
	life := time.Until(t.Expiry)
	a.expiry = now.Add(life)
	a.refreshAt = a.expiry.Add(-min(refreshAhead, life/2))
	if old != nil && old.token == t.AccessToken {
		// A source with a cache of its own gave the same token back: ask
		// again only when it has expired, not on every send until then.
		a.refreshAt = a.expiry
	}
	return a, nil
}

// wait waits for r, or for ctx to end.
func (c *tokenCache) wait(ctx context.Context, r *refresh) (*accessToken, *push.Error) {
	select {
	case <-r.done:
		return r.tok, r.err
	case <-ctx.Done():
		return nil, &push.Error{Op: opSend, Detail: "the context ended while waiting for an access token; nothing was sent", Err: ctx.Err()}
	}
}

// close ends the fetch in progress, if any, and waits for it. Later fetches
// fail.
func (c *tokenCache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.stop()
	c.fetches.Wait()
}

// validAccessToken reports whether an access token can travel in a header:
// printable ASCII without spaces.
func validAccessToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// tokenError classifies a failed fetch. A refusal of the token endpoint
// (invalid_grant, invalid_scope, ...) is push.ErrUnauthorized with its code
// and description; a transport failure push.ErrUnavailable. No secret is
// kept: x/oauth2's RetrieveError quotes the whole answer, which a hostile
// endpoint could fill with the assertion it was sent, so only its code and
// redacted description are.
func tokenError(err error) *push.Error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return &push.Error{Op: opSend, Kind: push.ErrUnavailable, Detail: "cannot fetch an access token", Err: err}
	}
	code, description := re.ErrorCode, re.ErrorDescription
	if code == "" {
		// x/oauth2's JWT flow leaves the answer unparsed.
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(re.Body, &body) == nil {
			code, description = body.Error, body.Description
		}
	}
	e := &push.Error{Op: opSend, Kind: push.ErrUnauthorized, Code: httpx.Clip(cleanText(code), 64)}
	if re.Response != nil {
		e.StatusCode = re.Response.StatusCode
		switch {
		case e.StatusCode == http.StatusTooManyRequests:
			e.Kind = push.ErrThrottled
		case e.StatusCode >= 500:
			e.Kind = push.ErrUnavailable
		}
	}
	e.Detail = "the token endpoint refused the service account's credentials: check the key, that the service account exists, and the local clock"
	if e.Kind != push.ErrUnauthorized {
		e.Detail = "the token endpoint failed"
	}
	if d := redact(cleanText(description), ""); d != "" {
		e.Detail += "; it said: " + d
	}
	return e
}

// credentials is what the credentials options set: at most one of them.
type credentials struct {
	json   []byte             // a service account key file's contents
	source oauth2.TokenSource // any source
	given  string             // the option that set them, "" for none
}

// tokenSource returns the function that fetches one token, and the project
// ID the credentials name ("" when they name none). newCtx is New's, for
// finding Application Default Credentials; fetchCtx carries the HTTP client
// of the fetches and lasts as long as the Client.
func (cr credentials) tokenSource(newCtx, fetchCtx context.Context) (func() (*oauth2.Token, error), string, error) {
	switch {
	case cr.source != nil:
		return cr.source.Token, "", nil
	case cr.json != nil:
		return serviceAccount(fetchCtx, cr.json)
	}
	creds, err := google.FindDefaultCredentials(newCtx, Scope)
	if err != nil {
		return nil, "", &push.Error{Op: opNew, Detail: "no credentials given and no Application Default Credentials found " +
			"(set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or give WithCredentialsFile): " + redact(err.Error(), "")}
	}
	if isServiceAccount(creds.JSON) {
		return serviceAccount(fetchCtx, creds.JSON)
	}
	return creds.TokenSource.Token, creds.ProjectID, nil
}

// serviceAccount returns the fetch of a service account key: a fresh
// x/oauth2 JWT flow each time (its TokenSource caches on the system clock;
// the Client caches on its own), and the key's project ID.
func serviceAccount(ctx context.Context, key []byte) (func() (*oauth2.Token, error), string, error) {
	cfg, err := google.JWTConfigFromJSON(key, Scope)
	if err != nil {
		return nil, "", &push.Error{Op: opNew, Detail: "the credentials are not a service account key file (JSON of type service_account with client_email and private_key): " + describeKeyError(err)}
	}
	if !isRSAKey(cfg.PrivateKey) {
		return nil, "", &push.Error{Op: opNew, Detail: "the service account's private_key is not an RSA private key in PEM form (PKCS #8 or PKCS #1)"}
	}
	return func() (*oauth2.Token, error) { return freshToken(ctx, cfg) }, projectOf(key), nil
}

// freshToken runs the JWT flow once.
func freshToken(ctx context.Context, cfg *jwt.Config) (*oauth2.Token, error) {
	return cfg.TokenSource(ctx).Token()
}

// describeKeyError says what is wrong with a key file without quoting it.
func describeKeyError(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "type"):
		return "wrong or missing type"
	case strings.Contains(msg, "invalid character"), strings.Contains(msg, "unexpected end"), strings.Contains(msg, "cannot unmarshal"):
		return "not valid JSON"
	}
	return "unreadable"
}

// isRSAKey reports whether b is a PEM RSA private key, PKCS #8 or PKCS #1,
// as x/oauth2 reads it.
func isRSAKey(b []byte) bool {
	block, _ := pem.Decode(b)
	if block == nil {
		return false
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		_, ok := k.(*rsa.PrivateKey)
		return ok
	}
	_, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	return err == nil
}

// isServiceAccount reports whether b is a service account key file.
func isServiceAccount(b []byte) bool {
	var f struct {
		Type string `json:"type"`
	}
	return json.Unmarshal(b, &f) == nil && f.Type == "service_account"
}

// projectOf returns the project_id of a key file, "" if none.
func projectOf(b []byte) string {
	var f struct {
		ProjectID string `json:"project_id"`
	}
	if json.Unmarshal(b, &f) != nil {
		return ""
	}
	return f.ProjectID
}

// fetchContext returns the context of the token fetches: it carries hc,
// which x/oauth2 sends the token requests with, and ends on Close.
func fetchContext(hc *http.Client) (context.Context, context.CancelFunc) {
	return context.WithCancel(context.WithValue(context.Background(), oauth2.HTTPClient, hc))
}
