package azurenh

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
	"github.com/pushwire/push/pushtest"
)

// appleNote is a small Apple notification for the fault tests.
func appleNote() push.Notification { return must(push.AppleNotification(`{"aps":{"alert":"hi"}}`)) }

// pushError returns the *push.Error in err, failing the test if there is none.
func pushError(t *testing.T, err error) *push.Error {
	t.Helper()
	var e *push.Error
	require.ErrorAs(t, err, &e)
	return e
}

// steadyRetry is a policy without jitter, so that waits are exact.
var steadyRetry = push.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: time.Minute}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	rec, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
		if n == 1 {
			return errorResponse(http.StatusTooManyRequests, "The request was throttled.", map[string]string{"Retry-After": "7"})
		}
		return created(n, c)
	})
	c, clock := newTestClient(t, mock, WithRetry(steadyRetry))

	r, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{7 * time.Second}, clock.Sleeps(), "the wait is the longer of the backoff (1s) and Retry-After (7s)")
	reqs := rec.requests()
	require.Len(t, reqs, 2)
	assert.NotEqual(t, reqs[0].header.Get("TrackingId"), reqs[1].header.Get("TrackingId"), "each attempt has a fresh tracking ID")
	assert.Equal(t, reqs[1].header.Get("TrackingId"), r.TrackingID)
	assert.Equal(t, "1002", r.ID)
}

func TestRetryAfterDateIsReadOnTheClock(t *testing.T) {
	_, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
		if n == 1 {
			return errorResponse(http.StatusTooManyRequests, "The request was throttled.",
				map[string]string{"Retry-After": clientStart.Add(30 * time.Second).Format(http.TimeFormat)})
		}
		return created(n, c)
	})
	c, clock := newTestClient(t, mock, WithRetry(steadyRetry))

	_, err := c.Send(context.Background(), appleNote(), push.Broadcast())
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{30 * time.Second}, clock.Sleeps())
}

func TestUnavailableGivesUpAfterTheAttempts(t *testing.T) {
	rec, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
		return errorResponse(http.StatusServiceUnavailable, "The service is busy.", map[string]string{"TrackingId": c.header.Get("TrackingId")})
	})
	policy := steadyRetry
	policy.MaxAttempts = 3
	c, clock := newTestClient(t, mock, WithRetry(policy))

	_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.ErrorIs(t, err, push.ErrUnavailable)
	e := pushError(t, err)
	assert.Equal(t, 3, e.Attempts)
	assert.Equal(t, http.StatusServiceUnavailable, e.StatusCode)
	assert.Equal(t, "azurenh: send", e.Op)
	assert.Equal(t, "503", e.Code)
	assert.Contains(t, e.Detail, "The service is busy.")
	reqs := rec.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, reqs[2].header.Get("TrackingId"), e.TrackingID, "the error is the last attempt's")
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, clock.Sleeps(), "exponential backoff")
}

