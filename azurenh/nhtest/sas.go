package nhtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// sasScheme starts the value of an Authorization header that carries a shared
// access signature.
const sasScheme = "SharedAccessSignature"

// sasToken is the fields of a shared access signature exactly as sent: sr and skn
// still URL-encoded, sig URL-encoded base64, se decimal seconds.
type sasToken struct {
	sr, sig, se, skn string
}

// parseSAS parses an Authorization header value
//
//	SharedAccessSignature sr=<sr>&sig=<sig>&se=<se>&skn=<skn>
//
// whose fields may come in any order. The scheme matches without regard to case;
// unknown fields are ignored; each of the four is required once. The error says
// what is wrong in the service's words, and never quotes a field value.
func parseSAS(header string) (sasToken, error) {
	rest, ok := cutScheme(header)
	if !ok {
		return sasToken{}, detailError("MalformedToken: The credentials contained in the authorization header are not in the WRAP format.")
	}
	var t sasToken
	seen := 0
	for field := range strings.SplitSeq(rest, "&") {
		name, value, _ := strings.Cut(field, "=")
		slot, bit := t.field(name)
		if slot == nil {
			continue
		}
		if seen&bit != 0 {
			return sasToken{}, detailError("MalformedToken: The token has the field '" + name + "' more than once.")
		}
		seen |= bit
		*slot = value
	}
	return t, t.complete()
}

// cutScheme returns what follows "SharedAccessSignature " in header.
func cutScheme(header string) (string, bool) {
	header = strings.TrimSpace(header)
	if len(header) <= len(sasScheme) || !strings.EqualFold(header[:len(sasScheme)], sasScheme) {
		return "", false
	}
	rest := header[len(sasScheme):]
	if rest[0] != ' ' {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// field returns where the named field goes and its bit, or nil for unknown names.
func (t *sasToken) field(name string) (*string, int) {
	switch name {
	case "sr":
		return &t.sr, 1
	case "sig":
		return &t.sig, 2
	case "se":
		return &t.se, 4
	case "skn":
		return &t.skn, 8
	}
	return nil, 0
}

// complete reports the first of the four fields that is missing or empty.
func (t sasToken) complete() error {
	for _, f := range [...]struct{ name, value string }{{"sr", t.sr}, {"sig", t.sig}, {"se", t.se}, {"skn", t.skn}} {
		if f.value == "" {
			return detailError("MalformedToken: The token is missing the field '" + f.name + "'.")
		}
	}
	return nil
}

// authenticate checks the request's shared access signature as the service does
// and returns the rule that signed it. The checks, in order: the header is
// present and well formed; skn names a rule; sig is the HMAC-SHA256, keyed with
// the rule's key text, of sr as sent + "\n" + se; se is in the future; the decoded
// sr is, without regard to case, the request URL on the emulator's endpoint
// (not the request's Host header, which the client chooses) or a prefix of it
// that ends at a path segment. Every failure is a 401 whose detail says which
// check failed.
func (s *Server) authenticate(r *http.Request) (Rule, *apiError) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return Rule{}, unauthorized("MissingToken: The request has no Authorization header.")
	}
	tok, err := parseSAS(header)
	if err != nil {
		return Rule{}, unauthorized(err.Error())
	}
	rule, err := s.checkSignature(tok)
	if err != nil {
		return Rule{}, unauthorized(err.Error())
	}
	if err := s.checkExpiry(tok.se); err != nil {
		return Rule{}, unauthorized(err.Error())
	}
	if err := checkAudience(tok.sr, "https://"+s.host+r.URL.Path); err != nil {
		return Rule{}, unauthorized(err.Error())
	}
	return rule, nil
}

func unauthorized(detail string) *apiError { return newError(http.StatusUnauthorized, detail) }

// errInvalidSignature is the service's answer to a signature that does not verify.
var errInvalidSignature = detailError("InvalidSignature: The token has an invalid signature.")

