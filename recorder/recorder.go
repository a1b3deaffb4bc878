package recorder

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/pushwire/push"
)

// Recorder is a push.Sender and push.Scheduler that wraps another Sender and
// records every call: what was asked, what push.Render made of it, and what the
// wrapped Sender answered. It is safe for concurrent use by multiple
// goroutines when the wrapped Sender is. It forwards the caller's Notification
// untouched (it records a deep copy taken before forwarding) and returns the
// wrapped Sender's Receipt and error unchanged. Make one with New.
type Recorder struct {
	next     push.Sender
	clock    push.Clock
	jsonOut  io.Writer
	volatile bool

	mu       sync.Mutex
	calls    callLog
	line     bytes.Buffer // the JSON line being written
	writeErr error
}

var (
	_ push.Sender    = (*Recorder)(nil)
	_ push.Scheduler = (*Recorder)(nil)
)

// Option configures a Recorder.
type Option func(*Recorder)

// WithClock makes the Recorder time calls (Call.Time, Call.Duration) on c
// instead of push.SystemClock(); nil keeps the default.
func WithClock(c push.Clock) Option {
	return func(r *Recorder) {
		if c != nil {
			r.clock = c
		}
	}
}

// New returns a Recorder that forwards to next. It panics if next is nil.
func New(next push.Sender, opts ...Option) *Recorder {
	if next == nil {
		panic("recorder.New: the Sender to wrap is nil")
	}
	r := &Recorder{next: next, clock: push.SystemClock()}
	for _, opt := range opts {
		opt(r)
	}
	return r
}

// Capabilities returns what the wrapped Sender declares (see
// push.CapabilitiesOf), its Provider prefixed with "recorder over ", or the
// zero Capabilities when it declares none.
func (r *Recorder) Capabilities() push.Capabilities {
	c, ok := push.CapabilitiesOf(r.next)
	if ok {
		c.Provider = "recorder over " + c.Provider
	}
	return c
}

// Unwrap returns the wrapped Sender.
func (r *Recorder) Unwrap() push.Sender { return r.next }

// CanSchedule reports whether Schedule and Cancel can succeed: the wrapped
// Sender implements push.Scheduler and, when it reports the same about itself
// with a CanSchedule method (as a Recorder does), says so.
func (r *Recorder) CanSchedule() bool {
	if c, ok := r.next.(interface{ CanSchedule() bool }); ok {
		return c.CanSchedule()
	}
	_, ok := r.next.(push.Scheduler)
	return ok
}

// Send forwards to the wrapped Sender's Send and records the call. A nil ctx
// is refused, and recorded, without calling the wrapped Sender.
func (r *Recorder) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	c := Call{Op: OpSend, Notification: n.Clone(), Target: to, Time: r.clock.Now()}
	var receipt push.Receipt
	err := push.CheckContext(ctx, "recorder: send")
	if err == nil {
		receipt, err = r.next.Send(ctx, n, to)
	}
	c.Duration = r.clock.Now().Sub(c.Time)
	c.Envelope, _ = push.Render(c.Notification, to)
	r.record(&c, receipt, err)
	return receipt, err
}

// Schedule forwards to the wrapped Sender's Schedule and records the call.
// When the wrapped Sender is not a push.Scheduler, Schedule returns (and
// records) a *push.Error with Op "recorder: schedule" whose Kind is
// push.ErrUnsupported (which errors.ErrUnsupported matches too).
func (r *Recorder) Schedule(ctx context.Context, n push.Notification, to push.Target, at time.Time) (push.Receipt, error) {
	c := Call{Op: OpSchedule, Notification: n.Clone(), Target: to, At: at, Time: r.clock.Now()}
	var receipt push.Receipt
	var err error
	s, ok := r.next.(push.Scheduler)
	switch {
	case ctx == nil:
		err = push.CheckContext(ctx, "recorder: schedule")
	case ok:
		receipt, err = s.Schedule(ctx, n, to, at)
	default:
		err = r.unsupported("recorder: schedule")
	}
	c.Duration = r.clock.Now().Sub(c.Time)
	// now = at: everything RenderAt checks but the time window.
	c.Envelope, _ = push.RenderAt(c.Notification, to, at, at)
	r.record(&c, receipt, err)
	return receipt, err
}

// Cancel forwards to the wrapped Sender's Cancel and records the call. When
// the wrapped Sender is not a push.Scheduler, Cancel returns (and records) a
// *push.Error with Op "recorder: cancel" whose Kind is push.ErrUnsupported.
func (r *Recorder) Cancel(ctx context.Context, id string) error {
	c := Call{Op: OpCancel, CancelID: id, Time: r.clock.Now()}
	var err error
	s, ok := r.next.(push.Scheduler)
	switch {
	case ctx == nil:
		err = push.CheckContext(ctx, "recorder: cancel")
	case ok:
		err = s.Cancel(ctx, id)
	default:
		err = r.unsupported("recorder: cancel")
	}
	c.Duration = r.clock.Now().Sub(c.Time)
	r.record(&c, push.Receipt{}, err)
	return err
}

func (r *Recorder) unsupported(op string) error {
	return &push.Error{Op: op, Kind: push.ErrUnsupported, Detail: fmt.Sprintf("the wrapped %T does not implement push.Scheduler", r.next)}
}

// record completes c and keeps a copy, writing its JSON line if asked. The
// copy shares c's Notification (already a copy) and Envelope (rendered from
// it); Calls and Take hand out deep copies.
func (r *Recorder) record(c *Call, receipt push.Receipt, err error) {
	c.Receipt = receipt.Clone()
	c.Err = err
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls.add(c)
	if r.jsonOut != nil {
		r.writeLine(c)
	}
}

// Calls returns deep copies of every call recorded so far, in the order they
// completed.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls.clones()
}

// Take returns deep copies of the calls recorded so far, in order, and
// forgets them.
func (r *Recorder) Take() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls.clones()
	r.calls = callLog{}
	return out
}

// Len returns the number of calls recorded.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls.n
}
