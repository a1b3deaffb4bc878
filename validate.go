package push

import (
	"fmt"
	"net/http"
	"strings"
)

// checkCommon checks what every platform shares: a known platform, a body, the
// size limits, the content type and the headers a provider owns.
func checkCommon(n Notification) error {
	if !n.Platform.Valid() {
		return unknownPlatform(n.Platform)
	}
	if len(n.Body) == 0 {
		return invalid(ErrInvalidNotification, string(n.Platform)+" notification has an empty body")
	}
	if err := checkSize(n); err != nil {
		return err
	}
	if err := checkContentType(n); err != nil {
		return err
	}
	return checkHeaderNames(n)
}

func unknownPlatform(p Platform) error {
	if p == "" {
		return invalid(ErrInvalidNotification, "the notification has no platform (the zero push.Notification?); build it with push.NewNotification, a helper such as push.AppleNotification, or a builder such as push.Alert")
	}
	names := make([]string, 0, 10)
	for _, q := range Platforms() {
		names = append(names, string(q))
	}
	return invalid(ErrInvalidNotification, fmt.Sprintf("unknown platform %q; want one of %s", string(p), strings.Join(names, ", ")))
}

// sizeLimit returns the largest body n's platform accepts, and what imposes it.
func sizeLimit(n Notification) (int, string) {
	switch n.Platform {
	case Apple:
		if get(n.Header, headerAPNsPushType) == "voip" {
			return MaxVoIPBodySize, "APNs for voip"
		}
		return MaxAppleBodySize, "APNs"
	case FCMV1, GCM:
		return MaxFCMBodySize, "FCM"
	case Windows:
		return MaxWindowsBodySize, "WNS"
	}
	return MaxBodySize, "Notification Hubs"
}

func checkSize(n Notification) error {
	limit, who := sizeLimit(n)
	if len(n.Body) <= limit {
		return nil
	}
	return invalid(ErrPayloadTooLarge, fmt.Sprintf("%s body is %d bytes; %s accepts at most %d", n.Platform, len(n.Body), who, limit))
}

// checkContentType accepts an empty content type (the platform default) or one
// whose media type matches the platform's.
func checkContentType(n Notification) error {
	ct := n.ContentType
	if ct == "" || ct == ContentTypeJSON && n.Platform.isJSON() {
		return nil
	}
	if strings.ContainsAny(ct, "\r\n") {
		return invalid(ErrInvalidNotification, "content type contains a line break")
	}
	want := n.defaultContentType()
	if mediaTypeIs(ct, mediaOf(want)) || (n.Platform == WindowsPhone && isRawMPNS(n)) {
		return nil
	}
	return invalid(ErrInvalidNotification, fmt.Sprintf("%s notification has content type %q; want %q", n.Platform, ct, want))
}

// defaultContentType returns the platform's default content type for n, ignoring
// n.ContentType.
func (n Notification) defaultContentType() string {
	n.ContentType = ""
	return n.EffectiveContentType()
}

func mediaOf(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		return ct[:i]
	}
	return ct
}

// checkHeaderNames refuses the headers a provider sets itself, headers of another
// platform, and values that would break the HTTP request.
func checkHeaderNames(n Notification) error {
	for k, vs := range n.Header {
		if err := checkHeaderName(n.Platform, k); err != nil {
			return err
		}
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n\x00") {
				return invalid(ErrInvalidNotification, fmt.Sprintf("header %s has a value with a line break or NUL", k))
			}
		}
	}
	return nil
}

func checkHeaderName(p Platform, k string) error {
	ck := http.CanonicalHeaderKey(k)
	switch {
	case ck != k:
		return invalid(ErrInvalidNotification, fmt.Sprintf("header key %q is not canonical (%q); set headers with http.Header.Set, or build the notification with NewNotification", k, ck))
	case isProviderHeader(ck):
		return invalid(ErrInvalidNotification, fmt.Sprintf("header %s is set by the provider, not by a notification", k))
	case ck == headerP256DH || ck == headerAuth:
		return invalid(ErrInvalidNotification, fmt.Sprintf("header %s belongs to a browser subscription; use push.BrowserDevice", k))
	}
	if owner := headerOwner(ck); owner != "" && owner != p {
		return invalid(ErrInvalidNotification, fmt.Sprintf("header %s belongs to %s notifications, not %s", k, owner, p))
	}
	return nil
}

func isProviderHeader(ck string) bool {
	switch ck {
	case "Content-Type", "Content-Length", "Authorization", "Host", "Trackingid", "User-Agent":
		return true
	}
	return strings.HasPrefix(ck, "Servicebusnotification-") || strings.HasPrefix(ck, "X-Ms-")
}

// headerOwner returns the platform a header belongs to, or "" for headers no
// platform claims.
func headerOwner(ck string) Platform {
	switch {
	case strings.HasPrefix(ck, "Apns-"):
		return Apple
	case strings.HasPrefix(ck, "X-Wns-"):
		return Windows
	case ck == headerMPNSTarget || ck == headerMPNSClass:
		return WindowsPhone
	case ck == headerWebPushTTL || ck == headerWebPushUrgency || ck == headerWebPushTopic:
		return Browser
	}
	return ""
}

// get returns the first value of the canonical key k. Notification headers have
// canonical keys (checkHeaderName enforces it), so no canonicalisation is needed.
func get(h http.Header, k string) string {
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// checkDigits reports whether s is a non-empty run of ASCII digits.
func checkDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
