package webpushtest

import (
	"bytes"
	"crypto/ecdh"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// refusal is how the emulator refuses a push request: a status and why.
type refusal struct {
	status int
	reason string
	apple  bool // answer with Apple's {"reason":"BadJwtToken"}
}

func refuse(status int, format string, args ...any) *refusal {
	return &refusal{status: status, reason: fmt.Sprintf(format, args...)}
}

// checkSubscriptionState answers for an endpoint the emulator does not
// serve: 404 when unknown or removed, 410 when expired.
func checkSubscriptionState(sub *subscription, st subState) *refusal {
	switch {
	case sub == nil:
		return refuse(http.StatusNotFound, "no subscription has this endpoint")
	case st == removed:
		return refuse(http.StatusNotFound, "the push service no longer knows this subscription")
	case st == expired:
		return refuse(http.StatusGone, "push subscription has unsubscribed or expired")
	}
	return nil
}

// checkTTL reads the TTL header (RFC 8030, section 5.2): required, one
// value of 1*DIGIT seconds. It returns the TTL applied, at most max.
func checkTTL(h http.Header, max int64) (int64, *refusal) {
	vs := h.Values("Ttl")
	switch {
	case len(vs) == 0:
		return -1, refuse(http.StatusBadRequest, "the TTL header is missing; RFC 8030 requires it")
	case len(vs) > 1:
		return -1, refuse(http.StatusBadRequest, "the TTL header is given %d times", len(vs))
	}
	v := vs[0]
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return -1, refuse(http.StatusBadRequest, "the TTL header %.20q is not whole seconds (1*DIGIT)", v)
	}
	ttl, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1, refuse(http.StatusBadRequest, "the TTL header %.20q overflows", v)
	}
	return min(ttl, max), nil
}

// checkUrgency checks the Urgency header (RFC 8030, section 5.3).
func checkUrgency(h http.Header) *refusal {
	vs := h.Values("Urgency")
	switch {
	case len(vs) == 0:
		return nil
	case len(vs) > 1 || strings.Contains(vs[0], ","):
		return refuse(http.StatusBadRequest, "the Urgency header has more than one value")
	}
	switch vs[0] {
	case "very-low", "low", "normal", "high":
		return nil
	}
	return refuse(http.StatusBadRequest, "the Urgency %.20q is not very-low, low, normal or high", vs[0])
}

// checkTopic checks the Topic header (RFC 8030, section 5.4): at most 32
// characters of the URL-safe base64 alphabet.
func checkTopic(h http.Header) *refusal {
	vs := h.Values("Topic")
	switch {
	case len(vs) == 0:
		return nil
	case len(vs) > 1:
		return refuse(http.StatusBadRequest, "the Topic header is given %d times", len(vs))
	}
	t := vs[0]
	ok := t != "" && len(t) <= 32
	for i := 0; ok && i < len(t); i++ {
		c := t[i]
		ok = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
	}
	if !ok {
		return refuse(http.StatusBadRequest, "the Topic %.40q is not 1 to 32 characters of A-Z a-z 0-9 - _", t)
	}
	return nil
}

