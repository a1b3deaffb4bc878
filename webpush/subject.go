package webpush

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// checkSubject checks the sub claim New is given: a mailto: URI of a real
// address or an https: URL (RFC 8292, section 2.1), on a host the Internet
// can route to. FCM and Mozilla take nearly anything, but Apple's push
// service answers 403 BadJwtToken to a subject at localhost, at a .local or
// .invalid domain, or with a space, so a subject that works on one browser
// and not on Safari is refused here.
func checkSubject(sub string) error {
	switch {
	case sub == "":
		return fmt.Errorf("the VAPID subject is empty; give a contact for the push services: mailto:ADDRESS or an https: URL")
	case strings.ContainsFunc(sub, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return fmt.Errorf("the VAPID subject %.80q contains a space or a control character, which Apple's push service refuses", sub)
	case strings.HasPrefix(sub, "mailto:"):
		return checkMailto(sub)
	case strings.HasPrefix(sub, "https:"):
		return checkHTTPSSubject(sub)
	case strings.Contains(sub, "@") && !strings.Contains(sub, ":"):
		return fmt.Errorf("the VAPID subject %.80q is not a URI; write mailto:%s", sub, sub)
	}
	return fmt.Errorf("the VAPID subject %.80q must start with mailto: or https: (RFC 8292, section 2.1)", sub)
}

func checkMailto(sub string) error {
	addr := strings.TrimPrefix(sub, "mailto:")
	local, domain, ok := strings.Cut(addr, "@")
	switch {
	case strings.ContainsAny(addr, "<>,;?\"()[]\\"):
		return fmt.Errorf("the VAPID subject %.80q must be mailto: and one plain address (no name, no brackets, no query)", sub)
	case !ok || local == "" || strings.Contains(domain, "@"):
		return fmt.Errorf("the VAPID subject %.80q is not mailto:USER@DOMAIN", sub)
	}
	if err := checkRoutable(domain); err != nil {
		return fmt.Errorf("the VAPID subject %.80q: %w", sub, err)
	}
	return nil
}

func checkHTTPSSubject(sub string) error {
	u, err := url.Parse(sub)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("the VAPID subject %.80q is not an https://HOST/... URL", sub)
	case u.User != nil:
		return fmt.Errorf("the VAPID subject %.80q has credentials in it", sub)
	}
	if err := checkRoutable(u.Hostname()); err != nil {
		return fmt.Errorf("the VAPID subject %.80q: %w", sub, err)
	}
	return nil
}

// nonRoutable are the top-level domains that name no host on the Internet
// (RFC 2606, RFC 6761, RFC 6762, RFC 8375 and common private use).
var nonRoutable = []string{"localhost", "local", "invalid", "test", "example", "internal", "lan", "home.arpa", "localdomain"}

// checkRoutable refuses a host that names no machine on the Internet: a name
// of one label, a reserved or private top-level domain, or a loopback,
// private, link-local or unspecified IP address.
func checkRoutable(host string) error {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if ip, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		if !ip.IsGlobalUnicast() || ip.IsPrivate() {
			return fmt.Errorf("%s is not a public address", ip)
		}
		return nil
	}
	if !validHostname(h) {
		return fmt.Errorf("%.60q is not a host name", host)
	}
	for _, tld := range nonRoutable {
		if h == tld || strings.HasSuffix(h, "."+tld) {
			return fmt.Errorf("%s is not a public domain (.%s names no host on the Internet), and Apple's push service refuses it", h, tld)
		}
	}
	if !strings.Contains(h, ".") {
		return fmt.Errorf("%s is not a public domain (a name without a dot)", h)
	}
	return nil
}

// validHostname reports whether h is dot-separated labels of letters, digits
// and hyphens, none empty, none starting or ending with a hyphen, in at most
// 253 bytes.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
