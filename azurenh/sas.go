package azurenh

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

const (
	// tokenLifetime is how long a signed token is valid: its expiry is fixed when it is
	// signed (absolute, not sliding). Twenty minutes is the .NET SDK's choice: long
	// enough that signing is rare, short enough that a leaked header soon dies.
	tokenLifetime = 20 * time.Minute
	// tokenRefreshMargin is how much life a token must have left to be reused. A
	// token closer to its expiry is replaced, so that a request that is slow to reach
	// the service, or a local clock a little ahead of the service's, does not carry an
	// expired token.
	tokenRefreshMargin = 2 * time.Minute
)

// signSAS returns the value of an Authorization header that grants the rights of
// the rule keyName over audience until expiry:
//
//	SharedAccessSignature sr=<sr>&sig=<sig>&se=<se>&skn=<keyName>
//
// sr is the lower-cased audience, query-escaped; se is expiry in Unix seconds; sig
// is the query-escaped base64 of HMAC-SHA256(key, sr + "\n" + se), keyed with the
// key text itself (not base64-decoded). The service recomputes the HMAC over sr as
// sent, so the signed bytes and the sent bytes are the same string.
func signSAS(audience, keyName string, key Key, expiry time.Time) string {
	sr := url.QueryEscape(strings.ToLower(audience))
	se := strconv.FormatInt(expiry.Unix(), 10)
	mac := hmac.New(sha256.New, key.bytes())
	io.WriteString(mac, sr+"\n"+se)
	sig := url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	return "SharedAccessSignature sr=" + sr + "&sig=" + sig + "&se=" + se + "&skn=" + url.QueryEscape(keyName)
}

// tokenSource hands out Authorization headers for one audience, signing a new token
// only when the current one is close to its expiry. It is safe for concurrent use
// and meant to be shared by every goroutine of a client.
//
// Reading a current token takes no lock and allocates nothing. When the token is due
// for refresh, one goroutine signs a new one while the others wait for it, so
// however many callers find the token stale, it is signed once.
//
// No method returns or logs the key, which is sealed (see sealedKey); the
// current token sits behind an atomic pointer, which printers do not follow.
// The signature of every token signed is added to secrets, when set, so that
// no echo of it reaches what the Client emits.
type tokenSource struct {
	audience string
	keyName  string
	key      sealedKey
	clock    push.Clock
	secrets  *httpx.Scrubber
	// sign is signSAS; tests wrap it to count signings.
	sign func(audience, keyName string, key Key, expiry time.Time) string

	mu  sync.Mutex            // held while signing
	cur atomic.Pointer[token] // nil until the first header
}

// token is a signed header and the time to replace it. It is never modified once
// published, so readers need no lock.
type token struct {
	header  string
	refresh time.Time // expiry minus tokenRefreshMargin
}

// newTokenSource returns a tokenSource for audience, the URL the requests address
// (for a hub: https://NS.servicebus.windows.net/HUB). A nil clock means
// push.SystemClock(). It signs nothing until the first call to header.
func newTokenSource(audience, keyName string, key Key, clock push.Clock) *tokenSource {
	if clock == nil {
		clock = push.SystemClock()
	}
	return &tokenSource{audience: audience, keyName: keyName, key: seal(key), clock: clock, sign: signSAS}
}

// header returns the value of the Authorization header for a request made now.
func (t *tokenSource) header() string {
	if tok := t.cur.Load(); tok != nil && t.clock.Now().Before(tok.refresh) {
		return tok.header
	}
	return t.refresh()
}

// refresh signs a new token unless another goroutine did while this one waited.
func (t *tokenSource) refresh() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	if tok := t.cur.Load(); tok != nil && now.Before(tok.refresh) {
		return tok.header
	}
	expiry := now.Add(tokenLifetime)
	tok := &token{
		header:  t.sign(t.audience, t.keyName, t.key.open(), expiry),
		refresh: expiry.Add(-tokenRefreshMargin),
	}
	if t.secrets != nil {
		t.secrets.AddRecent(signatureOf(tok.header))
	}
	t.cur.Store(tok)
	return tok.header
}

// signatureOf returns the signature of an Authorization header, sig decoded
// from its query escaping: the base64 text a server may echo.
func signatureOf(header string) string {
	_, rest, _ := strings.Cut(header, "sig=")
	sig, _, _ := strings.Cut(rest, "&")
	if s, err := url.QueryUnescape(sig); err == nil {
		return s
	}
	return sig
}
