package apns

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"math/big"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushwire/push"
)

// Apple's rules for provider tokens: a token is refused an hour after its
// iat, and replacing it more often than every 20 minutes on a connection is
// refused too (TooManyProviderTokenUpdates). A Client replaces its token 50
// minutes after signing it, inside that window with room for a clock a few
// minutes off.
const (
	tokenRefreshAfter = 50 * time.Minute
	tokenMinAge       = 20 * time.Minute
)

// tokenSource signs the provider tokens of one key, once per refresh window,
// and shares them with every goroutine and connection of a Client.
//
// Reading the current token takes no lock and allocates nothing. When it is
// due, or APNs refused it as expired, one goroutine signs the next one while
// the others wait for it: however many sends find the token stale at once, it
// is signed once.
//
// The key is held behind a pointer whose type redacts itself; nothing here
// logs or returns it.
type tokenSource struct {
	key    *Key
	keyID  string
	teamID string
	clock  push.Clock
	logger *slog.Logger
	// header is the JWS header, base64url: {"alg":"ES256","kid":"KEYID"}.
	header string
	// signed counts the tokens signed, for tests.
	signed atomic.Int64

	mu  sync.Mutex            // held while signing
	cur atomic.Pointer[token] // nil until the first send
}

// token is a signed provider token and when to replace it. It is never
// modified once published.
type token struct {
	// authorization is the header value "bearer JWT" as the one-value slice
	// a request header holds, shared by every request that uses the token.
	authorization []string
	issued        time.Time
	refresh       time.Time
}

// jwt returns the token without its "bearer " prefix.
func (t *token) jwt() string { return t.authorization[0][len("bearer "):] }

func newTokenSource(key *Key, keyID, teamID string, clock push.Clock, logger *slog.Logger) *tokenSource {
	h := `{"alg":"ES256","kid":"` + keyID + `"}`
	return &tokenSource{key: key, keyID: keyID, teamID: teamID, clock: clock, logger: logger,
		header: base64.RawURLEncoding.EncodeToString([]byte(h))}
}

// current returns the token for a request made now.
func (s *tokenSource) current() (*token, error) {
	if t := s.cur.Load(); t != nil && s.clock.Now().Before(t.refresh) {
		return t, nil
	}
	return s.renew(nil)
}

// expired returns the token to use after APNs refused rejected as expired: a
// new one, signed once however many requests were refused with rejected, or
// the one another goroutine already signed in its place.
func (s *tokenSource) expired(rejected *token) (*token, error) { return s.renew(rejected) }

// renew signs a new token unless another goroutine did while this one
// waited: it returns the current token when it is fresh and not the one APNs
// rejected (rejected is nil for a renewal that is merely due).
func (s *tokenSource) renew(rejected *token) (*token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	if t := s.cur.Load(); t != nil && t != rejected && now.Before(t.refresh) {
		return t, nil
	}
	if rejected != nil {
		s.logger.Warn("apns: APNs refused the provider token as expired; signing a new one (check the local clock if this repeats)",
			"key_id", s.keyID, "issued", rejected.issued.Truncate(time.Second))
	}
	jwt, err := s.sign(now)
	if err != nil {
		return nil, err
	}
	s.signed.Add(1)
	s.logger.LogAttrs(context.Background(), slog.LevelDebug, "apns: signed a provider token",
		slog.String("key_id", s.keyID), slog.Time("iat", now.Truncate(time.Second)), slog.Bool("early", rejected != nil))
	t := &token{authorization: []string{"bearer " + jwt}, issued: now, refresh: now.Add(tokenRefreshAfter)}
	s.cur.Store(t)
	return t, nil
}

// sign returns a provider token issued at now: the compact JWS
// header.claims.signature, ES256 over SHA-256 with the signature as R||S,
// each 32 bytes (RFC 7518 §3.4). The claims are {"iss":TEAMID,"iat":SECONDS}.
func (s *tokenSource) sign(now time.Time) (string, error) {
	claims := `{"iss":"` + s.teamID + `","iat":` + strconv.FormatInt(now.Unix(), 10) + `}`
	signingInput := s.header + "." + base64.RawURLEncoding.EncodeToString([]byte(claims))
	digest := sha256.Sum256([]byte(signingInput))
	r, sig, err := ecdsa.Sign(rand.Reader, s.key.k, digest[:])
	if err != nil {
		return "", &push.Error{Op: opSend, Kind: push.ErrUnauthorized, Detail: "cannot sign a provider token with the key"}
	}
	var rs [64]byte
	fill(rs[:32], r)
	fill(rs[32:], sig)
	return signingInput + "." + base64.RawURLEncoding.EncodeToString(rs[:]), nil
}

// fill writes n big-endian into b, left-padded with zeros.
func fill(b []byte, n *big.Int) { n.FillBytes(b) }
