package recorder

import (
	"time"

	"github.com/pushwire/push"
)

// Operation names what a Call did.
type Operation string

// The operations a Recorder records.
const (
	OpSend     Operation = "send"
	OpSchedule Operation = "schedule"
	OpCancel   Operation = "cancel"
)

// Call is one call of Send, Schedule or Cancel, as the Recorder saw it. A Call
// returned by Calls or Take is the caller's deep copy.
type Call struct {
	// Op is the operation.
	Op Operation
	// Notification is a deep copy of the notification as the caller passed it;
	// zero for Cancel.
	Notification push.Notification
	// Target is the target as the caller passed it (immutable, shared); zero for
	// Cancel.
	Target push.Target
	// Envelope is what push.Render produced for Notification and Target; zero
	// when rendering failed, and for Cancel. For Schedule it is what
	// push.RenderAt produces (direct targets refused, ScheduleTime set), except
	// that the time window is left to the wrapped Sender, whose clock decides
	// it: Err holds its verdict.
	Envelope push.Envelope
	// Receipt is what the wrapped Sender returned.
	Receipt push.Receipt
	// Err is the error the wrapped Sender returned (or the Recorder's own
	// push.ErrUnsupported error when it cannot schedule); nil on success.
	Err error
	// Time is the clock's now when the call started.
	Time time.Time
	// Duration is how long the wrapped Sender took, measured on the clock.
	Duration time.Duration
	// At is the schedule time Schedule was called with, as given; zero for Send
	// and Cancel.
	At time.Time
	// CancelID is the ID Cancel was called with; "" for Send and Schedule.
	CancelID string
}

// clone returns a deep copy of c.
func (c Call) clone() Call {
	c.Notification = c.Notification.Clone()
	c.Envelope = c.Envelope.Clone()
	c.Receipt = c.Receipt.Clone()
	return c
}

// chunkSize is the number of Calls in one chunk of a callLog.
const chunkSize = 256

// callLog is an append-only sequence of Calls kept in fixed-size chunks, so
// that recording never copies what is already kept. The zero callLog is empty.
type callLog struct {
	chunks [][]Call // every chunk has capacity chunkSize; all but the last are full
	n      int
}

// add appends a copy of *c. It writes only the non-zero fields: calls are
// recorded while the garbage collector may be marking, when every pointer
// written to the heap costs a write barrier.
func (l *callLog) add(c *Call) {
	if l.n%chunkSize == 0 {
		l.chunks = append(l.chunks, make([]Call, 0, chunkSize))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = (*last)[:len(*last)+1]
	l.n++
	dst := &(*last)[len(*last)-1]
	dst.Op, dst.Time, dst.Duration = c.Op, c.Time, c.Duration
	if c.Op != OpCancel {
		dst.Notification, dst.Target = c.Notification, c.Target
		setEnvelope(&dst.Envelope, &c.Envelope)
	}
	setReceipt(&dst.Receipt, &c.Receipt)
	if c.Err != nil {
		dst.Err = c.Err
	}
	if !c.At.IsZero() {
		dst.At = c.At
	}
	if c.CancelID != "" {
		dst.CancelID = c.CancelID
	}
}

// setEnvelope sets the zero *dst to *e, field by field, skipping zero fields.
func setEnvelope(dst, e *push.Envelope) {
	if e.Platform == "" { // rendering failed
		return
	}
	dst.Platform, dst.ContentType, dst.Header, dst.Body, dst.Tags = e.Platform, e.ContentType, e.Header, e.Body, e.Tags
	if e.Devices != nil {
		dst.Devices = e.Devices
	}
	if !e.ScheduleTime.IsZero() {
		dst.ScheduleTime = e.ScheduleTime
	}
}

// setReceipt sets the zero *dst to *r, field by field, skipping zero fields.
func setReceipt(dst, r *push.Receipt) {
	if r.ID != "" {
		dst.ID = r.ID
	}
	if r.TrackingID != "" {
		dst.TrackingID = r.TrackingID
	}
	if r.CorrelationID != "" {
		dst.CorrelationID = r.CorrelationID
	}
	if r.Outcome != nil || r.Parts != nil || r.Results != nil {
		dst.Outcome, dst.Parts, dst.Results = r.Outcome, r.Parts, r.Results
	}
}

// clones returns deep copies of the Calls, in order.
func (l *callLog) clones() []Call {
	out := make([]Call, 0, l.n)
	for _, chunk := range l.chunks {
		for _, c := range chunk {
			out = append(out, c.clone())
		}
	}
	return out
}
