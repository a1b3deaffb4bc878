package push

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Result is what happened to one device handle of a send to device handles:
// accepted (Err is nil, ID is the service's message ID when it gives one), or
// failed with Err, a *Error whose Kind classifies it. A handle the service
// says is dead fails with an error matching ErrUnregistered: delete it.
type Result struct {
	// Handle is the device handle (a browser subscription's endpoint), as the
	// Target holds it.
	Handle string
	// ID is the service's ID of the accepted notification: APNs' apns-id, FCM's
	// message name, a Web Push message's Location. "" when the handle failed or
	// the service gives none.
	ID string
	// TrackingID identifies the notification in the service's delivery logs,
	// when it gives such an ID apart from ID (APNs' apns-unique-id, in the
	// sandbox).
	TrackingID string
	// Err is nil when the service accepted the notification for this handle;
	// otherwise a *Error (see ErrUnregistered, ErrNotAttempted and the other
	// sentinels).
	Err error
	// UnregisteredAt is when the service last knew the handle to be valid, for
	// a handle that failed with ErrUnregistered and a service that says (APNs'
	// timestamp). An app that saw the device register again after this time
	// keeps the handle. Zero when unknown.
	UnregisteredAt time.Time
}

// Accepted reports whether the service accepted the notification for the handle.
func (r Result) Accepted() bool { return r.Err == nil }

// Unregistered reports whether the handle is dead: Err matches ErrUnregistered.
func (r Result) Unregistered() bool { return errors.Is(r.Err, ErrUnregistered) }

// DevicesError is the error of a send to several device handles (push.Devices,
// push.BrowserDevices) of which some failed. Failed holds the failed results, in
// the order of the target's handles; Receipt.Results holds all of them.
// errors.Is sees through it to each failure, so
//
//	errors.Is(err, push.ErrUnregistered)
//
// reports whether any handle was dead, and errors.As finds the first *Error.
// Its message counts the failures by kind and never names a handle.
type DevicesError struct {
	// Op names the operation, as in *Error: "apns: send", ...
	Op string
	// Failed holds the results whose Err is set, in input order.
	Failed []Result
	// Total is the number of handles the send addressed.
	Total int
}

// Error says how many handles failed and how:
// "apns: send: 3 of 10 device handles failed: 2 device handle unregistered, 1 throttled; first (handle 4): ...".
func (e *DevicesError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(len(e.Failed)))
	b.WriteString(" of ")
	b.WriteString(strconv.Itoa(e.Total))
	b.WriteString(" device handles failed")
	if len(e.Failed) == 0 {
		return b.String()
	}
	b.WriteString(": ")
	writeKindCounts(&b, e.Failed)
	b.WriteString("; first: ")
	b.WriteString(e.Failed[0].Err.Error())
	return b.String()
}

// writeKindCounts writes "2 device handle unregistered, 1 throttled", kinds in
// order of first appearance.
func writeKindCounts(b *strings.Builder, failed []Result) {
	type count struct {
		name string
		n    int
	}
	var counts []count
	for _, r := range failed {
		name := kindName(r.Err)
		i := 0
		for i < len(counts) && counts[i].name != name {
			i++
		}
		if i == len(counts) {
			counts = append(counts, count{name: name})
		}
		counts[i].n++
	}
	for i, c := range counts {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(c.n))
		b.WriteByte(' ')
		b.WriteString(c.name)
	}
}

// kindName names the sentinel err matches, or "other error".
func kindName(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != nil {
		return e.Kind.Error()
	}
	return "other error"
}

// Unwrap returns each failed handle's error, for errors.Is and errors.As.
func (e *DevicesError) Unwrap() []error {
	errs := make([]error, len(e.Failed))
	for i, r := range e.Failed {
		errs[i] = r.Err
	}
	return errs
}

// ResultsError returns the error a send to device handles reports for its
// results: nil when every handle was accepted; the handle's own error when
// the target had one handle; otherwise a *DevicesError holding the failed
// results. op is the Op of the *DevicesError.
func ResultsError(op string, results []Result) error {
	failed := 0
	for i := range results {
		if results[i].Err != nil {
			failed++
		}
	}
	switch {
	case failed == 0:
		return nil
	case len(results) == 1:
		return results[0].Err
	}
	e := &DevicesError{Op: op, Total: len(results), Failed: make([]Result, 0, failed)}
	for _, r := range results {
		if r.Err != nil {
			e.Failed = append(e.Failed, r)
		}
	}
	return e
}
