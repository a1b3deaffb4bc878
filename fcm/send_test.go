package fcm_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/pushwire/push"
	"github.com/pushwire/push/direct"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/fcm/fcmtest"
	"github.com/pushwire/push/pushtest"
)

func TestQuotaExceededWaitsRetryAfterAndRetries(t *testing.T) {
	clock := pushtest.NewClock(time.Now())
	srv := newServer(t)
	c := newClient(t, srv, fcm.WithClock(clock))
	srv.Fail(fcmtest.Fault{Status: 429, RetryAfter: 7 * time.Second, Times: 1})
	rec, err := c.Send(t.Context(), alert(), push.Device(srv.NewToken()))
	require.NoError(t, err)
	assert.NotEmpty(t, rec.ID)
	assert.Equal(t, []time.Duration{7 * time.Second}, clock.Sleeps(), "it waited what Retry-After asked, on its clock")
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "QUOTA_EXCEEDED", reqs[0].Code)
	assert.True(t, reqs[1].Accepted())
}

func TestQuotaExceededThatLastsIsThrottled(t *testing.T) {
	clock := pushtest.NewClock(time.Now())
	srv := newServer(t)
	c := newClient(t, srv, fcm.WithClock(clock), fcm.WithRetry(push.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second}))
	srv.Fail(fcmtest.Fault{Status: 429, RetryAfter: 30 * time.Second})
	_, err := c.Send(t.Context(), alert(), push.Device(srv.NewToken()))
	require.ErrorIs(t, err, push.ErrThrottled)
	var e *push.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, 30*time.Second, e.RetryAfter)
	assert.Equal(t, 3, e.Attempts)
	assert.Len(t, srv.Requests(), 3)
}

func TestServerErrorsAreRetried(t *testing.T) {
	for _, status := range []int{500, 503} {
		srv := newServer(t)
		c := newClient(t, srv, fcm.WithClock(pushtest.NewClock(time.Now())))
		srv.Fail(fcmtest.Fault{Status: status, Times: 2})
		_, err := c.Send(t.Context(), alert(), push.Device(srv.NewToken()))
		require.NoError(t, err, "status %d", status)
		assert.Len(t, srv.Requests(), 3)
	}
}

func TestDeadTokenIsReportedAndNotRetried(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, fcm.WithClock(pushtest.NewClock(time.Now())))
	live, dead := srv.NewToken(), srv.NewToken()
	srv.Unregister(dead)
	rec, err := c.Send(t.Context(), alert(), push.Devices(live, dead))
	require.ErrorIs(t, err, push.ErrUnregistered)
	require.Len(t, rec.Results, 2)
	assert.True(t, rec.Results[0].Accepted())
	assert.True(t, rec.Results[1].Unregistered())
	var e *push.Error
	require.True(t, errors.As(rec.Results[1].Err, &e))
	assert.Equal(t, fcm.CodeUnregistered, e.Code)
	assert.Len(t, srv.Requests(), 2, "one request each: a dead token is never retried")
}

func TestDroppedAnswerIsOutcomeUnknownAndNotRetried(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, fcm.WithClock(pushtest.NewClock(time.Now())))
	srv.Fail(fcmtest.Fault{Drop: true, Times: 1})
	_, err := c.Send(t.Context(), alert(), push.Device(srv.NewToken()))
	require.ErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.Len(t, srv.Requests(), 1, "a send that may have been delivered is not repeated")
	assert.Len(t, srv.Messages(), 1, "and indeed it was")
}

// TestCancellingALargeSendLeavesNoGoroutine cancels a send to 10,000 tokens
// once the emulator has received 50 of its requests.
func TestCancellingALargeSendLeavesNoGoroutine(t *testing.T) {
	before := goleak.IgnoreCurrent()
	srv := fcmtest.NewServer(fcmtest.WithKey(testKey()))
	c, err := fcm.New(t.Context(), srv.Project(), fcm.WithCredentialsJSON(srv.ServiceAccountJSON()),
		fcm.WithEndpoint(srv.URL()), fcm.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	tokens := make([]string, 10000)
	for i := range tokens {
		tokens[i] = srv.NewToken()
	}
	ctx, cancel := context.WithCancel(t.Context())
	var received atomic.Int64
	srv.Watch(func(fcmtest.Request) {
		if received.Add(1) == 50 {
			cancel()
		}
	})
	rec, err := c.Send(ctx, alert(), push.Devices(tokens...))
	cancel()
	require.ErrorIs(t, err, push.ErrNotAttempted)
	require.Len(t, rec.Results, len(tokens))
	accepted, notAttempted := 0, 0
	for i, r := range rec.Results {
		require.Equal(t, tokens[i], r.Handle)
		switch {
		case r.Accepted():
			accepted++
		case errors.Is(r.Err, push.ErrNotAttempted):
			notAttempted++
		}
	}
	assert.GreaterOrEqual(t, len(srv.Requests()), 50)
	assert.LessOrEqual(t, accepted, len(srv.Messages()))
	assert.Greater(t, notAttempted, 9000, "most tokens were never sent")
	assert.LessOrEqual(t, len(srv.Requests()), 50+direct.DefaultConcurrency, "no more than the requests in flight went out after the cancel")

	require.NoError(t, c.Close())
	srv.Close()
	srv.Client().CloseIdleConnections()
	goleak.VerifyNone(t, before)
}

func TestSendRefusesANilContext(t *testing.T) {
	c, cap := mockClient(t, accept)
	//lint:ignore SA1012 the test checks the refusal of a nil context
	_, err := c.Send(nil, alert(), push.Device("t1")) //nolint:staticcheck
	require.Error(t, err)
	assert.Contains(t, err.Error(), "context is nil")
	assert.Zero(t, cap.count())
}

func TestDryRunAgainstTheEmulatorChecksTheToken(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, fcm.WithDryRun(true))
	tok := srv.NewToken()
	rec, err := c.Send(t.Context(), alert(), push.Device(tok))
	require.NoError(t, err)
	assert.Equal(t, "projects/"+srv.Project()+"/messages/fake_message_id", rec.ID)
	srv.Unregister(tok)
	_, err = c.Send(t.Context(), alert(), push.Device(tok))
	assert.ErrorIs(t, err, push.ErrUnregistered, "a dry run checks the token as a send would")
	assert.Empty(t, srv.Messages(), "and delivers nothing")
}
