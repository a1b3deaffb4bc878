package memory_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
)

func TestFailNext(t *testing.T) {
	n, to := breakingNews(t)
	throttled := &push.Error{Op: "test", Kind: push.ErrThrottled, RetryAfter: time.Second}
	s := memory.New()
	s.FailNext(2, throttled)
	s.FailNext(1, nil)
	s.FailNext(0, throttled) // nothing
	var errs []error
	for range 4 {
		_, err := s.Send(context.Background(), n, to)
		errs = append(errs, err)
	}
	if errs[0] != throttled || errs[1] != throttled {
		t.Errorf("first two errors %v, %v; want the injected error itself", errs[0], errs[1])
	}
	var pe *push.Error
	if !errors.As(errs[2], &pe) || pe.Kind != push.ErrUnavailable || pe.Op != "memory: send" {
		t.Errorf("third error %v, want the default injected ErrUnavailable", errs[2])
	}
	if errs[3] != nil {
		t.Errorf("fourth send: %v, want success", errs[3])
	}
	if got := ids(s.Deliveries()); !reflect.DeepEqual(got, []string{"memory-1"}) {
		t.Errorf("deliveries %v, want only the fourth send as memory-1", got)
	}
	if s.Failures() != 3 {
		t.Errorf("Failures = %d, want 3", s.Failures())
	}
}

func TestFailWhen(t *testing.T) {
	must := mustNotification(t)
	apple := must(push.AppleNotification(`{"aps":{}}`))
	fcm := must(push.FCMV1Notification(`{"message":{}}`))
	gone := &push.Error{Op: "test", Kind: push.ErrNotFound, Detail: "device gone"}
	s := memory.New()
	s.FailWhen(func(e push.Envelope) bool { return e.Platform == push.FCMV1 }, gone)
	s.FailWhen(func(e push.Envelope) bool { return e.Tags == "vip" }, nil)
	s.FailWhen(nil, gone) // ignored
	cases := []struct {
		name string
		n    push.Notification
		to   push.Target
		want error
	}{
		{"fcm fails with the first rule", fcm, push.Broadcast(), push.ErrNotFound},
		{"fcm to vip still the first rule", fcm, push.Tags("vip"), push.ErrNotFound},
		{"apple to vip fails with the default", apple, push.Tags("vip"), push.ErrUnavailable},
		{"apple broadcast passes", apple, push.Broadcast(), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Send(context.Background(), c.n, c.to)
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
	s.ClearFailures()
	if _, err := s.Send(context.Background(), fcm, push.Broadcast()); err != nil {
		t.Errorf("after ClearFailures: %v", err)
	}
	if s.Len() != 2 || s.Failures() != 3 {
		t.Errorf("Len %d, Failures %d; want 2 and 3", s.Len(), s.Failures())
	}
}

func TestFailNextBeforeFailWhen(t *testing.T) {
	n, to := breakingNews(t)
	first, second := errors.New("first"), errors.New("second")
	s := memory.New()
	s.FailWhen(func(push.Envelope) bool { return true }, second)
	s.FailNext(1, first)
	_, err1 := s.Send(context.Background(), n, to)
	_, err2 := s.Send(context.Background(), n, to)
	if err1 != first || err2 != second {
		t.Errorf("errors %v, %v; want first then second", err1, err2)
	}
}

func TestLatencyWaitsOnTheClock(t *testing.T) {
	n, to := breakingNews(t)
	clock := pushtest.NewClock(start)
	s := memory.New(memory.WithClock(clock), memory.WithLatency(50*time.Millisecond))
	if _, err := s.Send(context.Background(), n, to); err != nil {
		t.Fatal(err)
	}
	s.SetLatency(0)
	if _, err := s.Send(context.Background(), n, to); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); !reflect.DeepEqual(got, []time.Duration{50 * time.Millisecond}) {
		t.Errorf("sleeps %v, want one of 50ms", got)
	}
	if d := s.Deliveries()[0]; !d.Time.Equal(start.Add(50 * time.Millisecond)) {
		t.Errorf("delivered at %v, want after the latency", d.Time)
	}
}

func TestLatencyHonoursContext(t *testing.T) {
	n, to := breakingNews(t)
	clock := pushtest.NewClock(start)
	s := memory.New(memory.WithClock(clock))
	s.SetLatency(time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock.OnSleep(func(time.Duration) { cancel() })
	_, err := s.Send(ctx, n, to)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if _, err := s.Schedule(ctx, n, to, start.Add(time.Hour)); !errors.Is(err, context.Canceled) {
		t.Errorf("Schedule error %v, want context.Canceled", err)
	}
	if err := s.Cancel(ctx, "memory-1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Cancel error %v, want context.Canceled", err)
	}
	if s.Len() != 0 || len(s.Pending()) != 0 {
		t.Error("a call cut short by ctx took effect")
	}
}
