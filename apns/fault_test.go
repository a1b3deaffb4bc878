package apns_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

func TestGoAwayMidSendLosesNothingAndRepeatsNothing(t *testing.T) {
	f := newFixture(t, apns.WithConcurrency(16))
	var seen atomic.Int64
	f.srv.Watch(func(apnstest.Request) {
		if seen.Add(1) == 20 {
			f.srv.Fail(apnstest.Fault{GoAway: true, Times: 1})
		}
	})
	ds := devices(200)
	r, err := f.client.Send(t.Context(), alert(), push.Devices(ds...))
	require.NoError(t, err)
	require.Len(t, r.Results, 200)
	assert.GreaterOrEqual(t, f.srv.Connections(), 2, "the rest went on a new connection")
	accepted := map[string]int{}
	for _, req := range f.srv.Requests() {
		require.True(t, req.Accepted(), "%d %s", req.Status, req.Reason)
		accepted[req.Token]++
	}
	for _, d := range ds {
		assert.Equal(t, 1, accepted[d], d)
	}
}

func TestDroppedConnectionLeavesTheOutcomeUnknown(t *testing.T) {
	f := newFixture(t, apns.WithRetry(noJitter))
	f.srv.Fail(apnstest.Fault{Drop: true, Times: 1})
	_, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	require.ErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.False(t, push.Retryable(err))
	assert.Len(t, f.srv.Requests(), 1, "a send that may have been delivered is not repeated by default")

	f.srv.Fail(apnstest.Fault{Drop: true, Times: 1})
	retrying := noJitter
	retrying.RetryUnknownOutcome = true
	c := newClient(t, f.srv, f.clock, apns.WithRetry(retrying))
	_, err = c.Send(t.Context(), alert(), push.Device(device(2)))
	require.NoError(t, err, "RetryUnknownOutcome opts in")
}

func TestStallEndsWithTheContext(t *testing.T) {
	f := newFixture(t)
	f.srv.Fail(apnstest.Fault{Stall: true, Times: 1})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := f.client.Send(ctx, alert(), push.Device(device(1)))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, f.srv.Requests(), 1)
}

// TestDeadConnectionFoundByPing freezes the connection under a send: the
// server stops reading and writing, as a peer that vanished. The client's
// ping goes unanswered, so the transport drops the connection and the send
// fails long before its context ends; the next send dials anew. The pings
// are shortened here, to a second each: short against the context's minute,
// long enough that a loaded machine still answers the pings of a healthy
// connection in time. The Client's own transport pings after
// httpx.PingAfter and waits httpx.PingTimeout (see TestDefaultTransport).
func TestDeadConnectionFoundByPing(t *testing.T) {
	f := newFixture(t)
	tr := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: f.srv.RootCAs()},
		ForceAttemptHTTP2: true,
		HTTP2:             &http.HTTP2Config{SendPingTimeout: time.Second, PingTimeout: time.Second},
	}
	defer tr.CloseIdleConnections()
	c := newClient(t, f.srv, f.clock, apns.WithHTTPClient(&http.Client{Transport: tr}), apns.WithRetry(push.RetryPolicy{MaxAttempts: 1}))
	_, err := c.Send(t.Context(), alert(), push.Device(device(1)))
	require.NoError(t, err)

	f.srv.Fail(apnstest.Fault{Freeze: true, Times: 1})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	_, err = c.Send(ctx, alert(), push.Device(device(2)))
	require.ErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.NoError(t, ctx.Err(), "the ping found the dead connection, not the deadline")

	_, err = c.Send(t.Context(), alert(), push.Device(device(3)))
	require.NoError(t, err)
	assert.Equal(t, 2, f.srv.Connections())
}

func TestCancelled10000TokenSendLeavesNoGoroutine(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var seen atomic.Int64
	f.srv.Watch(func(apnstest.Request) {
		if seen.Add(1) == 500 {
			cancel()
		}
	})
	ds := devices(10000)
	r, err := f.client.Send(ctx, alert(), push.Devices(ds...))
	require.ErrorIs(t, err, push.ErrNotAttempted)
	require.Len(t, r.Results, len(ds))

	received := map[string]bool{}
	for _, req := range f.srv.Requests() {
		received[req.Token] = true
	}
	notAttempted := 0
	for i, res := range r.Results {
		require.Equal(t, ds[i], res.Handle)
		if errors.Is(res.Err, push.ErrNotAttempted) {
			notAttempted++
			assert.False(t, received[res.Handle], "a token reported not attempted reached the server")
		}
	}
	assert.Greater(t, notAttempted, 9000)

	f.client.Close()
	f.srv.Close()
	goleak.VerifyNone(t)
}

func TestNotAttemptedTokensCanBeSentAgain(t *testing.T) {
	f := newFixture(t, apns.WithConcurrency(4))
	ctx, cancel := context.WithCancel(t.Context())
	var seen atomic.Int64
	f.srv.Watch(func(apnstest.Request) {
		if seen.Add(1) == 8 {
			cancel()
		}
	})
	r, _ := f.client.Send(ctx, alert(), push.Devices(devices(100)...))
	f.srv.Watch(nil)
	var again []string
	for _, res := range r.Results {
		if errors.Is(res.Err, push.ErrNotAttempted) {
			again = append(again, res.Handle)
		}
	}
	require.NotEmpty(t, again)
	_, err := f.client.Send(t.Context(), alert(), push.Devices(again...))
	require.NoError(t, err)
}
