package recorder

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushwire/push"
)

// WithJSONLines makes the Recorder write each call to w as one line of JSON, so
// that a test can compare what an application sends with a golden file. Lines
// are written in the order calls are recorded (the order of Calls), one Write
// per line, never concurrently, with the Recorder's lock held.
//
// The first error w returns is kept (see WriteErr) and stops all later
// writes; it is never returned to the sender of a notification, and never
// panics.
//
// Each line is an object with these keys, in this order, each left out when
// empty:
//
//	op            "send", "schedule" or "cancel"
//	platform      the format, e.g. "apple"
//	contentType   the body's media type
//	headers       object of header name to array of values, names sorted (an
//	              Auth header, a misplaced subscription secret, is written
//	              "REDACTED")
//	body          the body: a JSON value when the content type is JSON and the
//	              body is valid JSON, else a string
//	bodyBase64    instead of body, the body in standard base64 when it is not
//	              valid UTF-8
//	tags          the canonical tag expression
//	devices       array of device handles
//	subscriptions array of the browser subscriptions of a browser direct send,
//	              each {"endpoint", "p256dh", "auth"}, the auth secret written
//	              as "REDACTED"
//	scheduleTime  RFC 3339 time in UTC
//	error         {"kind": sentinel name such as "push.ErrThrottled",
//	              "push.ErrUnsupported" or "context.Canceled" ("" when none
//	              applies), "message": the error text}
//
// These fields come from the rendered Envelope; when rendering failed they come
// from the Notification and Target as given (scheduleTime from the time
// asked). The output is deterministic for deterministic input: it holds no
// durations, receipt IDs or cancel IDs: the tracking ID of a *push.Error is
// left out of the message and a quoted cancel ID in it is written
// "{cancelId}", unless WithJSONVolatile asks for them.
func WithJSONLines(w io.Writer) Option {
	return func(r *Recorder) { r.jsonOut = w }
}

// WithJSONVolatile adds to each JSON line (see WithJSONLines) what differs
// from run to run: "receiptId", "cancelId", "durationNs" (an integer), and
// error messages as the error gives them (tracking ID and cancel ID included).
func WithJSONVolatile() Option {
	return func(r *Recorder) { r.volatile = true }
}

// WriteErr returns the first error the JSON lines writer returned, or nil.
// After it, no more lines are written.
func (r *Recorder) WriteErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.writeErr
}

// jsonLine is the schema of one line; see WithJSONLines.
type jsonLine struct {
	Op            Operation          `json:"op"`
	Platform      push.Platform      `json:"platform,omitempty"`
	ContentType   string             `json:"contentType,omitempty"`
	Headers       http.Header        `json:"headers,omitempty"`
	Body          any                `json:"body,omitempty"` // json.RawMessage or string
	BodyBase64    string             `json:"bodyBase64,omitempty"`
	Tags          string             `json:"tags,omitempty"`
	Devices       []string           `json:"devices,omitempty"`
	Subscriptions []jsonSubscription `json:"subscriptions,omitempty"`
	ScheduleTime  string             `json:"scheduleTime,omitempty"`
	Error         *jsonError         `json:"error,omitempty"`
	ReceiptID     string             `json:"receiptId,omitempty"`
	CancelID      string             `json:"cancelId,omitempty"`
	DurationNs    int64              `json:"durationNs,omitempty"`
}

type jsonSubscription struct {
	Endpoint string `json:"endpoint"`
	P256DH   string `json:"p256dh"`
	Auth     string `json:"auth"`
}

type jsonError struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// writeLine writes c as one JSON line. Called with r.mu held.
func (r *Recorder) writeLine(c *Call) {
	if r.writeErr != nil {
		return
	}
	r.line.Reset()
	enc := json.NewEncoder(&r.line)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.lineOf(c)); err != nil {
		r.writeErr = err
		return
	}
	if _, err := r.jsonOut.Write(r.line.Bytes()); err != nil {
		r.writeErr = err
	}
}

// lineOf describes c in the JSON lines schema.
func (r *Recorder) lineOf(c *Call) jsonLine {
	l := jsonLine{Op: c.Op}
	if c.Op != OpCancel {
		describeEnvelope(&l, envelopeOf(c))
	}
	if c.Err != nil {
		l.Error = &jsonError{Kind: sentinelName(c.Err), Message: r.message(c)}
	}
	if r.volatile {
		l.ReceiptID, l.CancelID, l.DurationNs = c.Receipt.ID, c.CancelID, int64(c.Duration)
	}
	return l
}

