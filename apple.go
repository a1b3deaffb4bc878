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

// apnsPushTypes are the apns-push-type values APNs knows.
var apnsPushTypes = [...]string{
	"alert", "background", "voip", "complication", "fileprovider", "mdm", "location", "liveactivity", "pushtotalk",
}

// maxCollapseID is the longest apns-collapse-id APNs accepts, in bytes.
const maxCollapseID = 64

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

func checkPushType(t string) error {
	if t == "" {
		return nil
	}
	for _, known := range apnsPushTypes {
		if t == known {
			return nil
		}
	}
	return invalid(ErrInvalidNotification, fmt.Sprintf("apns-push-type %q is not one of %s", t, strings.Join(apnsPushTypes[:], ", ")))
}

func checkPriority(p, pushType string) error {
	switch {
	case p == "":
		return nil
	case p != "5" && p != "10":
		return invalid(ErrInvalidNotification, fmt.Sprintf("apns-priority %q must be 5 (conserve power) or 10 (immediately)", p))
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
