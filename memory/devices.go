package memory

import (
	"context"
	"strconv"
	"time"
	"unsafe"

	"github.com/pushwire/push"
)

// deviceFailure is what FailDevice or MarkUnregistered makes a handle answer.
type deviceFailure struct {
	err   error
	since time.Time // MarkUnregistered's time; zero otherwise
}

// FailDevice makes every later send to the device handle fail with err for
// that handle alone (nil: a *push.Error of kind push.ErrUnavailable), until
// ClearFailures: the Result of the handle carries err and no Delivery is kept
// for it. It applies when the Sender reports per device (see
// WithCapabilities); a Sender playing a hub accepts the batch, as Notification
// Hubs does, and records the handle with the others. A later FailDevice or
// MarkUnregistered of the same handle replaces it.
func (s *Sender) FailDevice(handle string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	if s.deviceFailures == nil {
		s.deviceFailures = make(map[string]deviceFailure)
	}
	s.deviceFailures[handle] = deviceFailure{err: err}
}

// MarkUnregistered makes the device handle dead, as a service says when an
// app was uninstalled: every later send to it fails for that handle with a
// *push.Error of kind push.ErrUnregistered, and its Result carries since as
// UnregisteredAt (zero: unknown). See FailDevice for when it applies.
func (s *Sender) MarkUnregistered(handle string, since time.Time) {
	err := &push.Error{Op: "memory: send", Kind: push.ErrUnregistered, StatusCode: 410,
		Detail: "the device handle was marked unregistered with MarkUnregistered"}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	if s.deviceFailures == nil {
		s.deviceFailures = make(map[string]deviceFailure)
	}
	s.deviceFailures[handle] = deviceFailure{err: err, since: since}
}

// Observe makes the Sender call f with the Envelope of each request it
// handles, before it answers: each handle of a per-device send (the Envelope
// then names that handle alone), each part of a batch, each send to tags. f
// is called with the Sender's lock held: it must return quickly, must not
// call the Sender, and must not keep or modify the Envelope. A nil f stops
// observing. Tests use it to act part way through a large send (cancel its
// context, say).
func (s *Sender) Observe(f func(push.Envelope)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observe = f
}

// sendDevices keeps a send to device handles as the Sender's capabilities
// say the provider it plays makes it: one request per handle with a Result
// each, or batches of BatchSize handles. Called with s.mu held.
func (s *Sender) sendDevices(ctx context.Context, env push.Envelope, to push.Target, now time.Time) (push.Receipt, error) {
	support := s.caps.Platforms[env.Platform]
	if support.PerDevice {
		return s.sendEach(ctx, env, to, now)
	}
	size := support.BatchSize
	if size <= 0 {
		size = len(env.Devices)
	}
	return s.sendBatches(env, to, now, size)
}

// sendEach keeps one Delivery per accepted handle and returns a Result per
// handle. The handles' Deliveries share one deep copy of the Envelope, and
// their receipt IDs one buffer, so a send allocates O(handles) memory in a
// few allocations, not a few per handle.
func (s *Sender) sendEach(ctx context.Context, env push.Envelope, to push.Target, now time.Time) (push.Receipt, error) {
	const op = "memory: send"
	shared := env.Clone()
	results := make([]push.Result, len(shared.Devices))
	ids := s.newIDWriter(len(results))
	for i := range results {
		one := shared
		one.Devices = shared.Devices[i : i+1 : i+1]
		if shared.Subscriptions != nil {
			one.Subscriptions = shared.Subscriptions[i : i+1 : i+1]
		}
		results[i].Handle = one.Devices[0]
		if err := ctx.Err(); err != nil {
			results[i].Err = &push.Error{Op: op, Kind: push.ErrNotAttempted, Detail: "not sent: the context ended before this handle's turn", Err: err}
			continue
		}
		if s.observe != nil {
			s.observe(one)
		}
		if err := s.injected(one, op); err != nil {
			results[i].Err = err
			continue
		}
		if f, dead := s.deviceFailures[one.Devices[0]]; dead {
			results[i].Err, results[i].UnregisteredAt = f.err, f.since
			if f.err == nil {
				results[i].Err = &push.Error{Op: op, Kind: push.ErrUnavailable, Detail: "failure injected by FailDevice"}
			}
			continue
		}
		results[i].ID = ids.next()
		e := s.deliveries.next()
		e.envelope, e.target, e.id, e.time = one, to, results[i].ID, now
		s.delivered(e)
	}
	r := push.Receipt{Results: results}
	if len(results) == 1 {
		r.ID = results[0].ID
	}
	return r, push.ResultsError(op, results)
}

// idWriter hands out the receipt IDs of one send's handles. With the
// default counter it writes them into one buffer that the strings share
// (nothing writes a byte of it twice), so that IDs for thousands of handles
// take one allocation; an ID source given with WithIDs is called once per
// accepted handle. Used with s.mu held.
type idWriter struct {
	s   *Sender
	buf []byte
}

func (s *Sender) newIDWriter(n int) *idWriter {
	w := &idWriter{s: s}
	if s.counterIDs {
		w.buf = make([]byte, 0, n*(len("memory-")+len(strconv.FormatUint(s.seq+uint64(n), 10))))
	}
	return w
}

// next returns the ID of the next accepted handle.
func (w *idWriter) next() string {
	if !w.s.counterIDs {
		return w.s.ids()
	}
	w.s.seq++
	start := len(w.buf)
	w.buf = strconv.AppendUint(append(w.buf, "memory-"...), w.s.seq, 10)
	return unsafe.String(&w.buf[start], len(w.buf)-start)
}

// sendBatches keeps one Delivery per request of at most size handles, as a
// hub's batch send makes them, and returns a Receipt per part when there are
// several (see push.Receipt.Parts). An injected failure stops the send at its
// part, returning the parts accepted before it. Called with s.mu held.
func (s *Sender) sendBatches(env push.Envelope, to push.Target, now time.Time, size int) (push.Receipt, error) {
	const op = "memory: send"
	devices := env.Devices
	nparts := (len(devices) + size - 1) / size
	var parts []push.Receipt
	if nparts > 1 {
		parts = make([]push.Receipt, 0, nparts)
	}
	for lo := 0; lo < len(devices); lo += size {
		part := env
		hi := min(lo+size, len(devices))
		part.Devices = devices[lo:hi]
		if env.Subscriptions != nil {
			part.Subscriptions = env.Subscriptions[lo:hi]
		}
		if s.observe != nil {
			s.observe(part)
		}
		if err := s.injected(part, op); err != nil {
			return combineParts(parts), err
		}
		r := push.Receipt{ID: s.ids()}
		e := s.deliveries.next()
		s.deliveries.copyEnvelope(&e.envelope, part)
		e.target, e.id, e.time = to, r.ID, now
		s.delivered(e)
		if nparts == 1 {
			return r, nil
		}
		parts = append(parts, r)
	}
	return combineParts(parts), nil
}

// combineParts returns the Receipt of a send made of several requests: the
// first part's fields and every part in Parts; zero for none.
func combineParts(parts []push.Receipt) push.Receipt {
	if len(parts) == 0 {
		return push.Receipt{}
	}
	r := parts[0]
	r.Parts = parts
	return r
}
