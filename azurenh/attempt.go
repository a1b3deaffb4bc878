package azurenh

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// DefaultAttemptTimeout bounds the time of one attempt of a request, from
// sending it to the end of its answer's body, unless WithAttemptTimeout says
// otherwise. The service answers a send in well under a second; thirty
// seconds leaves room for a slow network and a 1000-handle batch, and stops a
// server that answers and then sends its body a byte at a time.
const DefaultAttemptTimeout = 30 * time.Second

// attemptDeadlines hands out the contexts that bound attempts in time. An
// attempt gets its caller's context when that ends within the timeout anyway;
// otherwise a context derived from it that ends between timeout and
// timeout+slack from now. Attempts that start close together under the same
// caller's context share one, so that bounding an attempt costs no
// allocation in the common case of a worker that sends under one long-lived
// context. A shared context is cancelled once it is no longer handed out and
// its last attempt is done, so that none outlives its use. Deadlines are in
// real time, like the transport's own timeouts, whatever the Client's clock.
type attemptDeadlines struct {
	timeout time.Duration
	slack   time.Duration
	cur     atomic.Pointer[deadline]
}

// deadline is a context derived to bound attempts, and who uses it.
type deadline struct {
	parent  context.Context
	ctx     context.Context
	at      time.Time
	cancel  context.CancelFunc
	users   atomic.Int64 // attempts in flight under ctx
	retired atomic.Bool  // no longer handed out
}

func newAttemptDeadlines(timeout time.Duration) *attemptDeadlines {
	return &attemptDeadlines{timeout: timeout, slack: min(timeout/16, time.Second)}
}

// bound returns the context of an attempt made under ctx now, and what to
// pass to release when the attempt is done (nil when it is ctx itself).
func (d *attemptDeadlines) bound(ctx context.Context) (context.Context, *deadline) {
	now := time.Now()
	if at, ok := ctx.Deadline(); ok && at.Sub(now) <= d.timeout {
		return ctx, nil
	}
	shareable := comparable(ctx)
	if cur := d.cur.Load(); cur != nil && shareable && cur.parent == ctx && cur.at.Sub(now) >= d.timeout {
		cur.users.Add(1)
		if !cur.retired.Load() {
			return cur.ctx, cur
		}
		d.release(cur)
	}
	next := &deadline{parent: ctx, at: now.Add(d.timeout + d.slack)}
	next.ctx, next.cancel = context.WithDeadline(ctx, next.at)
	next.users.Store(1)
	if !shareable {
		next.retired.Store(true)
		return next.ctx, next
	}
	if old := d.cur.Swap(next); old != nil {
		d.retire(old)
	}
	return next.ctx, next
}

// release says that an attempt under dl is done.
func (d *attemptDeadlines) release(dl *deadline) {
	if dl != nil && dl.users.Add(-1) == 0 && dl.retired.Load() {
		dl.cancel()
	}
}

// retire stops handing dl out, and cancels it if no attempt uses it.
func (d *attemptDeadlines) retire(dl *deadline) {
	dl.retired.Store(true)
	if dl.users.Load() == 0 {
		dl.cancel()
	}
}

// close cancels the shared context, for Client.Close.
func (d *attemptDeadlines) close() {
	if old := d.cur.Swap(nil); old != nil {
		d.retire(old)
	}
}

// comparable reports whether ctx can be compared with ==, which panics for a
// context whose dynamic type is not comparable.
func comparable(ctx context.Context) bool { return reflect.TypeOf(ctx).Comparable() }

// timedOut reports whether an attempt under ctx ended because its own bound
// passed, not because ctx ended.
func timedOut(ctx, bounded context.Context) bool {
	return ctx.Err() == nil && errors.Is(bounded.Err(), context.DeadlineExceeded)
}

// transportError classifies a failure of the transport for attempt a (see
// httpx.TransportError), telling apart an attempt that ran out of its own
// time: push.ErrUnavailable (retried) when nothing was written,
// push.ErrOutcomeUnknown when the request was.
func (c *Client) transportError(ctx, bounded context.Context, op string, a *attempt, err error) error {
	if !timedOut(ctx, bounded) {
		e := httpx.TransportError(ctx, op, a.Wrote(), err)
		e.TrackingID = a.trackingID[0]
		return e
	}
	e := &push.Error{Op: op, Kind: push.ErrUnavailable, TrackingID: a.trackingID[0], Err: err,
		Detail: "the service did not answer within the attempt timeout of " + c.deadlines.timeout.String() + " (WithAttemptTimeout), and the request was not sent"}
	if a.Wrote() {
		e.Kind = push.ErrOutcomeUnknown
		e.Detail = "the service did not answer within the attempt timeout of " + c.deadlines.timeout.String() + " (WithAttemptTimeout), after the request was sent, so it may have acted on it"
	}
	return e
}

// timeoutNote says why an answer's body could not be read, when the attempt
// ran out of time.
func (c *Client) timeoutNote(ctx, bounded context.Context) string {
	if timedOut(ctx, bounded) {
		return ": it did not arrive within the attempt timeout of " + c.deadlines.timeout.String() + " (WithAttemptTimeout)"
	}
	return ""
}

// idSource makes the default client tracking IDs: UUID-shaped values made of
// a random prefix, drawn once, and a counter, so that making one costs one
// allocation and no system call. They are unique to a Client, and across
// Clients and processes with overwhelming probability.
type idSource struct {
	prefix [8]byte
	n      atomic.Uint64
}

func newIDSource() *idSource {
	s := &idSource{}
	rand.Read(s.prefix[:])
	s.prefix[6] = s.prefix[6]&0x0f | 0x40 // version 4
	return s
}

// next returns a new ID: xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx.
func (s *idSource) next() string {
	var raw [16]byte
	copy(raw[:8], s.prefix[:])
	binary.BigEndian.PutUint64(raw[8:], s.n.Add(1))
	raw[8] = raw[8]&0x3f | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], raw[0:4])
	hex.Encode(out[9:13], raw[4:6])
	hex.Encode(out[14:18], raw[6:8])
	hex.Encode(out[19:23], raw[8:10])
	hex.Encode(out[24:], raw[10:])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

// maxIDLength bounds the values of an ID source.
const maxIDLength = 100

// newID returns a value of the Client's ID source: a tracking ID, a part of a
// batch boundary. A value of a WithIDs source that could not go into a header
// or a boundary is a configuration error: no kind, not retried.
func (c *Client) newID(op string) (string, error) {
	if c.cfg.ids == nil {
		return c.idgen.next(), nil
	}
	id := c.cfg.ids()
	if !validID(id) {
		return "", &push.Error{Op: op, Detail: "the ID source of WithIDs returned " + quoteShort(id) +
			"; its values go into the TrackingId header and batch boundaries: want 1 to 100 letters, digits, '-', '_' or '.'"}
	}
	return id, nil
}

// validID reports whether id is 1 to maxIDLength ASCII letters, digits, '-',
// '_' and '.': a header value and a part of a multipart boundary.
func validID(id string) bool {
	if id == "" || len(id) > maxIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if b := id[i]; !(isAlnum(b) || b == '-' || b == '_' || b == '.') {
			return false
		}
	}
	return true
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
