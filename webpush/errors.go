package webpush

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// statusMeaning is what a push service's status means, and what to do.
type statusMeaning struct {
	kind error
	text string
}

// vapidRefused explains a 401 or 403: the push service refused the VAPID
// authorization.
const vapidRefused = "the push service refused the VAPID signature or claims: check that the subscription was made with " +
	"this key pair's public key as its applicationServerKey (a browser binds a subscription to one key; a subscription " +
	"made with another needs subscribing again), that the subject is a reachable mailto: or https: contact, and that " +
	"this machine's clock is right (the token's exp must be less than 24 hours ahead)"

// statuses maps each status push services document to a sentinel (RFC 8030,
// RFC 8292, and what FCM, Mozilla autopush and Apple answer). A status not
// here is classified by statusMeaningOf.
var statuses = map[int]statusMeaning{
	http.StatusBadRequest: {push.ErrInvalidNotification, "the push service refused the request as malformed " +
		"(TTL, Urgency, Topic, the encryption header, or a VAPID key equal to the message key); it will refuse it again"},
	http.StatusUnauthorized:          {push.ErrUnauthorized, vapidRefused},
	http.StatusForbidden:             {push.ErrUnauthorized, vapidRefused},
	http.StatusNotFound:              {push.ErrUnregistered, "the push service does not know this subscription (expired, or never valid): delete it"},
	http.StatusGone:                  {push.ErrUnregistered, "the subscription has expired or the user unsubscribed: delete it"},
	http.StatusLengthRequired:        {push.ErrInvalidNotification, "the push service wants a Content-Length header"},
	http.StatusRequestEntityTooLarge: {push.ErrPayloadTooLarge, "the push service refused the message's size: some take less than 4096 bytes (Firefox for Android 3070); send less, or less padding"},
	http.StatusTooManyRequests:       {push.ErrThrottled, "the push service is limiting the rate of this sender's messages"},
}

// statusMeaningOf returns what status means: the table's entry, 5xx as a
// transient failure, and no kind for any other status.
func statusMeaningOf(status int) statusMeaning {
	if m, ok := statuses[status]; ok {
		return m
	}
	if status >= 500 {
		return statusMeaning{push.ErrUnavailable, "the push service failed"}
	}
	return statusMeaning{nil, "the push service answered with the unexpected status " + strconv.Itoa(status) + " " + http.StatusText(status)}
}

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 4096

// statusError returns the error of an answer with a status that is not 2xx
// or 3xx: the kind from the table, the service's code and words (with any
// token it echoed redacted), and the Retry-After it asked for.
func statusError(resp *http.Response, body []byte, now time.Time, jwt string) *push.Error {
	m := statusMeaningOf(resp.StatusCode)
	code, said := parseErrorBody([]byte(scrub(string(body), jwt)))
	e := &push.Error{Op: opSend, Kind: m.kind, StatusCode: resp.StatusCode, Code: scrub(code, jwt), Detail: m.text}
	if said = scrub(said, jwt); said != "" {
		e.Detail += "; the push service said: " + said
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		e.RetryAfter, _ = httpx.RetryAfter(resp.Header.Values("Retry-After"), now)
	}
	return e
}

// errorBodyJSON is the JSON of an error answer: Mozilla autopush's
// {"code":410,"errno":106,"error":"Gone","message":"..."} and Apple's
// {"reason":"BadJwtToken"}.
type errorBodyJSON struct {
	Errno   json.Number `json:"errno"`
	Error   string      `json:"error"`
	Message string      `json:"message"`
	Reason  string      `json:"reason"`
}

// parseErrorBody returns the service's code and words from an error
// answer's body: Apple's reason or Mozilla's errno as the code and its
// message; for a body that is not such JSON (FCM's text), the text itself,
// cleaned and cut short.
func parseErrorBody(body []byte) (code, said string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", ""
	}
	var j errorBodyJSON
	if body[0] == '{' && json.Unmarshal(body, &j) == nil {
		code = j.Reason
		if code == "" {
			code = j.Errno.String()
		}
		said = j.Message
		if said == "" {
			said = j.Error
		}
		return httpx.Clip(printable(code), 64), httpx.Clip(printable(said), 256)
	}
	return "", httpx.Clip(printable(string(body)), 256)
}

// printable replaces control characters with spaces and collapses runs of
// space.
func printable(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\uFFFD' }), " ")
}

// scrub removes from a service's words the token the request carried, whole,
// its signature alone or clipped (a run of token characters that holds
// httpx.MinFragment bytes of it), and anything else shaped like a JWT, in
// case a service echoes the request back.
func scrub(s, jwt string) string {
	if jwt != "" {
		s = strings.ReplaceAll(s, jwt, redacted)
		if i := strings.LastIndexByte(jwt, '.'); i >= 0 && i+1 < len(jwt) { // the signature alone rebuilds the token
			s = strings.ReplaceAll(s, jwt[i+1:], redacted)
		}
		s = scrubFragments(s, jwt)
	}
	if !strings.Contains(s, "eyJ") {
		return s
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return !isTokenChar(r) })
	for _, f := range fields {
		if i := strings.Index(f, "eyJ"); i >= 0 && strings.Count(f[i:], ".") >= 1 {
			s = strings.ReplaceAll(s, f[i:], redacted)
		}
	}
	return s
}

// scrubFragments replaces each run of token characters in s that holds a
// part of jwt by redacted. It allocates only when it replaces one.
func scrubFragments(s, jwt string) string {
	return httpx.RedactRuns(s, func(s string, i int) bool { return s[i] < 0x80 && isTokenChar(rune(s[i])) },
		func(run string) bool { return run != redacted && httpx.HoldsFragment(run, jwt) })
}

func isTokenChar(r rune) bool {
	return 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == '.' || r == '='
}
