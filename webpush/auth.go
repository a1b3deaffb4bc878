package webpush

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushwire/push"
)

// VAPID token lifetimes (see WithVAPIDLifetime).
const (
	// DefaultVAPIDLifetime is how long a token is valid unless told
	// otherwise: 12 hours, what web-push and webpush-go use, which leaves
	// room for a clock that is off.
	DefaultVAPIDLifetime = 12 * time.Hour
	// MaxVAPIDLifetime is the longest: a push service refuses a token whose
	// exp is more than 24 hours after the request (RFC 8292, section 2).
	MaxVAPIDLifetime = 24 * time.Hour

	minVAPIDLifetime = time.Minute
)

// renewBefore is how long before its expiry a token is replaced: never
// later than 10 minutes before, so that a request in flight, a retry or a
// push service whose clock runs a little ahead never sees it expired.
func renewBefore(lifetime time.Duration) time.Duration { return min(lifetime/2, 10*time.Minute) }

// jwtHeader is base64url({"typ":"JWT","alg":"ES256"}), the same in every token.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"ES256"}`))

// tokens signs VAPID tokens and keeps one per push service origin, reused by
// every request to that origin until shortly before it expires: a send signs
// nothing unless its origin's token is due for renewal. Safe for concurrent
// use.
type tokens struct {
	key      *VAPIDKey
	subject  string
	lifetime time.Duration
	clock    push.Clock
	logger   *slog.Logger

	// byHost maps a URL host, as the endpoints write it, to its token. The
	// map is never modified once stored: a new token stores a new map, so
	// that reading needs no lock.
	byHost atomic.Pointer[map[string]*token]
	signMu sync.Mutex // one signer at a time, so that a token due is signed once
	signed atomic.Int64
}

// token is a signed VAPID token and the Authorization header that carries it.
type token struct {
	header   []string // {"vapid t=JWT, k=PUBLIC"}, shared read-only by requests
	jwt      string
	signedAt time.Time
	renewAt  time.Time
}

func (t *token) fresh(now time.Time) bool { return !now.Before(t.signedAt) && now.Before(t.renewAt) }

// authorization returns the token of a request made now to the push service
// at host (as the endpoint's URL writes it); its header is the Authorization
// value as a one-value slice shared read-only by every request. Reusing a
// token costs a map lookup and allocates nothing.
func (ts *tokens) authorization(host string) (*token, error) {
	now := ts.clock.Now()
	if t := ts.cached(host); t != nil && t.fresh(now) {
		return t, nil
	}
	ts.signMu.Lock()
	defer ts.signMu.Unlock()
	if t := ts.cached(host); t != nil && t.fresh(now) { // signed while this caller waited
		return t, nil
	}
	t, err := ts.sign(origin(host), now)
	if err != nil {
		return nil, err
	}
	ts.store(host, t, now)
	return t, nil
}

func (ts *tokens) cached(host string) *token {
	if m := ts.byHost.Load(); m != nil {
		return (*m)[host]
	}
	return nil
}

// store replaces the token of host, and drops the tokens of origins no longer
// sent to, so that the cache holds only the origins of recent sends. Called
// with signMu held.
func (ts *tokens) store(host string, t *token, now time.Time) {
	next := map[string]*token{host: t}
	if m := ts.byHost.Load(); m != nil {
		for h, old := range *m {
			if h != host && old.fresh(now) {
				next[h] = old
			}
		}
	}
	ts.byHost.Store(&next)
}

// claims are a VAPID token's claims, in the order of RFC 8292's example.
type claims struct {
	Aud string `json:"aud"`
	Exp int64  `json:"exp"`
	Sub string `json:"sub"`
}

// sign returns a new token for the push service at origin aud, valid from now
// for the lifetime.
func (ts *tokens) sign(aud string, now time.Time) (*token, error) {
	exp := now.Add(ts.lifetime)
	body, err := json.Marshal(claims{Aud: aud, Exp: exp.Unix(), Sub: ts.subject})
	if err != nil {
		return nil, &push.Error{Op: opSend, Detail: "cannot encode the VAPID claims", Err: err}
	}
	input := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(body)
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, ts.key.private, digest[:])
	if err != nil {
		return nil, &push.Error{Op: opSend, Detail: "cannot sign the VAPID token"}
	}
	var sig [64]byte // JWS ES256: R and S, 32 bytes each, not DER
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	jwt := input + "." + base64.RawURLEncoding.EncodeToString(sig[:])
	ts.signed.Add(1)
	ts.logger.Debug("webpush: signed a VAPID token", "aud", aud, "exp", exp.UTC())
	return &token{
		header:   []string{"vapid t=" + jwt + ", k=" + ts.key.public},
		jwt:      jwt,
		signedAt: now,
		renewAt:  exp.Add(-renewBefore(ts.lifetime)),
	}, nil
}

// origin returns the origin of an https URL whose host (and port) is host,
// as the aud claim writes it (RFC 6454): https://HOST, lower case, without
// the default port.
func origin(host string) string {
	h := strings.ToLower(host)
	h = strings.TrimSuffix(h, ":443")
	return "https://" + h
}
