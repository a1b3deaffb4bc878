package push

import (
	"fmt"
	"net/http"
	"strings"
)

// WNS headers.
const (
	headerWNSType        = "X-Wns-Type"
	headerWNSCachePolicy = "X-Wns-Cache-Policy"
	headerWNSTTL         = "X-Wns-Ttl"
	headerWNSTag         = "X-Wns-Tag"
)

// The X-WNS-Type values.
const (
	wnsToast = "wns/toast"
	wnsTile  = "wns/tile"
	wnsBadge = "wns/badge"
	wnsRaw   = "wns/raw"
)

// maxWNSTag is the longest X-WNS-Tag WNS accepts.
const maxWNSTag = 16

// wnsTypeOfRoot maps a root element to its X-WNS-Type.
func wnsTypeOfRoot(root string) (string, bool) {
	switch root {
	case "toast":
		return wnsToast, true
	case "tile":
		return wnsTile, true
	case "badge":
		return wnsBadge, true
	}
	return "", false
}

// detectWNSType returns the X-WNS-Type of an XML body, from its root element.
func detectWNSType(body []byte) (string, error) {
	s, err := parseXMLShape(body)
	if err != nil {
		return "", invalid(ErrInvalidNotification, fmt.Sprintf("windows body: %v; WNS takes <toast>, <tile> or <badge> XML, or raw bytes declared with X-WNS-Type: wns/raw", err))
	}
	t, ok := wnsTypeOfRoot(s.root)
	if !ok {
		return "", invalid(ErrInvalidNotification, fmt.Sprintf("windows body has root element <%s>; WNS takes <toast>, <tile> or <badge>, or raw bytes declared with X-WNS-Type: wns/raw", s.root))
	}
	return t, nil
}

func completeWindows(n *Notification) error {
	t := get(n.Header, headerWNSType)
	if t == "" {
		var err error
		if t, err = detectWNSType(n.Body); err != nil {
			return err
		}
		if n.Header == nil {
			n.Header = make(http.Header, 1)
		}
		n.Header.Set(headerWNSType, t)
	}
	n.ContentType = ContentTypeXML
	if t == wnsRaw {
		n.ContentType = ContentTypeOctetStream
	}
	return nil
}

func checkWindows(n Notification) error {
	t := get(n.Header, headerWNSType)
	switch t {
	case "":
		return invalid(ErrInvalidNotification, "windows notification needs an X-WNS-Type header; build it with push.NewNotification, which reads it from the XML root")
	case wnsRaw:
	case wnsToast, wnsTile, wnsBadge:
		got, err := detectWNSType(n.Body)
		if err != nil {
			return err
		}
		if got != t {
			return invalid(ErrInvalidNotification, fmt.Sprintf("X-WNS-Type is %s but the body's root element makes it %s", t, got))
		}
	default:
		return invalid(ErrInvalidNotification, fmt.Sprintf("X-WNS-Type %q is not one of wns/toast, wns/tile, wns/badge, wns/raw", t))
	}
	return checkWNSHeaders(n.Header)
}

func checkWNSHeaders(h http.Header) error {
	if p := get(h, headerWNSCachePolicy); p != "" && p != "cache" && p != "no-cache" {
		return invalid(ErrInvalidNotification, fmt.Sprintf("X-WNS-Cache-Policy %q must be cache or no-cache", p))
	}
	if ttl := get(h, headerWNSTTL); ttl != "" && !checkDigits(ttl) {
		return invalid(ErrInvalidNotification, fmt.Sprintf("X-WNS-TTL %q must be a number of seconds", ttl))
	}
	if tag := get(h, headerWNSTag); len(tag) > maxWNSTag {
		return invalid(ErrInvalidNotification, fmt.Sprintf("X-WNS-Tag %q is longer than WNS's %d characters", tag, maxWNSTag))
	}
	return nil
}

// MPNS headers and the namespace of its XML.
const (
	headerMPNSTarget = "X-Windowsphone-Target"
	headerMPNSClass  = "X-Notificationclass"
	mpnsNamespace    = "WPNotification"
)

// mpnsKind is an MPNS notification kind with its target and delivery classes
// (immediate first, then 450 s and 900 s batching).
type mpnsKind struct {
	name    string
	target  string
	classes [3]string
}

var (
	mpnsToast = mpnsKind{"toast", "toast", [3]string{"2", "12", "22"}}
	mpnsTile  = mpnsKind{"tile", "token", [3]string{"1", "11", "21"}}
	mpnsRaw   = mpnsKind{"raw", "", [3]string{"3", "13", "23"}}
)

// detectMPNSKind reads the element under <wp:Notification>: Toast, Tile, or
// anything else (raw).
func detectMPNSKind(body []byte) mpnsKind {
	s, err := parseXMLShape(body)
	if err != nil || s.root != "Notification" || s.rootSpace != mpnsNamespace || s.childSpace != mpnsNamespace {
		return mpnsRaw
	}
	switch s.child {
	case "Toast":
		return mpnsToast
	case "Tile":
		return mpnsTile
	}
	return mpnsRaw
}

func isRawMPNS(n Notification) bool { return detectMPNSKind(n.Body).name == mpnsRaw.name }

func completeWindowsPhone(n *Notification) error {
	k := detectMPNSKind(n.Body)
	if n.Header == nil {
		n.Header = make(http.Header, 2)
	}
	if get(n.Header, headerMPNSTarget) == "" && k.target != "" {
		n.Header.Set(headerMPNSTarget, k.target)
	}
	if get(n.Header, headerMPNSClass) == "" {
		n.Header.Set(headerMPNSClass, k.classes[0])
	}
	n.ContentType = ContentTypeXMLUTF8
	return nil
}

func checkWindowsPhone(n Notification) error {
	k := detectMPNSKind(n.Body)
	target := get(n.Header, headerMPNSTarget)
	if target != k.target {
		return invalid(ErrInvalidNotification, mpnsTargetMismatch(k, target))
	}
	class := get(n.Header, headerMPNSClass)
	for _, c := range k.classes {
		if class == c {
			return nil
		}
	}
	return invalid(ErrInvalidNotification, fmt.Sprintf("X-NotificationClass %q is not a %s class; want one of %s", class, k.name, strings.Join(k.classes[:], ", ")))
}

func mpnsTargetMismatch(k mpnsKind, target string) string {
	if k.target == "" {
		return fmt.Sprintf("X-WindowsPhone-Target %q is set on a raw notification (the body has no <wp:Toast> or <wp:Tile>); raw notifications carry no target", target)
	}
	if target == "tile" {
		return `X-WindowsPhone-Target "tile" is not an MPNS value; tile notifications use "token"`
	}
	return fmt.Sprintf("X-WindowsPhone-Target %q does not match the %s body; want %q", target, k.name, k.target)
}
