package apns_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

// noJitter retries up to 4 times, waiting 1 s, 2 s, 4 s on the clock.
var noJitter = push.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: time.Minute}

// TestReasons answers with each of Apple's reasons and checks its sentinel,
// that it reaches Code, and whether it is retried.
func TestReasons(t *testing.T) {
	tests := []struct {
		status  int
		reason  string
		kind    error
		retried bool
	}{
		{400, apns.ReasonBadCollapseID, push.ErrInvalidNotification, false},
		{400, apns.ReasonBadDeviceToken, push.ErrInvalidTarget, false},
		{400, apns.ReasonBadExpirationDate, push.ErrInvalidNotification, false},
		{400, apns.ReasonBadMessageID, push.ErrInvalidNotification, false},
		{400, apns.ReasonBadPriority, push.ErrInvalidNotification, false},
		{400, apns.ReasonBadTopic, push.ErrInvalidNotification, false},
		{400, apns.ReasonDeviceTokenNotForTopic, push.ErrInvalidTarget, false},
		{400, apns.ReasonDuplicateHeaders, push.ErrInvalidNotification, false},
		{400, apns.ReasonIdleTimeout, push.ErrUnavailable, true},
		{400, apns.ReasonInvalidPushType, push.ErrInvalidNotification, false},
		{400, apns.ReasonMissingDeviceToken, push.ErrInvalidTarget, false},
		{400, apns.ReasonMissingTopic, push.ErrInvalidNotification, false},
		{400, apns.ReasonPayloadEmpty, push.ErrInvalidNotification, false},
		{400, apns.ReasonTopicDisallowed, push.ErrInvalidNotification, false},
		{400, "SomethingNew", push.ErrInvalidNotification, false},
		{403, apns.ReasonBadCertificate, push.ErrUnauthorized, false},
		{403, apns.ReasonBadCertificateEnvironment, push.ErrUnauthorized, false},
		{403, apns.ReasonForbidden, push.ErrForbidden, false},
		{403, apns.ReasonInvalidProviderToken, push.ErrUnauthorized, false},
		{403, apns.ReasonMissingProviderToken, push.ErrUnauthorized, false},
		{403, apns.ReasonUnrelatedKeyIDInToken, push.ErrUnauthorized, false},
		{403, apns.ReasonBadEnvironmentKeyInToken, push.ErrUnauthorized, false},
		{403, apns.ReasonBadEnvironmentKeyIDInToken, push.ErrUnauthorized, false},
		{404, apns.ReasonBadPath, push.ErrInvalidTarget, false},
		{405, apns.ReasonMethodNotAllowed, nil, false},
		{410, apns.ReasonExpiredToken, push.ErrUnregistered, false},
		{410, apns.ReasonUnregistered, push.ErrUnregistered, false},
		{413, apns.ReasonPayloadTooLarge, push.ErrPayloadTooLarge, false},
		{429, apns.ReasonTooManyProviderTokenUpdates, push.ErrThrottled, true},
		{429, apns.ReasonTooManyRequests, push.ErrThrottled, true},
		{500, apns.ReasonInternalServerError, push.ErrUnavailable, true},
		{502, "", push.ErrUnavailable, true},
		{503, apns.ReasonServiceUnavailable, push.ErrUnavailable, true},
		{503, apns.ReasonShutdown, push.ErrUnavailable, true},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			f := newFixture(t, apns.WithRetry(push.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second}))
			f.srv.Fail(apnstest.Fault{Status: tt.status, Reason: tt.reason})
			_, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
			var e *push.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.status, e.StatusCode)
			if tt.kind == nil {
				assert.Nil(t, e.Kind)
			} else {
				assert.ErrorIs(t, err, tt.kind)
			}
			if tt.reason != "" {
				assert.Equal(t, tt.reason, e.Code)
			}
			assert.NotEmpty(t, e.TrackingID, "the apns-unique-id (sandbox) or apns-id of the answer")
			want := 1
			if tt.retried {
				want = 2
			}
			assert.Len(t, f.srv.Requests(), want, "retried only when throttled or unavailable")
		})
	}
}

