package memory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pushwire/push"
)

// Schedule renders n for to with push.RenderAt, as seen from the clock's now,
// and keeps the result as a pending scheduled send until Cancel removes it or
// the clock reaches its ScheduleTime (at in UTC, truncated to whole seconds).
//
// Every public method of the Sender first turns the pending sends that are due
// into Deliveries, in order of ScheduleTime (then of Schedule), each with Time
// set to its ScheduleTime and Receipt to the one Schedule returned. So after
// advancing a *pushtest.Clock, the next call (Len, Deliveries, WaitFor, ...)
// sees the due sends delivered. A Delivery's Reached and Payloads are computed
// as it is delivered, from the devices registered then.
//
// Errors are as for Send; RenderAt also refuses a direct target and a time in
// the past or more than push.MaxScheduleAhead ahead (push.ErrInvalidTarget,
// push.ErrInvalidSchedule). FailNext and FailWhen apply to Schedule as to Send.
// A Sender whose capabilities (WithCapabilities) do not schedule the
// platform refuses with push.ErrUnsupported.
func (s *Sender) Schedule(ctx context.Context, n push.Notification, to push.Target, at time.Time) (push.Receipt, error) {
	if err := push.CheckContext(ctx, "memory: schedule"); err != nil {
		return push.Receipt{}, err
	}
	if err := s.caps.CheckSchedule("memory: schedule", n.Platform); err != nil {
		return push.Receipt{}, err
	}
	env, err := push.RenderAt(n, to, at, s.clock.Now())
	if err != nil {
		return push.Receipt{}, err
	}
	if err := s.wait(ctx, "memory: schedule"); err != nil {
		return push.Receipt{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.deliverDue(now)
	if err := s.injected(env, "memory: schedule"); err != nil {
		return push.Receipt{}, err
	}
	r := push.Receipt{ID: s.ids()}
	p := entry{target: to, id: r.ID, time: env.ScheduleTime}
	s.deliveries.copyEnvelope(&p.envelope, env)
	s.addPending(p)
	s.deliverDue(now)
	return r, nil
}

// Cancel removes the pending scheduled send whose Receipt.ID is id. After the
// injected latency (see SetLatency; an error wrapping ctx.Err() if ctx ends), it
// returns a *push.Error of kind push.ErrNotFound when no pending send has that
// ID: it is unknown, already cancelled, or already delivered (the message says
// which of the last two when it can).
func (s *Sender) Cancel(ctx context.Context, id string) error {
	if err := push.CheckContext(ctx, "memory: cancel"); err != nil {
		return err
	}
	if !s.caps.CanSchedule() {
		return s.caps.CheckSchedule("memory: cancel", push.Apple)
	}
	if err := s.wait(ctx, "memory: cancel"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	i := slices.IndexFunc(s.pending, func(p entry) bool { return p.id == id })
	if i < 0 {
		return s.notPending(id)
	}
	s.pending = slices.Delete(s.pending, i, i+1)
	return nil
}

// notPending explains why id cannot be cancelled. Called with s.mu held.
func (s *Sender) notPending(id string) error {
	detail := fmt.Sprintf("no pending scheduled notification has ID %q", id)
	s.deliveries.each(s.deliveries.len(), func(e *entry) bool {
		if e.id != id {
			return true
		}
		detail += "; it was delivered at " + e.time.UTC().Format(time.RFC3339)
		return false
	})
	return &push.Error{Op: "memory: cancel", Kind: push.ErrNotFound, Detail: detail}
}

// Pending returns copies of the scheduled sends that are not yet due, in order
// of ScheduleTime. Each is a Delivery whose Time is its ScheduleTime and whose
// Reached and Payloads are nil: devices are matched, and their templates
// expanded, when the send falls due.
func (s *Sender) Pending() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	out := make([]Delivery, len(s.pending))
	for i := range s.pending {
		out[i] = s.pending[i].delivery().clone()
	}
	return out
}

// addPending inserts p in s.pending, after every send due no later than it.
// Called with s.mu held.
func (s *Sender) addPending(p entry) {
	i, _ := slices.BinarySearchFunc(s.pending, p.time, func(q entry, t time.Time) int {
		if q.time.After(t) {
			return 1
		}
		return -1
	})
	s.pending = slices.Insert(s.pending, i, p)
}

// deliverDue turns the pending sends due at now into Deliveries. Called with
// s.mu held.
func (s *Sender) deliverDue(now time.Time) {
	n := 0
	for n < len(s.pending) && !s.pending[n].time.After(now) {
		e := s.deliveries.next()
		*e = s.pending[n]
		s.delivered(e)
		n++
	}
	if n > 0 {
		s.pending = slices.Delete(s.pending, 0, n)
	}
}
