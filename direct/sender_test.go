package direct_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/direct"
	"github.com/pushwire/push/pushtest"
)

var start = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// driver is a fake service: it keeps every request, answers each handle as
// told, and can hold requests until released.
type driver struct {
	mu       sync.Mutex
	requests []push.Envelope
	answers  map[string][]error // per handle, one error per attempt (nil: accept); the last repeats
	attempts map[string]int
	received func()
	delay    func(i int)

	inFlight, maxInFlight atomic.Int64
	// Checker faults
	checkErr  error
	badHandle string
}

func newDriver() *driver {
	return &driver{answers: map[string][]error{}, attempts: map[string]int{}}
}

func (d *driver) Send(ctx context.Context, env *push.Envelope, i int) push.Result {
	n := d.inFlight.Add(1)
	defer d.inFlight.Add(-1)
	for {
		m := d.maxInFlight.Load()
		if n <= m || d.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	h := env.Devices[i]
	one := env.Clone()
	one.Devices = one.Devices[i : i+1]
	if one.Subscriptions != nil {
		one.Subscriptions = one.Subscriptions[i : i+1]
	}
	d.mu.Lock()
	d.requests = append(d.requests, one)
	answers := d.answers[h]
	k := d.attempts[h]
	d.attempts[h]++
	received, delay := d.received, d.delay
	d.mu.Unlock()
	if received != nil {
		received()
	}
	if delay != nil {
		delay(i)
	}
	if len(answers) > 0 {
		if err := answers[min(k, len(answers)-1)]; err != nil {
			return push.Result{Err: err}
		}
	}
	return push.Result{ID: "msg-" + h}
}

func (d *driver) attemptsOf(h string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.attempts[h]
}

// checkingDriver adds the Checker methods.
type checkingDriver struct{ *driver }

func (d checkingDriver) Check(*push.Envelope) error { return d.checkErr }

func (d checkingDriver) CheckHandle(env *push.Envelope, i int) error {
	if env.Devices[i] == d.badHandle {
		return &push.Error{Op: "fake: send", Kind: push.ErrInvalidTarget, Detail: "not a token"}
	}
	return nil
}

var caps = push.DirectCapabilities("fake", push.Apple, push.Browser)

func newSender(d direct.Driver, clock push.Clock, concurrency int) *direct.Sender {
	return direct.New(d, direct.Config{Op: "fake: send", Capabilities: caps, Clock: clock, Concurrency: concurrency,
		Retry: push.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second}})
}

func apple(t testing.TB) push.Notification {
	n, err := push.AppleNotification(`{"aps":{"alert":"hi"}}`)
	require.NoError(t, err)
	return n
}

func tokens(n int) []string {
	hs := make([]string, n)
	for i := range hs {
		hs[i] = fmt.Sprintf("%064x", i+1)
	}
	return hs
}

func unregistered() error {
	return &push.Error{Op: "fake: send", Kind: push.ErrUnregistered, StatusCode: 410}
}

func TestRefusalsComeBeforeAnyIO(t *testing.T) {
	d := newDriver()
	s := newSender(d, pushtest.NewClock(start), 0)
	ctx := context.Background()
	_, err := s.Send(ctx, apple(t), push.Tags("news"))
	assert.ErrorIs(t, err, push.ErrUnsupported)
	toast, _ := push.WindowsNotification(`<toast/>`)
	_, err = s.Send(ctx, toast, push.Device("x"))
	assert.ErrorIs(t, err, push.ErrUnsupported)
	_, err = s.Send(ctx, push.Notification{Platform: push.Apple, Body: []byte("[]")}, push.Device("x"))
	assert.ErrorIs(t, err, push.ErrInvalidNotification)
	//lint:ignore SA1012 a nil context is what this checks
	_, err = s.Send(nil, apple(t), push.Device("x")) //nolint:staticcheck
	assert.ErrorContains(t, err, "fake: send: the context is nil")
	d.checkErr = &push.Error{Op: "fake: send", Kind: push.ErrInvalidNotification, Detail: "bad topic"}
	_, err = newSender(checkingDriver{d}, nil, 0).Send(ctx, apple(t), push.Device("x"))
	assert.ErrorContains(t, err, "bad topic")
	assert.Empty(t, d.requests)
	assert.Equal(t, caps, s.Capabilities())
}