func TestUnregisteredTokenReportedWithItsTimestampAndNotRetried(t *testing.T) {
	f := newFixture(t)
	dead := device(2)
	at := time.Date(2029, 12, 25, 8, 30, 0, 123e6, time.UTC)
	f.srv.Unregister(dead, at)
	r, err := f.client.Send(t.Context(), alert(), push.Devices(device(1), dead, device(3)))
	require.ErrorIs(t, err, push.ErrUnregistered)
	var de *push.DevicesError
	require.ErrorAs(t, err, &de)
	require.Len(t, de.Failed, 1)
	require.Len(t, r.Results, 3)
	res := r.Results[1]
	assert.Equal(t, dead, res.Handle)
	assert.True(t, res.Unregistered())
	assert.Equal(t, at, res.UnregisteredAt, "Apple's timestamp is in milliseconds")
	var e *push.Error
	require.ErrorAs(t, res.Err, &e)
	assert.Equal(t, apns.ReasonUnregistered, e.Code)
	assert.True(t, r.Results[0].Accepted())
	assert.True(t, r.Results[2].Accepted())
	count := 0
	for _, req := range f.srv.Requests() {
		if req.Token == dead {
			count++
		}
	}
	assert.Equal(t, 1, count, "a dead token is never retried")
	assert.Empty(t, f.clock.Sleeps(), "nothing waited to retry")
}

func TestExpiredDeviceTokenIsUnregistered(t *testing.T) {
	f := newFixture(t)
	f.srv.Expire(device(1))
	r, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	require.ErrorIs(t, err, push.ErrUnregistered)
	assert.Equal(t, t0, r.Results[0].UnregisteredAt)
}

func TestBadDeviceTokenNamesTheEnvironment(t *testing.T) {
	f := newFixture(t)
	f.srv.MarkBad(device(1))
	_, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	require.ErrorIs(t, err, push.ErrInvalidTarget)
	assert.Contains(t, err.Error(), "wrong environment")
	assert.Len(t, f.srv.Requests(), 1)
}

func TestThrottledIsRetriedWithBackoffOnTheClock(t *testing.T) {
	f := newFixture(t, apns.WithRetry(noJitter))
	f.srv.Fail(apnstest.Fault{Status: 429, Times: 2})
	r, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	require.NoError(t, err)
	assert.NotEmpty(t, r.ID)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, f.clock.Sleeps())
	var statuses []int
	for _, req := range f.srv.Requests() {
		statuses = append(statuses, req.Status)
	}
	assert.Equal(t, []int{429, 429, 200}, statuses)
}

func TestThrottledUntilAttemptsRunOut(t *testing.T) {
	f := newFixture(t, apns.WithRetry(noJitter))
	f.srv.Fail(apnstest.Fault{Status: 429})
	_, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	var e *push.Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, push.ErrThrottled)
	assert.Equal(t, 4, e.Attempts)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, f.clock.Sleeps())
}

func TestShutdownIsRetried(t *testing.T) {
	f := newFixture(t, apns.WithRetry(noJitter))
	f.srv.Fail(apnstest.Fault{Status: 503, Reason: "Shutdown", Times: 1})
	_, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	require.NoError(t, err)
	assert.Len(t, f.srv.Requests(), 2)
}

func TestUnauthorizedStopsTheSend(t *testing.T) {
	f := newFixture(t, apns.WithConcurrency(1))
	f.srv.Fail(apnstest.Fault{Status: 403, Reason: "InvalidProviderToken"})
	r, err := f.client.Send(t.Context(), alert(), push.Devices(devices(10)...))
	require.ErrorIs(t, err, push.ErrUnauthorized)
	assert.ErrorIs(t, r.Results[0].Err, push.ErrUnauthorized)
	for _, res := range r.Results[1:] {
		assert.ErrorIs(t, res.Err, push.ErrNotAttempted)
	}
	assert.Len(t, f.srv.Requests(), 1)
}

func TestParseReason(t *testing.T) {
	tests := []struct {
		body   string
		reason string
		at     time.Time
	}{
		{`{"reason":"BadDeviceToken"}`, "BadDeviceToken", time.Time{}},
		{`{"reason":"Unregistered","timestamp":1893456000123}`, "Unregistered", time.UnixMilli(1893456000123).UTC()},
		{` {"reason":"Shutdown"} `, "Shutdown", time.Time{}},
		{``, "", time.Time{}},
		{`<html>bad gateway</html>`, "", time.Time{}},
		{`{"reason":"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJUIn0.c2ln"}`, "", time.Time{}},
		{`{"reason":"Bad Token"}`, "", time.Time{}},
		{`{"reason":"Unregistered","timestamp":-5}`, "Unregistered", time.Time{}},
	}
	for _, tt := range tests {
		reason, at := apns.ParseReason([]byte(tt.body))
		assert.Equal(t, tt.reason, reason, tt.body)
		assert.Equal(t, tt.at, at, tt.body)
	}
}

func TestErrorsMatchTheSentinelsOnly(t *testing.T) {
	f := newFixture(t)
	f.srv.Fail(apnstest.Fault{Status: 413})
	_, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	assert.ErrorIs(t, err, push.ErrPayloadTooLarge)
	assert.ErrorIs(t, err, push.ErrInvalidNotification)
	assert.False(t, errors.Is(err, push.ErrUnavailable))
}
