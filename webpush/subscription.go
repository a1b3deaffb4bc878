package webpush

import (
	"bytes"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/pushwire/push"
)

// opParse is the Op of ParseSubscription's errors.
const opParse = "webpush: parse subscription"

// Sizes of a subscription's keys (RFC 8291, section 3.2).
const (
	p256dhLen = 65 // an uncompressed P-256 point: 0x04, X, Y
	authLen   = 16 // the authentication secret
)

// subscriptionJSON is what PushSubscription.toJSON() gives, which is what an
// app's page posts to its server after PushManager.subscribe().
type subscriptionJSON struct {
	Endpoint       string          `json:"endpoint"`
	ExpirationTime json.RawMessage `json:"expirationTime"`
	Keys           struct {
		P256DH string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
}

// ParseSubscription reads the JSON a browser's PushManager.subscribe() gives
// (JSON.stringify of the PushSubscription), as an app's page posts it to its
// server:
//
//	{"endpoint":"https://fcm.googleapis.com/fcm/send/...","expirationTime":null,
//	 "keys":{"p256dh":"BNcRd...","auth":"tBHI..."}}
//
// The endpoint must be an https URL; keys.p256dh must decode to a 65-byte
// P-256 public key on the curve and keys.auth to a 16-byte secret, in any of
// the base64 forms browsers and libraries write (URL-safe or standard, with
// or without padding). The keys are returned re-encoded as URL-safe base64
// without padding, the form browsers use. expirationTime, when present, must
// be null or a number; it is not kept. Unknown fields are ignored.
//
// Use it where subscriptions arrive, so that a bad one is refused there rather
// than at the first send. The error is a *push.Error matching
// push.ErrInvalidTarget that names the field and says what is wrong with it.
func ParseSubscription(data []byte) (push.BrowserSubscription, error) {
	var s subscriptionJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return push.BrowserSubscription{}, parseError("the subscription is not the JSON object PushSubscription.toJSON() gives: " + jsonProblem(err))
	}
	if dec.More() {
		return push.BrowserSubscription{}, parseError("the subscription has data after its JSON object")
	}
	if err := checkExpirationTime(s.ExpirationTime); err != nil {
		return push.BrowserSubscription{}, err
	}
	if _, err := parseEndpoint(s.Endpoint); err != nil {
		return push.BrowserSubscription{}, parseError(err.Error())
	}
	k, err := parseKeys(s.Keys.P256DH, s.Keys.Auth)
	if err != nil {
		return push.BrowserSubscription{}, parseError(err.Error())
	}
	return push.BrowserSubscription{
		Endpoint: s.Endpoint,
		P256DH:   base64.RawURLEncoding.EncodeToString(k.uaPublic),
		Auth:     base64.RawURLEncoding.EncodeToString(k.auth),
	}, nil
}

func parseError(detail string) error {
	return &push.Error{Op: opParse, Kind: push.ErrInvalidTarget, Detail: detail}
}

// jsonProblem says what encoding/json disliked, without quoting the input.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("invalid JSON at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("%s is a JSON %s, not a %s", fieldName(e.Field), e.Value, e.Type)
	}
	return "it does not decode"
}

func fieldName(f string) string {
	if f == "" {
		return "the value"
	}
	return f
}

func checkExpirationTime(raw json.RawMessage) error {
	v := strings.TrimSpace(string(raw))
	if v == "" || v == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return parseError("expirationTime must be null or a number of milliseconds")
	}
	return nil
}

// keys are a subscription's keys, decoded and checked.
type keys struct {
	ua       *ecdh.PublicKey // the browser's public key
	uaPublic []byte          // its 65-byte encoding
	auth     []byte          // the 16-byte authentication secret
}

// parseKeys decodes and checks a subscription's p256dh and auth keys. Its
// errors name the key and never quote it.
func parseKeys(p256dh, auth string) (keys, error) {
	pub, err := decodeKey(p256dh)
	switch {
	case p256dh == "":
		return keys{}, fmt.Errorf("keys.p256dh is missing")
	case err != nil:
		return keys{}, fmt.Errorf("keys.p256dh is not base64 (URL-safe or standard)")
	case len(pub) != p256dhLen:
		return keys{}, fmt.Errorf("keys.p256dh is %d bytes; a P-256 public key is %d (an uncompressed point)", len(pub), p256dhLen)
	}
	ua, err := ecdh.P256().NewPublicKey(pub)
	if err != nil {
		return keys{}, fmt.Errorf("keys.p256dh is not a point on the P-256 curve")
	}
	secret, err := decodeKey(auth)
	switch {
	case auth == "":
		return keys{}, fmt.Errorf("keys.auth is missing")
	case err != nil:
		return keys{}, fmt.Errorf("keys.auth is not base64 (URL-safe or standard)")
	case len(secret) != authLen:
		return keys{}, fmt.Errorf("keys.auth is %d bytes; the authentication secret is %d", len(secret), authLen)
	}
	return keys{ua: ua, uaPublic: pub, auth: secret}, nil
}

// decodeKey decodes base64 in the forms keys are found in: URL-safe or
// standard alphabet, with or without padding.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "+/") {
		return base64.RawStdEncoding.DecodeString(s)
	}
	return base64.RawURLEncoding.DecodeString(s)
}

// parseEndpoint checks that a subscription's endpoint is an absolute https
// URL a push message can be posted to. Its errors quote at most the start of
// the endpoint.
func parseEndpoint(endpoint string) (*url.URL, error) {
	switch {
	case endpoint == "":
		return nil, fmt.Errorf("the endpoint is missing")
	case len(endpoint) > push.MaxHandleLength:
		return nil, fmt.Errorf("the endpoint is %d bytes; at most %d", len(endpoint), push.MaxHandleLength)
	}
	u, err := url.Parse(endpoint)
	if err != nil || strings.ContainsFunc(endpoint, unicode.IsSpace) {
		return nil, fmt.Errorf("the endpoint %.60q is not a URL", endpoint)
	}
	if err := checkEndpointURL(u); err != nil {
		return nil, fmt.Errorf("the endpoint %.60q %w", endpoint, err)
	}
	return u, nil
}

// checkEndpointURL checks that a parsed endpoint is an absolute https URL of
// a push service; its error completes "the endpoint X ...".
func checkEndpointURL(u *url.URL) error {
	switch {
	case u.Scheme != "https":
		return errors.New("is not an https URL; push services are reached over https only (RFC 8030, section 3)")
	case u.Host == "" || u.User != nil || u.Fragment != "":
		return errors.New("is not a push service URL (https://HOST/PATH)")
	}
	return nil
}