// TestStatusErrors checks the mapping of each error status, and which are
// retried.
func TestStatusErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		header   map[string]string
		kind     error
		notKind  error
		retried  bool
		contains string
	}{
		{name: "400", status: 400, body: errorDoc(400, "The content type for a 'apple' notification must be 'application/json'."),
			kind: push.ErrInvalidNotification, notKind: push.ErrInvalidTarget, contains: "must be 'application/json'"},
		{name: "400 tags", status: 400, body: errorDoc(400, "An invalid tag(s) 'a b' was supplied. Valid tag characters are alphanumeric, _, @, -, ., : and #."),
			kind: push.ErrInvalidTarget, contains: "invalid tag(s)"},
		{name: "401", status: 401, body: errorDoc(401, "InvalidSignature: The token has an invalid signature."),
			kind: push.ErrUnauthorized, contains: "SharedAccessKey"},
		{name: "403 without Retry-After", status: 403, body: errorDoc(403, "The rule lacks the claim."),
			kind: push.ErrForbidden, contains: "lacks the right"},
		{name: "403 tier", status: 403, body: errorDoc(403, "Scheduled notifications are not available for your tier (Free)."),
			kind: push.ErrForbidden, contains: "not available for your tier"},
		{name: "403 with Retry-After", status: 403, body: errorDoc(403, "Quota exceeded."), header: map[string]string{"Retry-After": "2"},
			kind: push.ErrThrottled, retried: true},
		{name: "404", status: 404, body: errorDoc(404, "The messaging entity 'myhub' could not be found."), kind: push.ErrNotFound},
		{name: "408", status: 408, kind: push.ErrUnavailable, retried: true},
		{name: "413", status: 413, body: errorDoc(413, "The request is too large."), kind: push.ErrPayloadTooLarge},
		{name: "429", status: 429, kind: push.ErrThrottled, retried: true},
		{name: "500", status: 500, kind: push.ErrUnavailable, retried: true},
		{name: "502", status: 502, kind: push.ErrOutcomeUnknown, contains: "may have taken effect"},
		{name: "503", status: 503, kind: push.ErrUnavailable, retried: true},
		{name: "504", status: 504, kind: push.ErrUnavailable, retried: true},
		{name: "empty body", status: 400, kind: push.ErrInvalidNotification, contains: "refused the request"},
		{name: "malformed body", status: 400, body: "<html><body><h1>Bad\x00 Request</h1></body></html>",
			kind: push.ErrInvalidNotification, contains: "<html><body><h1>Bad\x00 Request</h1></body></html>"},
		{name: "401 missing claim", status: 401, body: errorDoc(401, "Send claim is required for this operation."),
			kind: push.ErrUnauthorized, contains: "lacks the Send right"},
		{name: "401 expired", status: 401, body: errorDoc(401, "ExpiredToken: The token is expired."),
			kind: push.ErrUnauthorized, contains: "clock"},
		{name: "truncated error document", status: 401, body: "<Error><Code>401</Code><Detail>Expired",
			kind: push.ErrUnauthorized, contains: "<Error><Code>401</Code><Detail>Expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, mock := newRecorder(func(int, captured) (*http.Response, error) { return respond(tt.status, tt.body, tt.header) })
			c, _ := newTestClient(t, mock, WithRetry(steadyRetry))

			_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
			require.ErrorIs(t, err, tt.kind)
			if tt.notKind != nil {
				assert.NotErrorIs(t, err, tt.notKind)
			}
			e := pushError(t, err)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Equal(t, "azurenh: send", e.Op)
			assert.NotEmpty(t, e.TrackingID)
			assert.Contains(t, e.Error(), "HTTP ")
			if tt.contains != "" {
				assert.Contains(t, e.Detail, tt.contains)
			}
			want := 1
			if tt.retried {
				want = steadyRetry.MaxAttempts
			}
			assert.Len(t, rec.requests(), want)
			assert.NotContains(t, err.Error(), clientKey)
		})
	}
}

// errorDoc is the service's error document.
func errorDoc(status int, detail string) string {
	return "<Error><Code>" + strconv.Itoa(status) + "</Code><Detail>" + detail + " TrackingId:c0ffee00-0000-0000-0000-000000000001,TimeStamp:1/2/2030 3:04:05 AM</Detail></Error>"
}

func TestErrorTrackingIDFromDetail(t *testing.T) {
	_, mock := newRecorder(func(int, captured) (*http.Response, error) {
		return respond(http.StatusNotFound, errorDoc(404, "Not found."), nil)
	})
	c, _ := newTestClient(t, mock)
	_, err := c.Send(context.Background(), appleNote(), push.Broadcast())
	assert.Equal(t, "c0ffee00-0000-0000-0000-000000000001", pushError(t, err).TrackingID,
		"without a TrackingId header, the one in the detail identifies the request")
}

// resetAfterRead is a handler that reads the whole request, then resets the
// connection without answering: the request was delivered, the outcome is
// unknown to the client. With ok set, requests after the first succeed.
func resetAfterRead(t *testing.T, n *atomic.Int64, ok bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if n.Add(1) > 1 && ok {
			w.Header().Set("Location", "https://example/myhub/messages/77?api-version=2020-06")
			w.WriteHeader(http.StatusCreated)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		if tcp, ok := conn.(interface{ NetConn() net.Conn }); ok {
			if c, ok := tcp.NetConn().(*net.TCPConn); ok {
				c.SetLinger(0) // close with RST
			}
		}
		conn.Close()
	}
}

// serverClient returns a Client for the TLS server srv, and closes the idle
// connections of its transport when the test ends.
func serverClient(t *testing.T, srv *httptest.Server, opts ...Option) (*Client, *pushtest.Clock) {
	t.Helper()
	hc := srv.Client()
	t.Cleanup(hc.CloseIdleConnections)
	clock := pushtest.NewClock(clientStart)
	conn := "Endpoint=sb://" + srv.Listener.Addr().String() + "/;SharedAccessKeyName=" + clientKeyName + ";SharedAccessKey=" + clientKey
	all := append([]Option{WithHTTPClient(hc), WithClock(clock), WithIDs(seqIDs())}, opts...)
	c, err := New(conn, clientHub, all...)
	require.NoError(t, err)
	return c, clock
}

func TestConnectionResetAfterWriteIsUnknownAndNotRetried(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewTLSServer(resetAfterRead(t, &n, true))
	defer srv.Close()
	c, clock := serverClient(t, srv, WithRetry(steadyRetry))

	_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.ErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, push.ErrUnavailable, "an unknown outcome is a kind of unavailability")
	e := pushError(t, err)
	assert.Contains(t, e.Detail, "after the request was sent")
	assert.EqualValues(t, 1, n.Load(), "a send that may have reached the service is not repeated")
	assert.Empty(t, clock.Sleeps())
}

