package fcm

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// The error codes FCM puts in the FcmError detail of an error answer
// (google.firebase.fcm.v1.FcmError.errorCode), and the google.rpc statuses
// it falls back to. Error.Code holds one of them.
const (
	CodeUnspecified         = "UNSPECIFIED_ERROR"
	CodeInvalidArgument     = "INVALID_ARGUMENT"
	CodeUnregistered        = "UNREGISTERED"
	CodeSenderIDMismatch    = "SENDER_ID_MISMATCH"
	CodeQuotaExceeded       = "QUOTA_EXCEEDED"
	CodeUnavailable         = "UNAVAILABLE"
	CodeInternal            = "INTERNAL"
	CodeThirdPartyAuthError = "THIRD_PARTY_AUTH_ERROR"
	CodeAPNsAuthError       = "APNS_AUTH_ERROR" // the legacy name of THIRD_PARTY_AUTH_ERROR
	CodeUnauthenticated     = "UNAUTHENTICATED"
	CodePermissionDenied    = "PERMISSION_DENIED"
	CodeNotFound            = "NOT_FOUND"
	CodeResourceExhausted   = "RESOURCE_EXHAUSTED"
)

// The @type of the error details this package reads.
const (
	typeFcmError   = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
	typeBadRequest = "type.googleapis.com/google.rpc.BadRequest"
)

const (
	maxErrorBody      = 64 << 10 // the most of an error answer read
	maxServiceMessage = 300      // the most of the service's message kept in a Detail
	minRedactedRun    = 40       // the shortest token-like run redact removes
)

// codeRule is how one FCM code is classified: the sentinel, and what the
// caller should do about it.
type codeRule struct {
	kind   error
	detail string
}

// codes maps each FCM error code to its sentinel: the one table of this
// package's error classification. INVALID_ARGUMENT is refined by
// classifyInvalid; UNAUTHENTICATED without an FcmError detail is an access
// token the Client refreshes once (see Client.Send).
var codes = map[string]codeRule{
	CodeUnregistered: {push.ErrUnregistered,
		"the registration token is no longer valid (the app was uninstalled, or the token expired or went unused for 270 days): delete it"},
	CodeSenderIDMismatch: {push.ErrForbidden,
		"the registration token belongs to another Firebase project than the one sending: send with that project's credentials, or drop the token"},
	CodeQuotaExceeded: {push.ErrThrottled,
		"FCM's sending quota is exceeded (for the project, the device or the topic): slow down"},
	CodeResourceExhausted: {push.ErrThrottled,
		"FCM's sending quota is exceeded: slow down"},
	CodeUnavailable: {push.ErrUnavailable,
		"FCM is overloaded"},
	CodeInternal: {push.ErrUnavailable,
		"FCM failed with an internal error"},
	// Forbidden, not unauthorized: FCM's own credentials are fine and tokens
	// of other platforms in the same send go through, so it must not stop
	// a device list as a refused key does.
	CodeThirdPartyAuthError: {push.ErrForbidden,
		"FCM could not authenticate to APNs or the Web Push service for this token: check the APNs key or certificate, or the web push key pair, in the Firebase console's Cloud Messaging settings"},
	CodeAPNsAuthError: {push.ErrForbidden,
		"FCM could not authenticate to APNs for this token: check the APNs key or certificate in the Firebase console's Cloud Messaging settings"},
	CodeUnauthenticated: {push.ErrUnauthorized,
		"FCM refused the access token, a freshly fetched one too: check the service account's credentials and that it belongs to the project"},
	CodePermissionDenied: {push.ErrForbidden,
		"FCM refused the send: enable the Firebase Cloud Messaging API in the project, and give the service account the permission cloudmessaging.messages.create (role Firebase Cloud Messaging API Admin)"},
	CodeNotFound: {push.ErrNotFound,
		"FCM does not know the project, or the endpoint is wrong"},
}

// errorBody is Google's error answer:
//
//	{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND",
//	  "details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}
type errorBody struct {
	Error struct {
		Code    int           `json:"code"`
		Message string        `json:"message"`
		Status  string        `json:"status"`
		Details []errorDetail `json:"details"`
	} `json:"error"`
}

// errorDetail is one of an error's details; only FcmError and BadRequest are
// read.
type errorDetail struct {
	Type            string `json:"@type"`
	ErrorCode       string `json:"errorCode"`
	FieldViolations []struct {
		Field       string `json:"field"`
		Description string `json:"description"`
	} `json:"fieldViolations"`
}

// serviceError is what an error answer says: the FCM code (from the FcmError
// detail, else the status), whether it came from an FcmError, the message,
// and the fields a BadRequest detail names.
type serviceError struct {
	code     string
	fcmError bool
	message  string
	fields   []string
}

