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
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Sleeps returns a copy of the durations Sleep was called with, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}
