// Package pushtest holds test helpers shared by the providers' tests and by
// users' tests: a manual Clock.
package pushtest

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Clock is a push.Clock that moves only when told to. Sleep does not block: it
// advances the clock by the duration at once and records it, so retry backoff
// and token expiry can be tested without waiting. Safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	sleeps  []time.Duration
	onSleep func(time.Duration)
	moved   chan struct{} // closed at the next move; nil until Moved asks
}

// NewClock returns a Clock that reads start until moved.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records d, calls the OnSleep hook if one is set, then returns ctx.Err()
// if ctx is done, or else advances the clock by d and returns nil.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	hook := c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(d)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// OnSleep sets a function Sleep calls with each duration before it returns; a
// test can cancel a context there to interrupt a wait. nil removes it.
func (c *Clock) OnSleep(f func(d time.Duration)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onSleep = f
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.move(c.now.Add(d))
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.move(t)
}

// Moved returns a channel that is closed the next time the clock moves
// (Advance, Set, or a Sleep that advances it). Code that waits for a time on
// this clock selects on it and reads Now again when it closes: memory.Sender's
// WaitFor does, so that advancing the clock past a scheduled send wakes it.
// Every caller until that move gets the same channel.
func (c *Clock) Moved() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.moved == nil {
		c.moved = make(chan struct{})
	}
	return c.moved
}

// move sets the time and wakes whoever waits on Moved. Called with c.mu held.
func (c *Clock) move(t time.Time) {
	c.now = t
	if c.moved != nil {
		close(c.moved)
		c.moved = nil
	}
}

// Sleeps returns a copy of the durations Sleep was called with, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}