func TestAHandleCheckFailsThatHandleAlone(t *testing.T) {
	d := newDriver()
	hs := tokens(3)
	d.badHandle = hs[1]
	rec, err := newSender(checkingDriver{d}, nil, 0).Send(context.Background(), apple(t), push.Devices(hs...))
	assert.ErrorIs(t, err, push.ErrInvalidTarget)
	require.Len(t, rec.Results, 3)
	assert.True(t, rec.Results[0].Accepted())
	assert.ErrorContains(t, rec.Results[1].Err, "not a token")
	assert.True(t, rec.Results[2].Accepted())
	assert.Zero(t, d.attemptsOf(hs[1]), "the bad handle is not sent")
}

func TestOneHandle(t *testing.T) {
	d := newDriver()
	rec, err := newSender(d, nil, 0).Send(context.Background(), apple(t), push.Device("tok"))
	require.NoError(t, err)
	assert.Equal(t, "msg-tok", rec.ID)
	assert.Equal(t, []push.Result{{Handle: "tok", ID: "msg-tok"}}, rec.Results)

	d.answers["dead"] = []error{unregistered()}
	rec, err = newSender(d, nil, 0).Send(context.Background(), apple(t), push.Device("dead"))
	var pe *push.Error
	require.ErrorAs(t, err, &pe, "one handle: its own error, not a DevicesError")
	assert.ErrorIs(t, err, push.ErrUnregistered)
	assert.Empty(t, rec.ID)
	assert.Equal(t, 1, d.attemptsOf("dead"))
}

func TestResultsInInputOrderUnderConcurrency(t *testing.T) {
	d := newDriver()
	d.delay = func(i int) { time.Sleep(time.Duration((i*7919)%5) * time.Millisecond) }
	hs := tokens(200)
	rec, err := newSender(d, nil, 16).Send(context.Background(), apple(t), push.Devices(hs...))
	require.NoError(t, err)
	require.Len(t, rec.Results, len(hs))
	for i, r := range rec.Results {
		assert.Equal(t, hs[i], r.Handle)
		assert.Equal(t, "msg-"+hs[i], r.ID)
	}
	assert.LessOrEqual(t, d.maxInFlight.Load(), int64(16), "at most Concurrency requests in flight")
	assert.Greater(t, d.maxInFlight.Load(), int64(1), "requests go concurrently")
}

func TestRetriesUnderThePolicyOnTheClock(t *testing.T) {
	clock := pushtest.NewClock(start)
	d := newDriver()
	throttled := &push.Error{Op: "fake: send", Kind: push.ErrThrottled, StatusCode: 429, RetryAfter: 30 * time.Second}
	d.answers["slow"] = []error{throttled, throttled, nil}
	d.answers["dead"] = []error{unregistered()}
	d.answers["broken"] = []error{&push.Error{Op: "fake: send", Kind: push.ErrUnavailable, StatusCode: 503}}
	rec, err := newSender(d, clock, 0).Send(context.Background(), apple(t), push.Devices("slow", "dead", "broken"))
	require.Error(t, err)
	assert.True(t, rec.Results[0].Accepted())
	assert.Equal(t, 3, d.attemptsOf("slow"))
	assert.Equal(t, 1, d.attemptsOf("dead"), "a dead handle is never retried")
	assert.Equal(t, 4, d.attemptsOf("broken"), "MaxAttempts")
	var pe *push.Error
	require.ErrorAs(t, rec.Results[2].Err, &pe)
	assert.Equal(t, 4, pe.Attempts)
	assert.GreaterOrEqual(t, clock.Now().Sub(start), time.Minute, "the waits ran on the clock, honouring Retry-After")
}

