package push_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/pushwire/push"
)

// fanOutSender is a small fake Sender: it renders like a provider, records what
// it sent, fails the platforms told to, and can wait until a number of sends are
// in flight at once (to prove concurrency) or until ctx ends.
type fanOutSender struct {
	fail     map[push.Platform]error
	block    bool // wait for ctx to end, then fail with its error
	together int  // wait until this many sends are in flight (0: do not wait)

	mu       sync.Mutex
	sent     []push.Platform
	inFlight int
	release  chan struct{}
}

func (s *fanOutSender) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if _, err := push.Render(n, to); err != nil {
		return push.Receipt{}, err
	}
	if err := s.wait(ctx); err != nil {
		return push.Receipt{}, err
	}
	s.mu.Lock()
	s.sent = append(s.sent, n.Platform)
	s.mu.Unlock()
	if err := s.fail[n.Platform]; err != nil {
		return push.Receipt{}, err
	}
	return push.Receipt{ID: "id-" + string(n.Platform)}, nil
}

func (s *fanOutSender) wait(ctx context.Context) error {
	if s.block {
		<-ctx.Done()
		return ctx.Err()
	}
	if s.together == 0 {
		return nil
	}
	s.mu.Lock()
	s.inFlight++
	if s.inFlight == s.together {
		close(s.release)
	}
	s.mu.Unlock()
	select {
	case <-s.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *fanOutSender) sentPlatforms() []push.Platform {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]push.Platform(nil), s.sent...)
}

var fanOutAlert = push.Alert{Title: "Order shipped", Body: "Your order #42 is on its way"}

func TestFanOutAllSucceed(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	platforms := []push.Platform{push.Windows, push.Apple, push.FCMV1, push.Template}
	s := &fanOutSender{together: len(platforms), release: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	results := push.FanOut(ctx, s, fanOutAlert, push.Tags("user_42"), platforms...)

	require.Len(t, results, len(platforms))
	for i, r := range results {
		assert.Equal(t, platforms[i], r.Platform, "results come in the order given")
		require.NoError(t, r.Err, r.Platform)
		assert.Equal(t, "id-"+string(platforms[i]), r.Receipt.ID)
	}
	assert.NoError(t, results.Err())
	assert.ElementsMatch(t, platforms, s.sentPlatforms(), "every platform was sent, all at once")
}

func TestFanOutOnePlatformFails(t *testing.T) {
	throttled := &push.Error{Op: "fake: send", Kind: push.ErrThrottled, StatusCode: 429}
	s := &fanOutSender{fail: map[push.Platform]error{push.Windows: throttled}}

	results := push.FanOut(context.Background(), s, fanOutAlert, push.Broadcast(), push.Apple, push.Windows, push.FCMV1)

	require.Len(t, results, 3)
	assert.NoError(t, results[0].Err)
	assert.Equal(t, "id-apple", results[0].Receipt.ID)
	assert.ErrorIs(t, results[1].Err, push.ErrThrottled)
	assert.Zero(t, results[1].Receipt)
	assert.NoError(t, results[2].Err)

	err := results.Err()
	require.Error(t, err, "a partial failure is a failure")
	assert.ErrorIs(t, err, push.ErrThrottled)
	var fe *push.FanOutError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 3, fe.Total)
	require.Len(t, fe.Failed, 1)
	assert.Equal(t, push.Windows, fe.Failed[0].Platform)
	assert.Equal(t, "push: fan-out failed on 1 of 3 platforms: windows: fake: send: throttled (HTTP 429)", err.Error())
}

func TestFanOutRenderingErrorsAreNotSent(t *testing.T) {
	s := &fanOutSender{}
	a := push.Alert{Body: "no title", CollapseKey: "a-collapse-key-of-26-chars"}

	results := push.FanOut(context.Background(), s, a, push.Broadcast(), push.Apple, push.Browser, push.Windows, push.Xiaomi, "symbian")

	require.Len(t, results, 5)
	assert.NoError(t, results[0].Err)
	for _, r := range results[1:] {
		assert.ErrorIs(t, r.Err, push.ErrInvalidNotification, r.Platform)
	}
	assert.Contains(t, results[1].Err.Error(), "Alert as browser: WebPush.Title is empty")
	assert.Contains(t, results[2].Err.Error(), "Alert as windows: WNSToast.Tag")
	assert.Equal(t, []push.Platform{push.Apple}, s.sentPlatforms())

	err := results.Err()
	assert.ErrorContains(t, err, "fan-out failed on 4 of 5 platforms: browser: ")
	assert.ErrorContains(t, err, "; symbian: ")
}

func TestFanOutPlatformListedTwiceIsSentOnce(t *testing.T) {
	s := &fanOutSender{}
	results := push.FanOut(context.Background(), s, fanOutAlert, push.Broadcast(), push.Apple, push.Apple)
	require.Len(t, results, 2)
	assert.NoError(t, results[0].Err)
	assert.ErrorIs(t, results[1].Err, push.ErrInvalidNotification)
	assert.ErrorContains(t, results[1].Err, "platform apple is listed twice")
	assert.Equal(t, []push.Platform{push.Apple}, s.sentPlatforms())
}

func TestFanOutTargetErrorsComeFromTheSender(t *testing.T) {
	s := &fanOutSender{}
	results := push.FanOut(context.Background(), s, fanOutAlert, push.Device("token"), push.Apple, push.Template)
	assert.NoError(t, results[0].Err)
	assert.ErrorIs(t, results[1].Err, push.ErrInvalidTarget, "a template cannot go to a device handle")
}

func TestFanOutContextCancelledBefore(t *testing.T) {
	s := &fanOutSender{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	results := push.FanOut(ctx, s, fanOutAlert, push.Broadcast(), push.Apple, push.FCMV1)

	for _, r := range results {
		assert.ErrorIs(t, r.Err, context.Canceled, r.Platform)
	}
	assert.Empty(t, s.sentPlatforms(), "nothing is sent once ctx has ended")
	assert.ErrorIs(t, results.Err(), context.Canceled)
}

func TestFanOutContextCancelledDuringSends(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	s := &fanOutSender{block: true}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan push.FanOutResults)
	go func() {
		done <- push.FanOut(ctx, s, fanOutAlert, push.Broadcast(), push.Apple, push.FCMV1, push.Windows)
	}()

	select {
	case <-done:
		t.Fatal("FanOut returned before its sends ended")
	case <-time.After(20 * time.Millisecond):
	}
	cancel()
	results := <-done
	require.Len(t, results, 3)
	for _, r := range results {
		assert.ErrorIs(t, r.Err, context.Canceled, r.Platform)
	}
}

func TestFanOutEdgeCases(t *testing.T) {
	results := push.FanOut(context.Background(), &fanOutSender{}, fanOutAlert, push.Broadcast())
	assert.Empty(t, results)
	assert.NoError(t, results.Err())

	results = push.FanOut(context.Background(), nil, fanOutAlert, push.Broadcast(), push.Apple)
	require.Len(t, results, 1)
	assert.ErrorContains(t, results[0].Err, "push.FanOut needs a Sender")
}

func TestFanOutErrorUnwrapsEachPlatform(t *testing.T) {
	notFound := &push.Error{Kind: push.ErrNotFound}
	err := push.FanOutResults{
		{Platform: push.Apple},
		{Platform: push.Windows, Err: notFound},
		{Platform: push.ADM, Err: context.DeadlineExceeded},
	}.Err()
	assert.ErrorIs(t, err, push.ErrNotFound)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Same(t, notFound, pe)
	assert.False(t, errors.Is(err, push.ErrThrottled))
}
