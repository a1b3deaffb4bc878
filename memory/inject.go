package memory

import (
	"time"

	"github.com/pushwire/push"
)

// failNext is a FailNext budget: the next n sends fail with err.
type failNext struct {
	n   int
	err error
}

// failWhen is a FailWhen rule.
type failWhen struct {
	match func(push.Envelope) bool
	err   error
}

// FailNext makes the next n sends fail with err. "Sends" are the calls of Send
// and Schedule whose input renders: bad input is refused by push.Render first
// and does not use up the budget. A failed send keeps no Delivery (nor a
// pending scheduled send) and uses no receipt ID; it is counted by Failures.
//
// err is returned as is, so errors.Is and errors.As see exactly what the test
// injected; pass a *push.Error with a Kind (push.ErrThrottled, ...) to exercise
// a caller's error handling. A nil err means a *push.Error of kind
// push.ErrUnavailable. Several calls queue up: the budget of the first is used
// up before the next applies. FailNext budgets are used before FailWhen rules
// are consulted. n of 0 or less does nothing.
func (s *Sender) FailNext(n int, err error) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	s.failNext = append(s.failNext, failNext{n: n, err: err})
}

// FailWhen makes every send whose rendered Envelope satisfies match fail with
// err (nil: a *push.Error of kind push.ErrUnavailable), until ClearFailures.
// Sends are as for FailNext. match is called with the Sender's lock held: it
// must not call the Sender, and must not modify the Envelope, which shares the
// caller's Notification. Rules are consulted in the order they were added; the
// first that matches decides.
func (s *Sender) FailWhen(match func(push.Envelope) bool, err error) {
	if match == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	s.failWhen = append(s.failWhen, failWhen{match: match, err: err})
}

// ClearFailures removes every FailNext budget, FailWhen rule, FailDevice and
// MarkUnregistered. It leaves the
// latency and the Failures count alone.
func (s *Sender) ClearFailures() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	s.failNext, s.failWhen, s.deviceFailures = nil, nil, nil
}

// Failures returns how many sends failed by injection so far.
func (s *Sender) Failures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	return s.failures
}

// SetLatency makes every later Send, Schedule and Cancel wait d on the clock
// before it acts, returning an error that wraps ctx.Err() if ctx ends first. A
// d of 0 or less removes the latency. With a *pushtest.Clock the wait does not
// block: it advances the clock by d.
func (s *Sender) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	s.latency.Store(int64(max(d, 0)))
}

// injected returns the error a FailNext budget or FailWhen rule injects into a
// send of env, and counts it. Called with s.mu held.
func (s *Sender) injected(env push.Envelope, op string) error {
	if len(s.failNext) == 0 && len(s.failWhen) == 0 {
		return nil
	}
	ok, err := s.takeFailNext()
	if !ok {
		ok, err = s.matchFailWhen(env)
	}
	if !ok {
		return nil
	}
	s.failures++
	if err == nil {
		err = &push.Error{Op: op, Kind: push.ErrUnavailable, Detail: "failure injected by the memory Sender"}
	}
	return err
}

// takeFailNext uses one send of the first FailNext budget, if any.
func (s *Sender) takeFailNext() (bool, error) {
	if len(s.failNext) == 0 {
		return false, nil
	}
	f := &s.failNext[0]
	err := f.err
	if f.n--; f.n == 0 {
		s.failNext = s.failNext[1:]
	}
	return true, err
}

// matchFailWhen finds the first FailWhen rule env matches, if any.
func (s *Sender) matchFailWhen(env push.Envelope) (bool, error) {
	for _, f := range s.failWhen {
		if f.match(env) {
			return true, f.err
		}
	}
	return false, nil
}