func TestUnauthorizedStopsTheSend(t *testing.T) {
	d := newDriver()
	hs := tokens(50)
	refused := &push.Error{Op: "fake: send", Kind: push.ErrUnauthorized, StatusCode: 403, Code: "InvalidProviderToken"}
	for _, h := range hs {
		d.answers[h] = []error{refused}
	}
	rec, err := newSender(d, nil, 1).Send(context.Background(), apple(t), push.Devices(hs...))
	assert.ErrorIs(t, err, push.ErrUnauthorized)
	assert.ErrorIs(t, err, push.ErrNotAttempted)
	assert.ErrorIs(t, rec.Results[0].Err, push.ErrUnauthorized)
	for _, r := range rec.Results[1:] {
		assert.ErrorIs(t, r.Err, push.ErrNotAttempted)
		assert.ErrorContains(t, r.Err, "an earlier handle's credentials were refused")
	}
	assert.Len(t, d.requests, 1, "one refusal is enough")
}

// A provider whose handles span several services keeps going.
func TestContinueAfterUnauthorized(t *testing.T) {
	d := newDriver()
	hs := tokens(5)
	d.answers[hs[0]] = []error{&push.Error{Op: "fake: send", Kind: push.ErrUnauthorized, StatusCode: 403}}
	s := direct.New(d, direct.Config{Op: "fake: send", Capabilities: caps, Concurrency: 1, ContinueAfterUnauthorized: true})
	rec, err := s.Send(context.Background(), apple(t), push.Devices(hs...))
	assert.ErrorIs(t, err, push.ErrUnauthorized)
	assert.NotErrorIs(t, err, push.ErrNotAttempted)
	for _, r := range rec.Results[1:] {
		assert.True(t, r.Accepted())
	}
}

func TestCancellationMidList(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	d := newDriver()
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int64
	d.received = func() {
		if n.Add(1) == 100 {
			cancel()
		}
	}
	hs := tokens(10_000)
	rec, err := newSender(d, nil, 32).Send(ctx, apple(t), push.Devices(hs...))
	assert.ErrorIs(t, err, push.ErrNotAttempted)
	assert.ErrorIs(t, err, context.Canceled)
	require.Len(t, rec.Results, len(hs))
	notAttempted := 0
	for i, r := range rec.Results {
		assert.Equal(t, hs[i], r.Handle)
		if errors.Is(r.Err, push.ErrNotAttempted) {
			notAttempted++
			assert.Zero(t, d.attemptsOf(r.Handle), "a handle reported not attempted was not sent")
		}
	}
	assert.Greater(t, notAttempted, 9000)
}

// A send of one handle costs the direct.Sender one allocation: the Results.
func TestOneHandleAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	s := newSender(nopDriver{}, nil, 0)
	n, to, ctx := apple(t), push.Device(tokens(1)[0]), context.Background()
	assert.LessOrEqual(t, testing.AllocsPerRun(200, func() { _, _ = s.Send(ctx, n, to) }), 1.0)
}

type nopDriver struct{}

func (nopDriver) Send(context.Context, *push.Envelope, int) push.Result { return push.Result{ID: "x"} }

// harness runs the suite against a direct.Sender over the fake driver.
type harness struct {
	s *direct.Sender
	d *driver
}

func (h harness) Sender() push.Sender { return h.s }
func (h harness) Envelopes(*testing.T) []push.Envelope {
	h.d.mu.Lock()
	defer h.d.mu.Unlock()
	return append([]push.Envelope(nil), h.d.requests...)
}
func (h harness) Unregister(_ *testing.T, handle string) {
	h.d.mu.Lock()
	defer h.d.mu.Unlock()
	h.d.answers[handle] = []error{unregistered()}
}
func (h harness) Watch(_ *testing.T, received func()) {
	h.d.mu.Lock()
	defer h.d.mu.Unlock()
	h.d.received = received
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		d := newDriver()
		return harness{newSender(d, clock, 0), d}
	})
}

func BenchmarkSendDevices(b *testing.B) {
	s := newSender(nopDriver{}, nil, 0)
	n, ctx := apple(b), context.Background()
	for _, size := range []int{1, 100, 10_000} {
		to := push.Devices(tokens(size)...)
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Send(ctx, n, to); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
