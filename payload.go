package push

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Priority is how urgently a message should reach the device. The zero value
// leaves the choice to the push service.
type Priority string

// The priorities every service understands.
const (
	// PriorityNormal lets the service batch delivery to save the device's battery.
	PriorityNormal Priority = "normal"
	// PriorityHigh asks for immediate delivery, waking the device if need be.
	PriorityHigh Priority = "high"
)

// checkPriorityValue accepts the zero Priority, normal and high.
func checkPriorityValue(field string, p Priority) error {
	switch p {
	case "", PriorityNormal, PriorityHigh:
		return nil
	}
	return payloadInvalid("%s %q must be %q or %q (or empty: the service's default)", field, string(p), PriorityNormal, PriorityHigh)
}

// payloadInvalid returns an ErrInvalidNotification error whose detail names the
// field at fault.
func payloadInvalid(format string, args ...any) error {
	return invalid(ErrInvalidNotification, fmt.Sprintf(format, args...))
}

// payloadTooLarge returns an ErrPayloadTooLarge error (which also matches
// ErrInvalidNotification).
func payloadTooLarge(format string, args ...any) error {
	return invalid(ErrPayloadTooLarge, fmt.Sprintf(format, args...))
}

// checkPayloadURL accepts "" or a URL with a scheme ("https://...",
// "myapp://orders/1", "ms-appx:///Assets/a.png").
func checkPayloadURL(field, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return payloadInvalid("%s %q is not an absolute URL (it needs a scheme such as https:)", field, s)
	}
	return nil
}

// checkPayloadTTL refuses a negative duration and one above max (when max > 0).
func checkPayloadTTL(field string, d, max time.Duration) error {
	switch {
	case d < 0:
		return payloadInvalid("%s is %v; a time-to-live cannot be negative", field, d)
	case max > 0 && d > max:
		return payloadInvalid("%s is %v; the service keeps a message at most %v", field, d, max)
	}
	return nil
}

// protoDuration writes d as a protobuf JSON Duration: whole seconds, then up to
// nine fractional digits without trailing zeros, then "s" ("3s", "3.5s",
// "0.000000001s").
func protoDuration(d time.Duration) string {
	secs, nanos := int64(d/time.Second), int64(d%time.Second)
	if nanos == 0 {
		return strconv.FormatInt(secs, 10) + "s"
	}
	frac := strings.TrimRight(fmt.Sprintf("%09d", nanos), "0")
	return strconv.FormatInt(secs, 10) + "." + frac + "s"
}

// wholeSeconds returns d in whole seconds, rounded down, as decimal text.
func wholeSeconds(d time.Duration) string {
	return strconv.FormatInt(int64(d/time.Second), 10)
}

// checkPayloadLength refuses s when it has more than max characters.
func checkPayloadLength(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return payloadInvalid("%s has %d characters; the service takes at most %d", field, n, max)
	}
	return nil
}

// checkPayloadUnit refuses a number outside [0, 1] (NaN included).
func checkPayloadUnit(field string, v float64) error {
	if math.IsNaN(v) || v < 0 || v > 1 {
		return payloadInvalid("%s is %v; it must be between 0 and 1", field, v)
	}
	return nil
}

// checkPayloadKeys refuses an empty key in a map of strings.
func checkPayloadKeys(field string, m map[string]string) error {
	if _, ok := m[""]; ok {
		return payloadInvalid("%s has an empty key", field)
	}
	return nil
}

// marshalPayloadXML encodes v (a struct with xml tags) with encoding/xml, optionally
// after an XML declaration.
func marshalPayloadXML(v any, declaration bool) ([]byte, error) {
	body, err := xml.Marshal(v)
	if err != nil {
		return nil, payloadInvalid("encoding XML: %v", err)
	}
	if declaration {
		body = append([]byte(xml.Header), body...)
	}
	return body, nil
}

// setPayloadHeader sets k to v in *h when v is not empty, creating the header on first use.
func setPayloadHeader(h *http.Header, k, v string) {
	if v == "" {
		return
	}
	if *h == nil {
		*h = make(http.Header, 4)
	}
	h.Set(k, v)
}

// mergePayloadData returns a copy of m with extra added; nil when both are empty.
func mergePayloadData(m map[string]string, extra ...string) map[string]string {
	if len(m) == 0 && len(extra) == 0 {
		return nil
	}
	c := make(map[string]string, len(m)+len(extra)/2)
	for k, v := range m {
		c[k] = v
	}
	for i := 0; i+1 < len(extra); i += 2 {
		c[extra[i]] = extra[i+1]
	}
	return c
}

// isASCIIAlnum reports whether c is an ASCII letter or digit.
func isASCIIAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// encodePayloadJSON marshals v as JSON without HTML escaping and without a
// trailing newline. Unlike marshalJSON it treats strings and byte slices as
// values to encode, never as JSON text.
func encodePayloadJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
