package push

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The sentinels classify every error this module returns. Test with errors.Is; the
// detail (status, service code, tracking ID, Retry-After) is on the *Error that carries
// them, reachable with errors.As.
var (
	// ErrInvalidNotification: the notification is malformed for its platform (bad JSON,
	// an XML root WNS does not know, a forbidden header, ...). Caught before any I/O.
	ErrInvalidNotification = errors.New("invalid notification")
	// ErrInvalidTarget: the target is malformed (a bad tag, a tag expression that does not
	// parse or exceeds the service's limits, an empty device handle, ...) or cannot carry
	// this notification. Caught before any I/O.
	ErrInvalidTarget = errors.New("invalid target")
	// ErrInvalidSchedule: a scheduled send's time is in the past or too far ahead.
	// Caught before any I/O.
	ErrInvalidSchedule = errors.New("invalid schedule time")
	// ErrPayloadTooLarge: the body exceeds the platform's or the service's size limit.
	// An error that matches it also matches ErrInvalidNotification.
	ErrPayloadTooLarge = errors.New("payload too large")
	// ErrUnauthorized: the credentials were refused (bad or expired token, wrong key).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the credentials lack a right (Send, Listen, Manage) or the operation
	// is not available on the service tier.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the hub, installation, registration or notification does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the resource changed since it was read, so a conditional write
	// (an ETag in If-Match) was refused. Read it again and reapply the change.
	ErrConflict = errors.New("conflict")
	// ErrThrottled: the service asked the caller to slow down. Retryable.
	ErrThrottled = errors.New("throttled")
	// ErrUnavailable: a transient failure (timeout, server error, broken connection).
	// Retryable.
	ErrUnavailable = errors.New("unavailable")
	// ErrOutcomeUnknown: the request may have reached the service before the
	// connection failed, so whether the operation took effect is unknown. A send
	// that failed this way may still notify. An error that matches it also matches
	// ErrUnavailable, but it is not Retryable: repeating a send could notify twice.
	// RetryPolicy.RetryUnknownOutcome opts in to retrying it anyway.
	ErrOutcomeUnknown = errors.New("outcome unknown")
	// ErrUnregistered: the device handle will never work again (APNs 410
	// Unregistered or ExpiredToken, FCM UNREGISTERED, Web Push 404 or 410):
	// delete it. It is never retried. Result.UnregisteredAt says since when,
	// where the service tells.
	ErrUnregistered = errors.New("device handle unregistered")
	// ErrUnsupported: the Sender cannot deliver this at all (a platform, a target
	// kind or scheduling it does not declare in its Capabilities), as opposed to
	// input that is malformed. Caught before any I/O; the detail says what the
	// Sender does support. An error that matches it also matches
	// errors.ErrUnsupported.
	ErrUnsupported = errors.New("not supported by this sender")
	// ErrNotAttempted: nothing was sent to this device handle, because the send
	// stopped before its turn (its context ended). Sending it again is safe.
	ErrNotAttempted = errors.New("not attempted")
)

// Error describes a failed operation. Every error a provider of this module returns
// is, or wraps, an *Error, whose Kind is one of the sentinels above, so
//
//	errors.Is(err, push.ErrThrottled)
//
// works however deeply the caller wrapped it. Kind is nil only where no sentinel
// says anything true: a service answer the client cannot read, a status the
// service does not document, a cancelled context (Err then holds ctx.Err()).
// Error never contains a secret: providers put no key, token or signature in any
// field.
type Error struct {
	// Op names the operation, prefixed by its package: "push" for validation,
	// "azurenh: send", "azurenh: get installation", ...
	Op string
	// Kind is the sentinel that classifies the error; nil when none applies.
	Kind error
	// StatusCode is the HTTP status of the service's answer; 0 when there was none.
	StatusCode int
	// Code is the service's own error code, when it sent one.
	Code string
	// Detail is a human-readable explanation: what was wrong with the input, or the
	// service's error detail. It holds the whole text, as long and on as many lines
	// as the service wrote it; Error shows it on one line, cut to 512 bytes.
	Detail string
	// TrackingID identifies the request in the service's logs, when known.
	TrackingID string
	// RetryAfter is how long the service asked the caller to wait; 0 when it did not say.
	RetryAfter time.Duration
	// Attempts is how many times the operation was tried, when a retry policy tried
	// more than once; 0 otherwise.
	Attempts int
	// Err is the underlying cause (a transport error, a parse error, a previous
	// attempt's error); nil when none.
	Err error
}

// Error renders the error on one line: operation, kind, detail, then the HTTP
// status, service code, tracking ID and cause when they are known. The detail
// is shown with its line breaks and other control characters as spaces, and
// cut to maxErrorDetail bytes (marked "..."), so that a service that answers
// with a page of text cannot flood a log; the Detail field keeps all of it.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	switch {
	case e.Kind != nil:
		b.WriteString(e.Kind.Error())
	case e.Detail == "" && e.Err == nil:
		b.WriteString("error")
	}
	if e.Detail != "" {
		if e.Kind != nil {
			b.WriteString(": ")
		}
		writeOneLine(&b, e.Detail, maxErrorDetail)
	}
	e.writeContext(&b)
	if e.Err != nil {
		if e.Kind != nil || e.Detail != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// maxErrorDetail bounds the part of Detail that Error shows.
const maxErrorDetail = 512

// writeOneLine writes s to b with control characters as spaces and invalid
// UTF-8 as U+FFFD, cut on a rune boundary after at most max bytes of s, the cut
// marked with "...".
func writeOneLine(b *strings.Builder, s string, max int) {
	for i, r := range s {
		if i+utf8.RuneLen(r) > max {
			b.WriteString("...")
			return
		}
		if unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
}

// writeContext appends " (HTTP 429, code 429, tracking ID x, retry after 2s)" with the
// parts that are known.
func (e *Error) writeContext(b *strings.Builder) {
	var parts []string
	if e.StatusCode != 0 {
		parts = append(parts, "HTTP "+strconv.Itoa(e.StatusCode))
	}
	if e.Code != "" && e.Code != strconv.Itoa(e.StatusCode) {
		parts = append(parts, "code "+e.Code)
	}
	if e.TrackingID != "" {
		parts = append(parts, "tracking ID "+e.TrackingID)
	}
	if e.RetryAfter > 0 {
		parts = append(parts, "retry after "+e.RetryAfter.String())
	}
	if e.Attempts > 1 {
		parts = append(parts, strconv.Itoa(e.Attempts)+" attempts")
	}
	if len(parts) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(parts, ", "))
		b.WriteString(")")
	}
}

// Unwrap returns the kind and the cause, so errors.Is and errors.As see both.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 3)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
		switch e.Kind {
		case ErrPayloadTooLarge:
			errs = append(errs, ErrInvalidNotification)
		case ErrOutcomeUnknown:
			errs = append(errs, ErrUnavailable)
		case ErrUnsupported:
			errs = append(errs, errors.ErrUnsupported)
		}
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Retryable reports whether repeating the operation may succeed and is safe: the
// error is ErrThrottled or ErrUnavailable (but not ErrOutcomeUnknown).
func (e *Error) Retryable() bool {
	return e.Kind == ErrThrottled || e.Kind == ErrUnavailable
}

// Retryable reports whether err, or an error it wraps, is an *Error that is
// Retryable. Context cancellation and deadline errors are not retryable.
func Retryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retryable()
}

// RetryAfter returns the wait the service asked for in err, or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// invalid returns a validation error of the given kind with a detail built by the caller.
func invalid(kind error, detail string) *Error {
	return &Error{Op: "push", Kind: kind, Detail: detail}
}