// checkSignature finds the rule named by skn and verifies sig with its key.
func (s *Server) checkSignature(tok sasToken) (Rule, error) {
	name, err := url.QueryUnescape(tok.skn)
	if err != nil {
		return Rule{}, detailError("MalformedToken: The field 'skn' is not URL-encoded text.")
	}
	rule, ok := s.ruleByName(name)
	if !ok {
		return Rule{}, detailError("InvalidSignature: The token has an invalid signature: the hub has no authorization rule named '" + name + "'.")
	}
	if !validSignature(rule.Key, tok) {
		return Rule{}, errInvalidSignature
	}
	return rule, nil
}

// validSignature recomputes the signature over sr exactly as sent and compares it,
// in constant time, with the decoded sig.
func validSignature(key string, tok sasToken) bool {
	sig, err := url.QueryUnescape(tok.sig)
	if err != nil {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(key))
	io.WriteString(mac, tok.sr)
	io.WriteString(mac, "\n")
	io.WriteString(mac, tok.se)
	return hmac.Equal(mac.Sum(nil), got)
}

// checkExpiry checks that se, in Unix seconds, is after now.
func (s *Server) checkExpiry(se string) error {
	secs, err := strconv.ParseInt(se, 10, 64)
	if err != nil {
		return detailError("MalformedToken: The field 'se' is not a number of seconds.")
	}
	expiry := time.Unix(secs, 0).UTC()
	if now := s.clock.Now(); !expiry.After(now) {
		return detailError("ExpiredToken: The token is expired. Expiration time: '" + expiry.Format(time.DateTime) +
			"Z', now: '" + now.UTC().Format(time.DateTime) + "Z'.")
	}
	return nil
}

// checkAudience checks that the decoded sr is target, the URL of the request on
// the emulator's own endpoint (whatever Host header the request carried), or
// one of its parent paths: https://HOST/ (the namespace) or https://HOST/HUB
// (the hub).
func checkAudience(sr, target string) error {
	audience, err := url.QueryUnescape(sr)
	if err != nil {
		return detailError("MalformedToken: The field 'sr' is not URL-encoded text.")
	}
	if !coversURL(audience, target) {
		return detailError("InvalidAudience: The authorization header contains a token with a wrong audience: '" +
			audience + "' does not cover '" + target + "'.")
	}
	return nil
}

// coversURL reports whether audience is an https URL with a host and is, without
// regard to case, u or a prefix of u that ends at a "/" boundary.
func coversURL(audience, u string) bool {
	const scheme = "https://"
	audience = strings.TrimSuffix(audience, "/")
	if len(audience) <= len(scheme) || !strings.EqualFold(audience[:len(scheme)], scheme) {
		return false
	}
	if len(audience) > len(u) || !strings.EqualFold(u[:len(audience)], audience) {
		return false
	}
	return len(u) == len(audience) || u[len(audience)] == '/'
}

// authorizationLifetime is how long a token of Authorization is valid.
const authorizationLifetime = time.Hour

// Authorization returns an Authorization header value that the named rule
// signed for the whole namespace (https://127.0.0.1:PORT/), valid for an hour
// on the Server's clock, or "" when there is no such rule: for requests made
// by hand, with net/http or curl, rather than through a client that signs
// its own (the service's token format is in the package documentation).
func (s *Server) Authorization(rule string) string {
	r, ok := s.ruleByName(rule)
	if !ok {
		return ""
	}
	sr := url.QueryEscape(strings.ToLower(s.URL() + "/"))
	se := strconv.FormatInt(s.clock.Now().Add(authorizationLifetime).Unix(), 10)
	mac := hmac.New(sha256.New, []byte(r.Key))
	io.WriteString(mac, sr+"\n"+se)
	sig := url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	return sasScheme + " sr=" + sr + "&sig=" + sig + "&se=" + se + "&skn=" + url.QueryEscape(r.Name)
}