// checkBody checks a non-empty body as a push service can (RFC 8291,
// section 4): the one content coding, the header of an aes128gcm body whose
// keyid is the sender's public key, and one record. It returns the keyid.
func checkBody(h http.Header, body []byte) ([]byte, *refusal) {
	if ce := h.Values("Content-Encoding"); len(ce) != 1 || ce[0] != "aes128gcm" {
		if len(ce) == 1 && ce[0] == "aesgcm" {
			return nil, refuse(http.StatusBadRequest, "the draft-era aesgcm content coding; RFC 8291 messages are aes128gcm")
		}
		return nil, refuse(http.StatusBadRequest, "Content-Encoding is %.40q; an encrypted push message is aes128gcm, alone", strings.Join(ce, ", "))
	}
	hdr, err := parseECHeader(body)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "the aes128gcm header: %v", err)
	}
	switch {
	case len(hdr.keyid) != webPushIDLen:
		return nil, refuse(http.StatusBadRequest, "idlen is %d; a Web Push message's keyid is the sender's %d-byte public key", len(hdr.keyid), webPushIDLen)
	case len(body)-hdr.size <= gcmTagSize:
		return nil, refuse(http.StatusBadRequest, "the record is %d bytes, too short to hold the delimiter and the 16-byte tag", len(body)-hdr.size)
	case len(body)-hdr.size > int(hdr.rs):
		return nil, refuse(http.StatusBadRequest, "the body holds more than one record (%d bytes of records, rs %d); a Web Push message is one record", len(body)-hdr.size, hdr.rs)
	}
	if _, err := ecdh.P256().NewPublicKey(hdr.keyid); err != nil {
		return nil, refuse(http.StatusBadRequest, "the keyid is not an uncompressed P-256 point on the curve")
	}
	return hdr.keyid, nil
}

// checkVAPID checks the Authorization header as the push service does for
// the subscription sub: 401 when a restricted subscription gets none, 403
// when the token or key is bad or k is not the subscription's key. It
// returns what the header said once it parsed.
func (s *Server) checkVAPID(r *http.Request, sub *subscription) (VAPID, *refusal) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if sub.serverKey != "" || s.cfg.requireVAPID {
			return VAPID{}, refuse(http.StatusUnauthorized, "no VAPID authorization, which this subscription requires")
		}
		return VAPID{}, nil
	}
	a, err := parseVAPIDHeader(h)
	if err != nil {
		return VAPID{}, refuse(http.StatusUnauthorized, "the Authorization header: %v", err)
	}
	v, err := verifyVAPID(a, s.origin, s.cfg.clock.Now())
	if err != nil {
		return v, refuse(http.StatusForbidden, "the VAPID token: %v", err)
	}
	if sub.serverKey != "" && !sameKey(a.key, sub.serverKey) {
		return v, refuse(http.StatusForbidden, "k is not the applicationServerKey this subscription was made with")
	}
	if s.cfg.appleSubjects {
		if err := appleSubject(v.Subject); err != "" {
			ref := refuse(http.StatusForbidden, "the sub claim %.60q: %s", v.Subject, err)
			ref.apple = true
			return v, ref
		}
	}
	return v, nil
}

// sameKey compares two base64url keys by their bytes.
func sameKey(a, b string) bool {
	x, errX := b64(a)
	y, errY := b64(b)
	return errX == nil && errY == nil && bytes.Equal(x, y)
}

// appleSubject returns why Apple's push service would refuse a sub claim,
// or "" when it takes it.
func appleSubject(sub string) string {
	var host string
	switch {
	case sub == "":
		return "Apple requires a subject"
	case strings.ContainsAny(sub, " \t"):
		return "it contains a space"
	case strings.HasPrefix(sub, "mailto:"):
		_, domain, ok := strings.Cut(strings.TrimPrefix(sub, "mailto:"), "@")
		if !ok || domain == "" {
			return "it is not mailto:USER@DOMAIN"
		}
		host = domain
	case strings.HasPrefix(sub, "https://"):
		u, err := url.Parse(sub)
		if err != nil || u.Hostname() == "" {
			return "it is not an https URL"
		}
		host = u.Hostname()
	default:
		return "it is neither mailto: nor https:"
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if ip, err := netip.ParseAddr(host); err == nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified()) {
		return "its host is not a public address"
	}
	for _, bad := range []string{"localhost", ".localhost", ".local", ".invalid", ".test"} {
		if host == strings.TrimPrefix(bad, ".") || strings.HasSuffix(host, bad) {
			return "its host " + host + " is not a public domain"
		}
	}
	return ""
}

// decodeAnyBase64 decodes base64 in either alphabet, padded or not.
func decodeAnyBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "+/") {
		return base64.RawStdEncoding.DecodeString(s)
	}
	return base64.RawURLEncoding.DecodeString(s)
}
