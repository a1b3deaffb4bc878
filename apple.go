package push

import (
	"fmt"
	"strings"
)

// APNs headers that Notification Hubs forwards.
const (
	headerAPNsPushType   = "Apns-Push-Type"
	headerAPNsPriority   = "Apns-Priority"
	headerAPNsExpiration = "Apns-Expiration"
	headerAPNsCollapseID = "Apns-Collapse-Id"
	headerAPNsID         = "Apns-Id"
)

// apnsPushTypes are the apns-push-type values APNs documents. A Notification
// may carry another lower-case name too: one Apple adds later must not need a
// new release of this module.
var apnsPushTypes = [...]string{
	"alert", "background", "voip", "complication", "fileprovider", "mdm", "location", "liveactivity", "pushtotalk", "widgets",
}

// maxCollapseID is the longest apns-collapse-id APNs accepts, in bytes.
const maxCollapseID = 64

// maxPushTypeLength is the longest apns-push-type accepted, in bytes.
const maxPushTypeLength = 32

// MaxVoIPBodySize is the largest body of an Apple notification of
// apns-push-type voip, in bytes; other Apple notifications take
// MaxAppleBodySize.
const MaxVoIPBodySize = 5120

// KnownPushType reports whether t is an apns-push-type Apple documents:
// alert, background, voip, complication, fileprovider, mdm, location,
// liveactivity, pushtotalk or widgets. A Notification may carry any other
// well-formed type (see NewNotification).
func KnownPushType(t string) bool {
	for _, known := range apnsPushTypes {
		if t == known {
			return true
		}
	}
	return false
}

func checkApple(n Notification) error {
	if err := checkJSONObject(n); err != nil {
		return err
	}
	h := n.Header
	if err := checkPushType(get(h, headerAPNsPushType)); err != nil {
		return err
	}
	if err := checkPriority(get(h, headerAPNsPriority), get(h, headerAPNsPushType)); err != nil {
		return err
	}
	if err := checkExpiration(get(h, headerAPNsExpiration)); err != nil {
		return err
	}
	if id := get(h, headerAPNsCollapseID); len(id) > maxCollapseID {
		return invalid(ErrInvalidNotification, fmt.Sprintf("apns-collapse-id is %d bytes; APNs accepts at most %d", len(id), maxCollapseID))
	}
	return checkAPNsID(get(h, headerAPNsID))
}

// checkPushType accepts a documented type, or any other run of 1 to 32
// lower-case letters: the form of every type Apple has defined.
func checkPushType(t string) error {
	if t == "" || KnownPushType(t) {
		return nil
	}
	ok := len(t) <= maxPushTypeLength
	for i := 0; ok && i < len(t); i++ {
		ok = 'a' <= t[i] && t[i] <= 'z'
	}
	if ok {
		return nil
	}
	return invalid(ErrInvalidNotification, fmt.Sprintf("apns-push-type %.40q is not a push type: Apple's are lower-case words (%s)", t, strings.Join(apnsPushTypes[:], ", ")))
}

func checkPriority(p, pushType string) error {
	switch {
	case p == "":
		return nil
	case p != "1" && p != "5" && p != "10":
		return invalid(ErrInvalidNotification, fmt.Sprintf("apns-priority %q must be 10 (immediately), 5 (conserve power) or 1 (power first, never wake the device)", p))
	case p == "10" && pushType == "background":
		return invalid(ErrInvalidNotification, "apns-priority 10 is refused by APNs for apns-push-type background; use 5")
	}
	return nil
}

// checkExpiration accepts 0 (deliver once) or an absolute UNIX time. No real
// expiration is before 2001-09-09 (10^9 s): a smaller value is a TTL by mistake.
func checkExpiration(e string) error {
	switch {
	case e == "" || e == "0":
		return nil
	case !checkDigits(e):
		return invalid(ErrInvalidNotification, fmt.Sprintf("apns-expiration %q must be a UNIX time in seconds", e))
	case len(strings.TrimLeft(e, "0")) < 10: // below 10^9
		return invalid(ErrInvalidNotification, fmt.Sprintf("apns-expiration %q looks like a time-to-live; APNs wants an absolute UNIX time in seconds (or 0: deliver once, do not store)", e))
	}
	return nil
}

// checkAPNsID accepts an empty value or a canonical UUID (8-4-4-4-12 hex digits).
func checkAPNsID(id string) error {
	if id == "" || isUUID(id) {
		return nil
	}
	return invalid(ErrInvalidNotification, fmt.Sprintf("apns-id %q is not a UUID like 123e4567-e89b-12d3-a456-4266554400a0", id))
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
