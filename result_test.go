package push_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestResultsError(t *testing.T) {
	dead := &push.Error{Op: "apns: send", Kind: push.ErrUnregistered, StatusCode: 410, Detail: "Unregistered"}
	slow := &push.Error{Op: "apns: send", Kind: push.ErrThrottled, StatusCode: 429, RetryAfter: 2 * time.Second}
	ok := func(h string) push.Result { return push.Result{Handle: h, ID: "id-" + h} }

	assert.NoError(t, push.ResultsError("apns: send", nil))
	assert.NoError(t, push.ResultsError("apns: send", []push.Result{ok("a"), ok("b")}))

	one := push.ResultsError("apns: send", []push.Result{{Handle: "a", Err: dead}})
	assert.Same(t, dead, one, "a target of one handle gets that handle's own error")

	err := push.ResultsError("apns: send", []push.Result{ok("a"), {Handle: "b", Err: dead}, {Handle: "c", Err: slow}, {Handle: "d", Err: dead}, ok("e")})
	var de *push.DevicesError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 5, de.Total)
	require.Len(t, de.Failed, 3)
	assert.Equal(t, []string{"b", "c", "d"}, []string{de.Failed[0].Handle, de.Failed[1].Handle, de.Failed[2].Handle})
	assert.ErrorIs(t, err, push.ErrUnregistered)
	assert.ErrorIs(t, err, push.ErrThrottled)
	assert.NotErrorIs(t, err, push.ErrUnavailable)
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Same(t, dead, pe, "errors.As finds the first failure")
	assert.EqualError(t, err, "apns: send: 3 of 5 device handles failed: 2 device handle unregistered, 1 throttled; first: apns: send: device handle unregistered: Unregistered (HTTP 410)")
	assert.NotContains(t, err.Error(), `"b"`, "the message names no handle")
}

func TestDevicesErrorCountsOtherErrors(t *testing.T) {
	err := push.ResultsError("", []push.Result{{Handle: "a", Err: errors.New("boom")}, {Handle: "b", Err: context.Canceled}})
	assert.EqualError(t, err, "2 of 2 device handles failed: 2 other error; first: boom")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestResultAccessors(t *testing.T) {
	assert.True(t, push.Result{ID: "x"}.Accepted())
	dead := push.Result{Err: &push.Error{Kind: push.ErrUnregistered}}
	assert.False(t, dead.Accepted())
	assert.True(t, dead.Unregistered())
	assert.False(t, push.Result{Err: &push.Error{Kind: push.ErrThrottled}}.Unregistered())
}

func TestReceiptCloneCopiesResults(t *testing.T) {
	r := push.Receipt{Results: []push.Result{{Handle: "a"}}}
	c := r.Clone()
	c.Results[0].Handle = "changed"
	assert.Equal(t, "a", r.Results[0].Handle)
}

func TestNewSentinels(t *testing.T) {
	unsupported := &push.Error{Op: "apns: send", Kind: push.ErrUnsupported}
	assert.ErrorIs(t, unsupported, errors.ErrUnsupported, "push.ErrUnsupported also matches errors.ErrUnsupported")
	assert.False(t, push.Retryable(unsupported))
	assert.False(t, push.Retryable(&push.Error{Kind: push.ErrUnregistered}), "a dead handle is never retried")
	assert.False(t, push.DefaultRetryPolicy().ShouldRetry(&push.Error{Kind: push.ErrUnregistered}))
	assert.False(t, push.Retryable(&push.Error{Kind: push.ErrNotAttempted}), "its context ended: retrying within the send is pointless")
}

func TestCheckContext(t *testing.T) {
	assert.NoError(t, push.CheckContext(context.Background(), "x: send"))
	//lint:ignore SA1012 a nil context is what this checks
	err := push.CheckContext(nil, "x: send") //nolint:staticcheck
	assert.EqualError(t, err, "x: send: the context is nil; pass context.Background() or the caller's context")
}
