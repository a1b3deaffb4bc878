package push

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how a provider repeats an operation that failed with a
// retryable error: exponential backoff with jitter, capped, honouring the
// service's Retry-After, for a bounded number of attempts, stopping when the
// context ends. Providers apply it; users choose it (azurenh.WithRetry).
//
// The zero RetryPolicy tries once. DefaultRetryPolicy is what providers use when
// not told otherwise.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts in all, the first included; values
	// below 1 mean 1.
	MaxAttempts int
	// BaseDelay is the wait before the first retry; it doubles for each retry after.
	BaseDelay time.Duration
	// MaxDelay caps the computed backoff (a longer Retry-After is still honoured).
	// Zero means no cap.
	MaxDelay time.Duration
	// Jitter is the fraction of each backoff that is random, from 0 (none:
	// reproducible waits) to 1: a wait is drawn from [d*(1-Jitter), d].
	Jitter float64
	// RetryUnknownOutcome also retries errors matching ErrOutcomeUnknown: a send
	// whose request may have reached the service. Such a retry can deliver a
	// notification twice; leave it off unless duplicates are harmless to you.
	RetryUnknownOutcome bool
}

// DefaultRetryPolicy returns the policy of the official SDKs: 4 attempts (3
// retries), 1 s base delay doubling to at most 60 s, 20% jitter.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: time.Minute, Jitter: 0.2}
}

// Backoff returns the wait before retry number n (1 for the first retry),
// jitter included, ignoring any Retry-After.
func (p RetryPolicy) Backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < math.MaxInt64/2; i++ {
		d *= 2
	}
	if p.MaxDelay > 0 && d > p.MaxDelay {
		d = p.MaxDelay
	}
	if j := min(max(p.Jitter, 0), 1); j > 0 {
		d -= time.Duration(float64(d) * j * rand.Float64())
	}
	return d
}

// ShouldRetry reports whether err is worth another attempt under p: it is
// Retryable, or it matches ErrOutcomeUnknown and p.RetryUnknownOutcome is set.
func (p RetryPolicy) ShouldRetry(err error) bool {
	if errors.Is(err, ErrOutcomeUnknown) {
		return p.RetryUnknownOutcome
	}
	return Retryable(err)
}

// Do calls op until it succeeds, fails with an error ShouldRetry refuses, the
// attempts run out, or ctx ends. Between attempts it waits on clock for the
// backoff or the error's RetryAfter, whichever is longer; a wait that would pass
// ctx's deadline is not started.
//
// The error is op's last one; when op was called more than once and that error
// is an *Error (not wrapped), Do returns a copy with Attempts set. If ctx ends during a wait,
// the error matches both ctx.Err() and op's last error.
func (p RetryPolicy) Do(ctx context.Context, clock Clock, op func(ctx context.Context) error) error {
	attempts := max(p.MaxAttempts, 1)
	for n := 1; ; n++ {
		err := op(ctx)
		if err == nil {
			return nil
		}
		if n >= attempts || !p.ShouldRetry(err) || ctx.Err() != nil {
			return withAttempts(err, n)
		}
		wait := max(p.Backoff(n), RetryAfter(err))
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return withAttempts(err, n)
		}
		if serr := clock.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w while waiting to retry; last attempt: %w", serr, withAttempts(err, n))
		}
	}
}

// withAttempts records n attempts on err when it is an *Error tried more than once.
func withAttempts(err error, n int) error {
	e, ok := err.(*Error)
	if n < 2 || !ok {
		return err
	}
	c := *e
	c.Attempts = n
	return &c
}
