package webpushtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// VAPID is what the emulator read from a request's VAPID authorization
// (RFC 8292): the claims of its token and the key that signed it.
type VAPID struct {
	// Audience is the aud claim: the origin of the push service.
	Audience string
	// Expiry is the exp claim.
	Expiry time.Time
	// Subject is the sub claim: the application server's contact.
	Subject string
	// Key is the k parameter: the application server's public key, URL-safe
	// base64 of its 65-byte uncompressed point.
	Key string
}

// vapidAuth is an Authorization header of the vapid scheme, split.
type vapidAuth struct {
	token string // t
	key   string // k
}

// parseVAPIDHeader splits an Authorization header of the vapid scheme:
//
//	vapid t=JWT, k=KEY
//
// The scheme is matched without regard to case; parameters are separated by
// commas, with optional space around them and around "="; unknown ones are
// ignored; t and k are required, once each.
func parseVAPIDHeader(h string) (vapidAuth, error) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	switch {
	case h == "":
		return vapidAuth{}, errors.New("no Authorization header")
	case strings.EqualFold(scheme, "WebPush"):
		return vapidAuth{}, errors.New(`the draft-era "WebPush" scheme with Crypto-Key; RFC 8292 defines "vapid t=..., k=..."`)
	case !strings.EqualFold(scheme, "vapid"):
		return vapidAuth{}, fmt.Errorf("the Authorization scheme is %.20q, not vapid", scheme)
	}
	var a vapidAuth
	for param := range strings.SplitSeq(rest, ",") {
		param = strings.TrimSpace(param)
		if param == "" {
			continue
		}
		name, value, ok := strings.Cut(param, "=")
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if !ok || name == "" {
			return vapidAuth{}, fmt.Errorf("the vapid parameter %.20q is not name=value", param)
		}
		dst := map[string]*string{"t": &a.token, "k": &a.key}[name]
		switch {
		case dst == nil: // unknown: ignored
		case *dst != "":
			return vapidAuth{}, fmt.Errorf("the vapid parameter %s is given twice", name)
		case value == "":
			return vapidAuth{}, fmt.Errorf("the vapid parameter %s is empty", name)
		default:
			*dst = value
		}
	}
	switch {
	case a.token == "":
		return vapidAuth{}, errors.New("the vapid authorization has no t (token)")
	case a.key == "":
		return vapidAuth{}, errors.New("the vapid authorization has no k (public key)")
	}
	return a, nil
}

// b64 decodes URL-safe base64, with or without padding, as a push service
// reads a token's parts and k.
func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// jwtClaims are the claims the emulator reads. exp is kept raw, to refuse
// anything but a JSON number of whole seconds.
type jwtClaims struct {
	Aud *string         `json:"aud"`
	Exp json.RawMessage `json:"exp"`
	Sub *string         `json:"sub"`
}

// verifyVAPID checks a vapid authorization as a push service does: the
// token is a JWS whose alg is ES256, signed (R‖S) by k, for audience aud,
// expiring after now and at most 24 hours after it. It returns the claims
// it read.
func verifyVAPID(a vapidAuth, aud string, now time.Time) (VAPID, error) {
	pub, err := parseVAPIDKey(a.key)
	if err != nil {
		return VAPID{}, err
	}
	parts := strings.Split(a.token, ".")
	if len(parts) != 3 {
		return VAPID{}, fmt.Errorf("the token has %d parts; a JWS has 3", len(parts))
	}
	if err := checkJOSEHeader(parts[0]); err != nil {
		return VAPID{}, err
	}
	sig, err := b64(parts[2])
	if err != nil || len(sig) != 64 {
		return VAPID{}, errors.New("the signature is not the 64 bytes of R and S in base64url (JWS ES256; DER is refused)")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, digest[:], r, s) {
		return VAPID{}, errors.New("the ES256 signature does not verify with k")
	}
	v, err := readClaims(parts[1])
	if err != nil {
		return VAPID{}, err
	}
	v.Key = a.key
	switch {
	case v.Audience != aud:
		return v, fmt.Errorf("aud is %.80q; this push service's origin is %q", v.Audience, aud)
	case !now.Before(v.Expiry):
		return v, fmt.Errorf("the token expired at %s (now %s)", v.Expiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case v.Expiry.Sub(now) > 24*time.Hour:
		return v, fmt.Errorf("exp %s is more than 24 hours after now (%s)", v.Expiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return v, nil
}

// parseVAPIDKey reads k: a 65-byte uncompressed P-256 point.
func parseVAPIDKey(k string) (*ecdsa.PublicKey, error) {
	raw, err := b64(k)
	if err != nil {
		return nil, errors.New("k is not base64url")
	}
	if len(raw) != uaKeySize {
		return nil, fmt.Errorf("k is %d bytes; want the 65-byte uncompressed P-256 point", len(raw))
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return nil, errors.New("k is not a point on the P-256 curve")
	}
	return pub, nil
}

func checkJOSEHeader(part string) error {
	raw, err := b64(part)
	if err != nil {
		return errors.New("the token's header is not base64url")
	}
	var h struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return errors.New("the token's header is not a JSON object")
	}
	switch {
	case h.Alg != "ES256":
		return fmt.Errorf("the token's alg is %.20q; VAPID requires ES256", h.Alg)
	case h.Typ != "" && !strings.EqualFold(h.Typ, "JWT"):
		return fmt.Errorf("the token's typ is %.20q, not JWT", h.Typ)
	}
	return nil
}

func readClaims(part string) (VAPID, error) {
	raw, err := b64(part)
	if err != nil {
		return VAPID{}, errors.New("the token's claims are not base64url")
	}
	var c jwtClaims
	if err := json.Unmarshal(raw, &c); err != nil {
		return VAPID{}, errors.New("the token's claims are not a JSON object with string aud and sub")
	}
	if c.Aud == nil {
		return VAPID{}, errors.New("the token has no aud claim")
	}
	if len(c.Exp) == 0 || string(c.Exp) == "null" {
		return VAPID{}, errors.New("the token has no exp claim, which RFC 8292 requires")
	}
	exp, err := strconv.ParseInt(string(c.Exp), 10, 64)
	if err != nil || exp < 0 || exp > maxUnix {
		return VAPID{}, fmt.Errorf("exp %.30s is not a whole number of seconds since 1970", c.Exp)
	}
	v := VAPID{Audience: *c.Aud, Expiry: time.Unix(exp, 0).UTC()}
	if c.Sub != nil {
		v.Subject = *c.Sub
	}
	return v, nil
}

// maxUnix is the largest exp read: the year 9999.
const maxUnix = 253402300799
