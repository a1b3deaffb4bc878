package push_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
)

var epoch = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func unavailable() error { return &push.Error{Op: "test", Kind: push.ErrUnavailable, StatusCode: 503} }

// failing returns an op that fails with errs in turn, then succeeds, counting calls.
func failing(calls *int, errs ...error) func(context.Context) error {
	return func(context.Context) error {
		*calls++
		if *calls <= len(errs) {
			return errs[*calls-1]
		}
		return nil
	}
}

func noJitter() push.RetryPolicy {
	p := push.DefaultRetryPolicy()
	p.Jitter = 0
	return p
}

func TestDoRetriesWithExponentialBackoff(t *testing.T) {
	clock := pushtest.NewClock(epoch)
	calls := 0
	err := noJitter().Do(context.Background(), clock, failing(&calls, unavailable(), unavailable(), unavailable()))
	require.NoError(t, err)
	assert.Equal(t, 4, calls)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, clock.Sleeps())
}

func TestDoGivesUpAfterMaxAttempts(t *testing.T) {
	clock := pushtest.NewClock(epoch)
	calls := 0
	p := noJitter()
	p.MaxAttempts = 3
	err := p.Do(context.Background(), clock, failing(&calls, unavailable(), unavailable(), unavailable(), unavailable()))
	assert.Equal(t, 3, calls)
	assert.ErrorIs(t, err, push.ErrUnavailable)
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 3, pe.Attempts)
	assert.Equal(t, "test: unavailable (HTTP 503, 3 attempts)", err.Error())
}

func TestDoHonoursRetryAfter(t *testing.T) {
	clock := pushtest.NewClock(epoch)
	calls := 0
	throttled := &push.Error{Kind: push.ErrThrottled, StatusCode: 429, RetryAfter: 7 * time.Second}
	err := noJitter().Do(context.Background(), clock, failing(&calls, throttled))
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{7 * time.Second}, clock.Sleeps())
	assert.Equal(t, epoch.Add(7*time.Second), clock.Now())
}

func TestDoKeepsTheBackoffWhenRetryAfterIsShorter(t *testing.T) {
	clock := pushtest.NewClock(epoch)
	calls := 0
	throttled := &push.Error{Kind: push.ErrThrottled, RetryAfter: time.Millisecond}
	require.NoError(t, noJitter().Do(context.Background(), clock, failing(&calls, throttled)))
	assert.Equal(t, []time.Duration{time.Second}, clock.Sleeps())
}

func TestDoDoesNotRetryPermanentErrors(t *testing.T) {
	for _, err := range []error{
		&push.Error{Kind: push.ErrInvalidNotification},
		&push.Error{Kind: push.ErrUnauthorized, StatusCode: 401},
		&push.Error{Kind: push.ErrForbidden, StatusCode: 403},
		errors.New("plain"),
		context.Canceled,
	} {
		calls := 0
		got := push.DefaultRetryPolicy().Do(context.Background(), pushtest.NewClock(epoch), failing(&calls, err))
		assert.Equal(t, 1, calls, err)
		assert.Same(t, err, got)
	}
}

func TestDoRetriesUnknownOutcomeOnlyWhenAsked(t *testing.T) {
	unknown := &push.Error{Kind: push.ErrOutcomeUnknown}
	calls := 0
	err := noJitter().Do(context.Background(), pushtest.NewClock(epoch), failing(&calls, unknown))
	assert.Equal(t, 1, calls)
	assert.ErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, push.ErrUnavailable)

	p := noJitter()
	p.RetryUnknownOutcome = true
	calls = 0
	require.NoError(t, p.Do(context.Background(), pushtest.NewClock(epoch), failing(&calls, unknown)))
	assert.Equal(t, 2, calls)
}

func TestDoStopsWhenTheContextEndsMidBackoff(t *testing.T) {
	clock := pushtest.NewClock(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock.OnSleep(func(time.Duration) { cancel() })
	calls := 0
	err := noJitter().Do(ctx, clock, failing(&calls, unavailable(), unavailable()))
	assert.Equal(t, 1, calls)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, push.ErrUnavailable)
	assert.Contains(t, err.Error(), "context canceled while waiting to retry; last attempt: test: unavailable")
}

func TestDoDoesNotStartAWaitPastTheDeadline(t *testing.T) {
	clock := pushtest.NewClock(epoch)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	calls := 0
	throttled := &push.Error{Kind: push.ErrThrottled, RetryAfter: time.Hour}
	err := noJitter().Do(ctx, clock, failing(&calls, throttled))
	assert.Equal(t, 1, calls)
	assert.Same(t, throttled, err)
	assert.Empty(t, clock.Sleeps())
}

func TestZeroPolicyTriesOnce(t *testing.T) {
	calls := 0
	err := push.RetryPolicy{}.Do(context.Background(), pushtest.NewClock(epoch), failing(&calls, unavailable()))
	assert.Equal(t, 1, calls)
	assert.ErrorIs(t, err, push.ErrUnavailable)
}

func TestBackoff(t *testing.T) {
	p := push.RetryPolicy{BaseDelay: time.Second, MaxDelay: 10 * time.Second}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		assert.Equal(t, w, p.Backoff(i+1), "retry %d", i+1)
	}
	assert.Equal(t, 10*time.Second, p.Backoff(500), "no overflow")

	p.Jitter = 0.5
	for range 200 {
		d := p.Backoff(2)
		assert.GreaterOrEqual(t, d, time.Second)
		assert.LessOrEqual(t, d, 2*time.Second)
	}
}

func TestDefaultRetryPolicy(t *testing.T) {
	p := push.DefaultRetryPolicy()
	assert.Equal(t, push.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: time.Minute, Jitter: 0.2}, p)
}