// parseError reads an error answer's body. It is lenient: a body that is not
// Google's error JSON (a proxy's HTML page) gives no code and its text,
// cleaned and clipped, as the message. A code that is not a code word (see
// isCodeWord) is dropped.
func parseError(body []byte) serviceError {
	var b errorBody
	if err := json.Unmarshal(body, &b); err != nil || (b.Error.Status == "" && b.Error.Message == "" && len(b.Error.Details) == 0) {
		return serviceError{message: cleanText(string(body))}
	}
	se := serviceError{message: cleanText(b.Error.Message)}
	if isCodeWord(b.Error.Status) {
		se.code = b.Error.Status
	}
	for _, d := range b.Error.Details {
		switch d.Type {
		case typeFcmError:
			if isCodeWord(d.ErrorCode) {
				se.code, se.fcmError = d.ErrorCode, true
			}
		case typeBadRequest:
			for _, v := range d.FieldViolations {
				se.fields = append(se.fields, v.Field)
			}
		}
	}
	return se
}

// isCodeWord reports whether s has the form of every code Google sends, 1
// to 64 upper-case ASCII letters, digits and underscores from a letter
// (UNREGISTERED, QUOTA_EXCEEDED). Anything else is dropped: the code shows
// in the error, unredacted, and a hostile server could put an echo of the
// access token in it.
func isCodeWord(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// statusCodes is the code of an HTTP status when the body names none, as
// Google's libraries read it.
var statusCodes = map[int]string{
	http.StatusBadRequest:          CodeInvalidArgument,
	http.StatusUnauthorized:        CodeUnauthenticated,
	http.StatusForbidden:           CodePermissionDenied,
	http.StatusNotFound:            CodeNotFound,
	http.StatusTooManyRequests:     CodeResourceExhausted,
	http.StatusInternalServerError: CodeInternal,
	http.StatusServiceUnavailable:  CodeUnavailable,
}

// statusError turns an error answer into a *push.Error: the kind from the
// code (see codes), the code itself, the service's message (secrets it
// echoes redacted) and the wait Retry-After asks for. secret is the access
// token the request carried, never to be shown.
func statusError(op string, resp *http.Response, body []byte, now time.Time, secret string) *push.Error {
	se := parseError(body)
	if se.code == "" {
		se.code = statusCodes[resp.StatusCode]
	}
	e := &push.Error{Op: op, StatusCode: resp.StatusCode, Code: se.code}
	e.RetryAfter, _ = httpx.RetryAfter(resp.Header.Values("Retry-After"), now)
	var explanation string
	switch rule, ok := codes[se.code]; {
	case se.code == CodeInvalidArgument:
		explanation, e.Kind = classifyInvalid(se)
	case ok:
		explanation, e.Kind = rule.detail, rule.kind
	case resp.StatusCode >= 500:
		explanation, e.Kind = "FCM or a gateway failed after receiving the request, which may have taken effect", push.ErrOutcomeUnknown
	default:
		explanation = "FCM answered with an unexpected status " + strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
	}
	e.Detail = explanation
	if msg := redact(se.message, secret); msg != "" {
		e.Detail += "; FCM said: " + msg
	}
	return e
}

// classifyInvalid tells a malformed registration token, topic or condition
// (push.ErrInvalidTarget) from a malformed message (push.ErrInvalidNotification).
// INVALID_ARGUMENT covers both: deleting tokens on every 400 would wipe good
// tokens when the payload is at fault, so only a message or a field that
// names the target makes it a target error.
func classifyInvalid(se serviceError) (string, error) {
	for _, f := range se.fields {
		switch f {
		case "message.token", "message.topic", "message.condition":
			return "FCM refused the " + strings.TrimPrefix(f, "message.") + " as malformed", push.ErrInvalidTarget
		}
	}
	m := strings.ToLower(se.message)
	switch {
	case strings.Contains(m, "registration token"):
		return "FCM refused the registration token as malformed (not one FCM issued): drop it", push.ErrInvalidTarget
	case strings.Contains(m, "topic") || strings.Contains(m, "condition"):
		return "FCM refused the topic or condition", push.ErrInvalidTarget
	}
	return "FCM refused the message (a field, a value, a reserved data key or the size)", push.ErrInvalidNotification
}

// cleanText returns s as one line for an error: control characters and
// invalid UTF-8 become spaces, runs of space collapse, and it is clipped.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < ' ' || r == ' ' || r == 0x7f }), " ")
	return httpx.Clip(s, maxServiceMessage)
}

// redact removes what may be a secret from text a server sent back: the
// access token the request carried, any run of 40 or more characters of the
// base64url alphabet and dots (the shape of access tokens and signed JWTs),
// which a hostile or broken server might echo, and any shorter run that holds
// httpx.MinFragment bytes of the token in a row: an echo the server clipped.
func redact(text, secret string) string {
	if secret != "" {
		text = strings.ReplaceAll(text, secret, httpx.Redacted)
	}
	return httpx.RedactRuns(text, func(s string, i int) bool { return secretByte(s[i]) },
		func(run string) bool { return len(run) >= minRedactedRun || httpx.HoldsFragment(run, secret) })
}

func secretByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
}
