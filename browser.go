package push

import (
	"fmt"
	"strconv"
)

// The Web Push headers (RFC 8030) a Browser notification may carry. A push
// service takes them from the application server; Notification Hubs forwards
// them, and a direct Web Push provider sends them as they are.
const (
	headerWebPushTTL     = "Ttl"
	headerWebPushUrgency = "Urgency"
	headerWebPushTopic   = "Topic"
)

// MaxWebPushTopic is the longest Topic header of a Browser notification, in
// characters of the URL-safe base64 alphabet (RFC 8030, section 5.4).
const MaxWebPushTopic = 32

// maxWebPushTTL is the largest TTL accepted, in seconds: 28 days, the most any
// push service keeps a message. A larger value is almost surely milliseconds.
const maxWebPushTTL = 28 * 24 * 3600

func checkBrowser(n Notification) error {
	if err := checkJSONObject(n); err != nil {
		return err
	}
	h := n.Header
	if err := checkSingle(h, headerWebPushTTL, headerWebPushUrgency, headerWebPushTopic); err != nil {
		return err
	}
	if ttl, ok := h[headerWebPushTTL]; ok {
		if err := checkTTL(ttl[0]); err != nil {
			return err
		}
	}
	if u, ok := h[headerWebPushUrgency]; ok {
		switch u[0] {
		case "very-low", "low", "normal", "high":
		default:
			return invalid(ErrInvalidNotification, fmt.Sprintf("Urgency %.40q must be very-low, low, normal or high", u[0]))
		}
	}
	if t, ok := h[headerWebPushTopic]; ok && !isWebPushTopic(t[0]) {
		return invalid(ErrInvalidNotification, fmt.Sprintf("Topic %.40q must be 1 to %d characters of A-Z a-z 0-9 - _", t[0], MaxWebPushTopic))
	}
	return nil
}

// checkSingle refuses a header of keys with several values: a push service
// answers 400.
func checkSingle(h map[string][]string, keys ...string) error {
	for _, k := range keys {
		if len(h[k]) > 1 {
			return invalid(ErrInvalidNotification, fmt.Sprintf("header %s has %d values; it takes one", k, len(h[k])))
		}
	}
	return nil
}

func checkTTL(v string) error {
	if !checkDigits(v) {
		return invalid(ErrInvalidNotification, fmt.Sprintf("TTL %.40q must be whole seconds, 0 or more", v))
	}
	if s, err := strconv.ParseUint(v, 10, 64); err != nil || s > maxWebPushTTL {
		return invalid(ErrInvalidNotification, fmt.Sprintf("TTL %.40q is more than 28 days (%d s); it is in seconds", v, maxWebPushTTL))
	}
	return nil
}

// isWebPushTopic reports whether t is 1 to 32 characters of the URL- and
// filename-safe base64 alphabet.
func isWebPushTopic(t string) bool {
	if t == "" || len(t) > MaxWebPushTopic {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
