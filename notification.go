package push

import (
	"net/http"
	"strings"
)

// Content types a Notification can carry.
const (
	ContentTypeJSON        = "application/json;charset=utf-8"
	ContentTypeXML         = "application/xml"
	ContentTypeXMLUTF8     = "application/xml;charset=utf-8"
	ContentTypeOctetStream = "application/octet-stream"
)

// Size limits, in bytes of body, checked before any I/O.
const (
	MaxBodySize        = 64 << 10 // Notification Hubs refuses larger requests (413)
	MaxAppleBodySize   = 4096     // APNs; MaxVoIPBodySize for apns-push-type voip
	MaxFCMBodySize     = 4096     // FCM v1 and legacy GCM
	MaxWindowsBodySize = 5 << 10  // WNS, raw included
)

// Notification is one native payload for one platform (or a set of template
// properties when Platform is Template).
//
// Build it with NewNotification or one of the helpers (AppleNotification,
// WindowsNotification, TemplateNotification, ...), which fill ContentType and the
// headers the platform requires. A Notification built by hand is checked the same
// way when it is rendered.
//
// A Notification does not copy Body: the caller must not modify Body or Header
// after handing the Notification to a Sender. Values are safe to share between
// goroutines as long as nobody modifies them.
type Notification struct {
	// Platform is the format, sent as ServiceBusNotification-Format.
	Platform Platform
	// ContentType is the body's media type. Empty means the platform's default.
	ContentType string
	// Header holds platform headers only: apns-* for Apple, X-WNS-* for Windows,
	// X-WindowsPhone-Target and X-NotificationClass for Windows Phone. Keys are
	// canonical (http.CanonicalHeaderKey).
	Header http.Header
	// Body is the native payload, or the template properties as a JSON object.
	Body []byte
}

// NewNotification returns a Notification for platform p, with the Content-Type and
// the headers the platform requires filled in, after checking its shape and size:
//
//   - windows: X-WNS-Type comes from the XML root element (toast, tile or badge),
//     whatever its attributes, an XML declaration, leading whitespace or a byte-order
//     mark; a body declared raw (X-WNS-Type: wns/raw) is sent as
//     application/octet-stream. Anything else is an error.
//   - windowsphone: X-WindowsPhone-Target and X-NotificationClass come from the
//     element under the root: toast (class 2), tile (target token, class 1); any other
//     body is raw (class 3).
//   - JSON platforms: the body must be a JSON object; fcmv1 must be
//     {"message":{...}} whose data values are strings; template must be a flat
//     object of string properties.
//   - apple: apns-priority is 10, 5 or 1 (never 10 for a background push),
//     apns-push-type is a lower-case word (see KnownPushType), apns-expiration
//     is an absolute UNIX time (or 0), not a TTL.
//   - browser: TTL is whole seconds, Urgency is very-low, low, normal or high,
//     Topic is 1 to 32 characters of the URL-safe base64 alphabet (RFC 8030).
//   - sizes: 4096 bytes for apple (5120 for voip), fcmv1 and gcm, 5 KB for
//     windows, 64 KB for anything.
//
// header may be nil; it is copied, never modified. It may not hold the headers a
// provider sets itself (Content-Type, Authorization, ServiceBusNotification-*, ...).
// Errors match ErrInvalidNotification (and ErrPayloadTooLarge for size).
func NewNotification(p Platform, body []byte, header http.Header) (Notification, error) {
	n := Notification{Platform: p, Header: cloneHeader(header), Body: body}
	if err := n.complete(); err != nil {
		return Notification{}, err
	}
	if err := n.Validate(); err != nil {
		return Notification{}, err
	}
	return n, nil
}

// Validate checks n as NewNotification does, without filling anything in. Render
// calls it, so a Sender never sends a notification that fails it.
func (n Notification) Validate() error {
	if err := checkCommon(n); err != nil {
		return err
	}
	switch n.Platform {
	case Apple:
		return checkApple(n)
	case FCMV1:
		return checkFCMV1(n)
	case Windows:
		return checkWindows(n)
	case WindowsPhone:
		return checkWindowsPhone(n)
	case Template:
		return checkTemplate(n)
	case Browser:
		return checkBrowser(n)
	default:
		return checkJSONObject(n)
	}
}

// complete fills the derived headers and the content type of a new notification.
func (n *Notification) complete() error {
	if !n.Platform.Valid() {
		return unknownPlatform(n.Platform)
	}
	switch n.Platform {
	case Windows:
		return completeWindows(n)
	case WindowsPhone:
		return completeWindowsPhone(n)
	}
	n.ContentType = ContentTypeJSON
	return nil
}

// EffectiveContentType returns ContentType, or the platform's default when it is empty.
func (n Notification) EffectiveContentType() string {
	if n.ContentType != "" {
		return n.ContentType
	}
	switch {
	case n.Platform == Windows && get(n.Header, headerWNSType) == wnsRaw:
		return ContentTypeOctetStream
	case n.Platform == Windows:
		return ContentTypeXML
	case n.Platform == WindowsPhone:
		return ContentTypeXMLUTF8
	}
	return ContentTypeJSON
}

// Clone returns a deep copy of n: its own Header and Body.
func (n Notification) Clone() Notification {
	n.Header = n.Header.Clone()
	if n.Body != nil {
		n.Body = append([]byte(nil), n.Body...)
	}
	return n
}

// cloneHeader copies h with canonical keys; nil stays nil.
func cloneHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	c := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			c.Add(k, v)
		}
	}
	return c
}

// mediaTypeIs reports whether the media type of ct (before any parameters) is want.
func mediaTypeIs(ct, want string) bool {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.EqualFold(strings.TrimSpace(ct), want)
}
