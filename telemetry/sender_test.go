package telemetry_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
	"github.com/pushwire/push/telemetry"
)

func TestNewRefusesNil(t *testing.T) {
	for name, tc := range map[string]struct {
		next push.Sender
		opt  telemetry.Option
	}{
		"sender":          {nil, telemetry.WithClock(push.SystemClock())},
		"tracer provider": {memory.New(), telemetry.WithTracerProvider(nil)},
		"meter provider":  {memory.New(), telemetry.WithMeterProvider(nil)},
		"clock":           {memory.New(), telemetry.WithClock(nil)},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := telemetry.New(tc.next, tc.opt)
			var e *push.Error
			if s != nil || !errors.As(err, &e) || e.Op != "telemetry: new" {
				t.Errorf("New with a nil %s = %v, %v; want a *push.Error of Op telemetry: new", name, s, err)
			}
		})
	}
}

// TestDefaultsToTheGlobalProviders: without options New uses the global
// providers, which do nothing until a program installs an SDK.
func TestDefaultsToTheGlobalProviders(t *testing.T) {
	mem := memory.New()
	s, err := telemetry.New(mem)
	require.NoError(t, err)
	_, err = s.Send(t.Context(), apple(t), push.Tags("weather"))
	require.NoError(t, err)
	assert.Equal(t, 1, mem.Len())
}

func TestForwards(t *testing.T) {
	mem := memory.New()
	s := newRig(t).wrap(t, mem)
	assert.Same(t, mem, s.Unwrap())
	assert.True(t, s.CanSchedule())
	assert.Equal(t, "telemetry over memory", s.String())
	assert.Equal(t, "telemetry over memory", fmt.Sprint(s))
	caps := s.Capabilities()
	want := mem.Capabilities()
	want.Provider = "telemetry over memory"
	assert.Equal(t, want, caps)

	r, err := s.Send(t.Context(), apple(t), push.Tags("weather"))
	require.NoError(t, err)
	assert.Equal(t, "memory-1", r.ID, "the wrapped Sender's Receipt, unchanged")
	at := time.Now().Add(time.Hour)
	r, err = s.Schedule(t.Context(), apple(t), push.Tags("weather"), at)
	require.NoError(t, err)
	assert.Len(t, mem.Pending(), 1)
	require.NoError(t, s.Cancel(t.Context(), r.ID))
	assert.Empty(t, mem.Pending())
}

// plain is a Sender that is neither a push.Scheduler nor push.Capable.
type plain struct{ ctx chan context.Context }

func (p plain) Send(ctx context.Context, _ push.Notification, _ push.Target) (push.Receipt, error) {
	p.ctx <- ctx
	return push.Receipt{}, push.CheckContext(ctx, "plain: send")
}

func TestOverAPlainSender(t *testing.T) {
	r := newRig(t)
	s := r.wrap(t, plain{})
	assert.False(t, s.CanSchedule())
	assert.Equal(t, push.Capabilities{}, s.Capabilities(), "nothing declared, nothing forwarded")
	_, err := s.Schedule(t.Context(), apple(t), push.Tags("weather"), time.Now())
	assert.ErrorIs(t, err, push.ErrUnsupported)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	assert.ErrorIs(t, s.Cancel(t.Context(), "x"), push.ErrUnsupported)
	want := []spanSummary{
		{"push.schedule", "Error: unsupported", "error.type=unsupported push.operation=schedule push.platform=apple push.provider=unknown push.target.kind=tags"},
		{"push.cancel", "Error: unsupported", "error.type=unsupported push.operation=cancel push.provider=unknown"},
	}
	assert.Equal(t, want, summarize(r.spans.Ended()))
}

func TestCanScheduleAsksTheWrappedSender(t *testing.T) {
	s := newRig(t).wrap(t, recorder.New(plain{}))
	assert.False(t, s.CanSchedule(), "a recorder over a Sender that cannot schedule")
}