func TestConnectionResetAfterWriteRetriedWhenAllowed(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewTLSServer(resetAfterRead(t, &n, true))
	defer srv.Close()
	policy := steadyRetry
	policy.RetryUnknownOutcome = true
	c, _ := serverClient(t, srv, WithRetry(policy))

	r, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.NoError(t, err)
	assert.Equal(t, "77", r.ID)
	assert.EqualValues(t, 2, n.Load())
}

func TestCancelRetriesUnknownOutcome(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewTLSServer(resetAfterRead(t, &n, true))
	defer srv.Close()
	c, _ := serverClient(t, srv, WithRetry(steadyRetry))

	require.NoError(t, c.Cancel(context.Background(), "42"), "cancel is idempotent: an unknown outcome is retried")
	assert.EqualValues(t, 2, n.Load())
}

func TestDialFailureIsRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now

	tr := httpx.NewTransport(nil)
	defer tr.CloseIdleConnections()
	clock := pushtest.NewClock(clientStart)
	conn := "Endpoint=sb://" + addr + "/;SharedAccessKeyName=" + clientKeyName + ";SharedAccessKey=" + clientKey
	c, err := New(conn, clientHub, WithHTTPClient(&http.Client{Transport: tr}), WithClock(clock), WithRetry(steadyRetry))
	require.NoError(t, err)

	_, err = c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.ErrorIs(t, err, push.ErrUnavailable)
	assert.NotErrorIs(t, err, push.ErrOutcomeUnknown, "a request that was never written cannot have taken effect")
	e := pushError(t, err)
	assert.Equal(t, steadyRetry.MaxAttempts, e.Attempts)
	assert.Equal(t, "the request could not be sent", e.Detail)
	assert.Len(t, clock.Sleeps(), steadyRetry.MaxAttempts-1)
	assert.NotContains(t, err.Error(), clientKey)
}

func TestCancelledDuringBackoff(t *testing.T) {
	rec, mock := newRecorder(func(int, captured) (*http.Response, error) {
		return errorResponse(http.StatusServiceUnavailable, "Busy.", nil)
	})
	c, clock := newTestClient(t, mock, WithRetry(steadyRetry))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock.OnSleep(func(time.Duration) { cancel() })

	_, err := c.Send(ctx, appleNote(), push.Tags("sports"))
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, push.ErrUnavailable, "the error keeps the last attempt's")
	assert.Len(t, rec.requests(), 1, "no attempt after the context ended")
}

func TestSlowServerMeetsTheDeadline(t *testing.T) {
	var n atomic.Int64
	release := make(chan struct{})
	ctx := newArrivalDeadline()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		io.Copy(io.Discard, r.Body)
		ctx.expire() // the deadline passes once the request is on the server
		// Answers only after Send returned. Waiting on r.Context() instead
		// let a closing client race the handler's implicit answer.
		<-release
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	defer close(release)
	c, _ := serverClient(t, srv, WithRetry(steadyRetry))

	start := time.Now()
	r, err := c.Send(ctx, appleNote(), push.Tags("sports"))
	require.ErrorIs(t, err, context.DeadlineExceeded, "receipt %+v after %d requests", r, n.Load())
	assert.ErrorIs(t, err, push.ErrOutcomeUnknown, "the request was written, so it may have been acted on")
	assert.EqualValues(t, 1, n.Load())
	assert.Less(t, time.Since(start), 10*time.Second, "Send returns when the deadline passes")
}

func TestTransportErrorBeforeWriteIsRetried(t *testing.T) {
	var calls atomic.Int64
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) {
		calls.Add(1)
		return nil, errors.New("dial tcp: connection refused")
	})
	c, _ := newTestClient(t, rt, WithRetry(steadyRetry))
	_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.ErrorIs(t, err, push.ErrUnavailable)
	assert.NotErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.EqualValues(t, steadyRetry.MaxAttempts, calls.Load())
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// arrivalDeadline is a context whose deadline passes when the test says so,
// not on a timer: a timer short enough for a quick test could pass before a
// loaded machine has even dialed, and the test would check the wrong thing.
type arrivalDeadline struct {
	context.Context
	once sync.Once
	done chan struct{}
}

func newArrivalDeadline() *arrivalDeadline {
	return &arrivalDeadline{Context: context.Background(), done: make(chan struct{})}
}

func (d *arrivalDeadline) expire() { d.once.Do(func() { close(d.done) }) }

func (d *arrivalDeadline) Deadline() (time.Time, bool) { return time.Now().Add(time.Hour), true }

func (d *arrivalDeadline) Done() <-chan struct{} { return d.done }

func (d *arrivalDeadline) Err() error {
	select {
	case <-d.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
