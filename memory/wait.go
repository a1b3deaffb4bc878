package memory

import (
	"context"
	"fmt"

	"github.com/pushwire/push"
)

// WaitFor waits until the Sender holds at least n Deliveries and returns copies
// of the first n, for tests of code that sends from other goroutines. It
// blocks without polling: each delivery wakes it.
//
// If ctx ends first, WaitFor returns copies of the Deliveries held so far and
// a *push.Error wrapping ctx.Err() that says how many arrived. It counts the
// Deliveries currently held, so Take resets the count. A scheduled send falls
// due only when some call on the Sender sees the clock past its time: WaitFor
// checks once when called and after each delivery, but does not wake up by
// itself when a clock is advanced while it waits.
func (s *Sender) WaitFor(ctx context.Context, n int) ([]Delivery, error) {
	for {
		got, wake := s.firstN(n)
		if wake == nil {
			return got, nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			held := s.Deliveries()
			return held, &push.Error{
				Op:     "memory: wait",
				Detail: fmt.Sprintf("%d of the %d deliveries waited for arrived", len(held), n),
				Err:    ctx.Err(),
			}
		}
	}
}

// firstN returns copies of the first n Deliveries, or a channel closed at the
// next delivery when there are fewer.
func (s *Sender) firstN(n int) ([]Delivery, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	if s.deliveries.len() >= n {
		out := make([]Delivery, 0, max(n, 0))
		s.deliveries.each(n, func(e *entry) bool {
			out = append(out, e.delivery().clone())
			return true
		})
		return out, nil
	}
	if s.changed == nil {
		s.changed = make(chan struct{})
	}
	return nil, s.changed
}