// TestWrappedSenderGetsTheSpan: the context the wrapped Sender gets
// carries the send's span, a child of the caller's.
func TestWrappedSenderGetsTheSpan(t *testing.T) {
	r := newRig(t)
	p := plain{ctx: make(chan context.Context, 1)}
	s := r.wrap(t, p)
	ctx, parent := r.tp.Tracer("test").Start(t.Context(), "caller")
	_, err := s.Send(ctx, apple(t), push.Tags("weather"))
	require.NoError(t, err)
	parent.End()
	got := trace.SpanContextFromContext(<-p.ctx)
	spans := r.spans.Ended()
	require.Len(t, spans, 2)
	assert.Equal(t, spans[0].SpanContext(), got, "the wrapped Sender's context carries the push.send span")
	assert.Equal(t, parent.SpanContext().SpanID(), spans[0].Parent().SpanID(), "push.send is a child of the caller's span")
}

// TestNilContext: a nil context reaches the wrapped Sender as nil, so it
// reports the programming error itself, and the call is still reported.
func TestNilContext(t *testing.T) {
	r := newRig(t)
	p := plain{ctx: make(chan context.Context, 1)}
	s := r.wrap(t, p)
	var ctx context.Context // nil: what a caller's bug passes
	_, err := s.Send(ctx, apple(t), push.Tags("weather"))
	require.Error(t, err)
	assert.Nil(t, <-p.ctx)
	want := []spanSummary{{"push.send", "Error: _OTHER", "error.type=_OTHER push.operation=send push.platform=apple push.provider=unknown push.target.kind=tags"}}
	assert.Equal(t, want, summarize(r.spans.Ended()))
}

func TestInvalidPlatformAndTarget(t *testing.T) {
	r := newRig(t)
	s := r.wrap(t, memory.New())
	_, err := s.Send(t.Context(), push.Notification{Platform: "bogus-" + marker, Body: []byte("{}")}, push.Target{})
	require.Error(t, err)
	want := []spanSummary{{"push.send", "Error: invalid_notification", "error.type=invalid_notification push.operation=send push.platform=invalid push.provider=memory push.target.kind=none"}}
	assert.Equal(t, want, summarize(r.spans.Ended()))
}

// TestConcurrentSends sends every platform from many goroutines, each
// combination of attributes first seen by several at once, and checks
// that each send is counted once.
func TestConcurrentSends(t *testing.T) {
	r := newRig(t)
	mem := memory.New()
	mem.FailWhen(func(e push.Envelope) bool { return e.Tags == "busy" }, &push.Error{Kind: push.ErrThrottled})
	s := r.wrap(t, mem)
	n := apple(t)
	const goroutines, each = 8, 20
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				tag := "weather"
				if (g+i)%2 == 0 {
					tag = "busy"
				}
				_, _ = s.Send(context.Background(), n, push.Tags(tag))
			}
		})
	}
	wg.Wait()
	got := sums(t, metric(t, r.collect(t), "push.sends"))
	const ok = "push.operation=send push.platform=apple push.provider=memory push.target.kind=tags"
	assert.Equal(t, map[string]int64{ok: goroutines * each / 2, "error.type=throttled " + ok: goroutines * each / 2}, got)
}

// TestOverARouter: each platform's sends carry the provider of its route;
// a cancel, which names no platform, the Router's.
func TestOverARouter(t *testing.T) {
	r := newRig(t)
	apns := memory.New(memory.WithCapabilities(push.DirectCapabilities("apns", push.Apple)))
	hub := memory.New()
	router, err := push.NewRouter(map[push.Platform]push.Sender{push.Apple: apns}, hub)
	require.NoError(t, err)
	s := r.wrap(t, router)
	_, err = s.Send(t.Context(), apple(t), push.Device("0123abcd"))
	require.NoError(t, err)
	fcm, err := push.FCMV1Notification(map[string]any{"message": map[string]any{"data": map[string]string{"k": "v"}}})
	require.NoError(t, err)
	_, err = s.Send(t.Context(), fcm, push.Tags("weather"))
	require.NoError(t, err)
	require.ErrorIs(t, s.Cancel(t.Context(), "never-issued"), push.ErrNotFound)

	spans := summarize(r.spans.Ended())
	require.Len(t, spans, 3)
	assert.Equal(t, "push.devices=1 push.devices.failed=0 push.operation=send push.platform=apple push.provider=apns push.target.kind=device", spans[0].Attrs)
	assert.Equal(t, "push.operation=send push.platform=fcmv1 push.provider=memory push.target.kind=tags", spans[1].Attrs)
	assert.Contains(t, spans[2].Attrs, "push.provider=router(", "the cancel's provider")
}
