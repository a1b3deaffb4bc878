package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/pushwire/push"
)

// WaitFor waits until the Sender holds at least n Deliveries and returns copies
// of the first n, for tests of code that sends from other goroutines. It
// blocks without polling: each delivery wakes it, and so does the time of a
// pending scheduled send: with a *pushtest.Clock, WaitFor wakes when the test
// moves the clock (Advance, Set) and delivers what fell due; with the system
// clock, or another Clock, it wakes at the due time by the machine's timer and
// looks at the clock again.
//
// If ctx ends first, WaitFor returns copies of the Deliveries held so far and
// a *push.Error wrapping ctx.Err() that says how many arrived. It counts the
// Deliveries currently held, so Take resets the count.
func (s *Sender) WaitFor(ctx context.Context, n int) ([]Delivery, error) {
	for {
		var moved <-chan struct{}
		if m, ok := s.clock.(movingClock); ok {
			moved = m.Moved() // before looking, so that no move is missed
		}
		got, wake, due := s.firstN(n)
		if wake == nil {
			return got, nil
		}
		var timer *time.Timer
		var fired <-chan time.Time
		if moved == nil && !due.IsZero() {
			timer = time.NewTimer(max(due.Sub(s.clock.Now()), 0))
			fired = timer.C
		}
		select {
		case <-wake:
		case <-moved:
		case <-fired:
		case <-ctx.Done():
			held := s.Deliveries()
			return held, &push.Error{
				Op:     "memory: wait",
				Detail: fmt.Sprintf("%d of the %d deliveries waited for arrived", len(held), n),
				Err:    ctx.Err(),
			}
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// movingClock is a Clock that says when it moves, as *pushtest.Clock does.
type movingClock interface {
	Moved() <-chan struct{}
}

// firstN returns copies of the first n Deliveries, or, when there are fewer, a
// channel closed at the next delivery and the time the next pending scheduled
// send falls due (zero when none is pending).
func (s *Sender) firstN(n int) ([]Delivery, <-chan struct{}, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	if s.deliveries.len() >= n {
		out := make([]Delivery, 0, max(n, 0))
		s.deliveries.each(n, func(e *entry) bool {
			out = append(out, e.delivery().clone())
			return true
		})
		return out, nil, time.Time{}
	}
	if s.changed == nil {
		s.changed = make(chan struct{})
	}
	var due time.Time
	if len(s.pending) > 0 {
		due = s.pending[0].time
	}
	return nil, s.changed, due
}