// envelopeOf returns c's Envelope, or, when rendering failed, one made of the
// Notification and Target as given.
func envelopeOf(c *Call) push.Envelope {
	if c.Envelope.Platform != "" {
		return c.Envelope
	}
	n := c.Notification
	e := push.Envelope{Platform: n.Platform, ContentType: n.ContentType, Header: n.Header, Body: n.Body,
		Tags: c.Target.Expression(), Devices: c.Target.Devices(), Subscriptions: c.Target.Subscriptions()}
	if c.Op == OpSchedule && !c.At.IsZero() {
		e.ScheduleTime = c.At
	}
	return e
}

func describeEnvelope(l *jsonLine, e push.Envelope) {
	l.Platform, l.ContentType, l.Tags, l.Devices = e.Platform, e.ContentType, e.Tags, e.Devices
	l.Headers = redacted(e.Header)
	for _, sub := range e.Subscriptions {
		l.Subscriptions = append(l.Subscriptions, jsonSubscription{Endpoint: sub.Endpoint, P256DH: sub.P256DH, Auth: "REDACTED"})
	}
	switch {
	case len(e.Body) == 0:
	case isJSON(e) && json.Valid(e.Body):
		l.Body = json.RawMessage(e.Body)
	case utf8.Valid(e.Body):
		l.Body = string(e.Body)
	default:
		l.BodyBase64 = base64.StdEncoding.EncodeToString(e.Body)
	}
	if !e.ScheduleTime.IsZero() {
		l.ScheduleTime = e.ScheduleTime.UTC().Format(time.RFC3339Nano)
	}
}

// isJSON reports whether e's content type is JSON (or, when it has none,
// whether its platform's bodies are).
func isJSON(e push.Envelope) bool {
	if e.ContentType == "" {
		return e.Platform != push.Windows && e.Platform != push.WindowsPhone
	}
	mt, _, _ := strings.Cut(e.ContentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/json")
}

// redacted returns h, or a copy with an Auth header hidden: a browser
// subscription's secret, misplaced in a notification that failed to render.
func redacted(h http.Header) http.Header {
	if _, ok := h["Auth"]; !ok {
		return h
	}
	c := h.Clone()
	for i := range c["Auth"] {
		c["Auth"][i] = "REDACTED"
	}
	return c
}

// message returns the text of c.Err. Unless the volatile fields were asked for,
// it leaves out a *push.Error's tracking ID and writes a quoted cancel ID as
// "{cancelId}".
func (r *Recorder) message(c *Call) string {
	msg := c.Err.Error()
	if r.volatile {
		return msg
	}
	var pe *push.Error
	if errors.As(c.Err, &pe) && pe.TrackingID != "" {
		stable := *pe
		stable.TrackingID = ""
		msg = strings.Replace(msg, pe.Error(), stable.Error(), 1)
	}
	if c.CancelID != "" {
		msg = strings.ReplaceAll(msg, strconv.Quote(c.CancelID), `"{cancelId}"`)
	}
	return msg
}

// sentinelName names the sentinel err matches, most specific first.
func sentinelName(err error) string {
	for _, s := range []struct {
		err  error
		name string
	}{
		{push.ErrPayloadTooLarge, "push.ErrPayloadTooLarge"},
		{push.ErrInvalidNotification, "push.ErrInvalidNotification"},
		{push.ErrInvalidTarget, "push.ErrInvalidTarget"},
		{push.ErrInvalidSchedule, "push.ErrInvalidSchedule"},
		{push.ErrUnauthorized, "push.ErrUnauthorized"},
		{push.ErrForbidden, "push.ErrForbidden"},
		{push.ErrNotFound, "push.ErrNotFound"},
		{push.ErrConflict, "push.ErrConflict"},
		{push.ErrUnregistered, "push.ErrUnregistered"},
		{push.ErrThrottled, "push.ErrThrottled"},
		{push.ErrOutcomeUnknown, "push.ErrOutcomeUnknown"},
		{push.ErrUnavailable, "push.ErrUnavailable"},
		{push.ErrNotAttempted, "push.ErrNotAttempted"},
		{push.ErrUnsupported, "push.ErrUnsupported"},
		{errors.ErrUnsupported, "errors.ErrUnsupported"},
		{context.Canceled, "context.Canceled"},
		{context.DeadlineExceeded, "context.DeadlineExceeded"},
	} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return ""
}
