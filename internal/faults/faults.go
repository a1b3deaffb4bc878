// Package faults is the queue of injected faults that the module's emulators
// share: each emulator has its own Fault type and its own way to match a
// request, and keeps them in a Queue. It imports nothing of the module, so
// an emulator that uses it still imports no client.
package faults

import "sync"

// Queue holds faults in the order they were added, each with how many
// requests it has left to apply to. The zero Queue is empty and ready; it
// is safe for concurrent use.
type Queue[F any] struct {
	mu     sync.Mutex
	faults []*entry[F]
}

type entry[F any] struct {
	f    F
	left int // < 0: unlimited
}

// Add queues f for times matching requests; times of 0 or less means every
// one, until Clear.
func (q *Queue[F]) Add(f F, times int) {
	left := times
	if left <= 0 {
		left = -1
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = append(q.faults, &entry[F]{f: f, left: left})
}

// Clear removes every fault.
func (q *Queue[F]) Clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = nil
}

// Take returns the first fault that matches and uses one of its
// applications, dropping it when none is left. match is called with the
// Queue's lock held.
func (q *Queue[F]) Take(match func(F) bool) (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, e := range q.faults {
		if !match(e.f) {
			continue
		}
		if e.left > 0 {
			e.left--
			if e.left == 0 {
				q.faults = append(q.faults[:i:i], q.faults[i+1:]...)
			}
		}
		return e.f, true
	}
	var zero F
	return zero, false
}
