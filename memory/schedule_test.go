package memory_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
)

func TestScheduledSendsFallDue(t *testing.T) {
	n, to := breakingNews(t)
	clock := pushtest.NewClock(start)
	s := memory.New(memory.WithClock(clock))
	ctx := context.Background()
	later, _ := s.Schedule(ctx, n, to, start.Add(2*time.Hour))
	sooner, _ := s.Schedule(ctx, n, to, start.Add(time.Hour+500*time.Millisecond))
	alsoSooner, _ := s.Schedule(ctx, n, to, start.Add(time.Hour))

	pending := s.Pending()
	if got := ids(pending); !reflect.DeepEqual(got, []string{sooner.ID, alsoSooner.ID, later.ID}) {
		t.Fatalf("pending %v, want in order of schedule time then of Schedule", got)
	}
	want, _ := push.RenderAt(n, to, start.Add(time.Hour), start)
	if !reflect.DeepEqual(pending[0].Envelope, want) || !pending[0].Time.Equal(want.ScheduleTime) {
		t.Errorf("pending envelope %+v at %v, want %+v", pending[0].Envelope, pending[0].Time, want)
	}

	clock.Advance(time.Hour - time.Second)
	if s.Len() != 0 {
		t.Fatal("delivered before due")
	}
	clock.Advance(time.Second)
	got := s.Deliveries()
	if ids(got) == nil || !reflect.DeepEqual(ids(got), []string{sooner.ID, alsoSooner.ID}) {
		t.Fatalf("delivered %v, want the two due at +1h", ids(got))
	}
	if !got[0].Time.Equal(start.Add(time.Hour)) || got[0].Envelope.ScheduleTime.IsZero() {
		t.Errorf("delivery %+v, want Time and ScheduleTime at +1h", got[0])
	}
	if p := s.Pending(); len(p) != 1 || p[0].Receipt.ID != later.ID {
		t.Errorf("still pending %v, want %s", ids(p), later.ID)
	}
}

func TestScheduledSendReachesDevicesWhenDue(t *testing.T) {
	n, to := breakingNews(t)
	clock := pushtest.NewClock(start)
	s := memory.New(memory.WithClock(clock))
	if _, err := s.Schedule(context.Background(), n, to, start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Register(memory.Device{Handle: "late-iphone", Platform: push.Apple, Tags: []string{"breaking-news"}}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if d, err := s.WaitFor(context.Background(), 1); err != nil || !d[0].Reaches("late-iphone") {
		t.Errorf("WaitFor = %+v, %v; want a delivery reaching the device registered before it fell due", d, err)
	}
}

func TestCancel(t *testing.T) {
	n, to := breakingNews(t)
	clock := pushtest.NewClock(start)
	s := memory.New(memory.WithClock(clock))
	ctx := context.Background()
	a, _ := s.Schedule(ctx, n, to, start.Add(time.Hour))
	b, _ := s.Schedule(ctx, n, to, start.Add(time.Minute))
	if err := s.Cancel(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	cases := []struct {
		name, id, detail string
	}{
		{"cancelled twice", a.ID, "no pending"},
		{"already delivered", b.ID, "delivered at 2030-01-02T03:05:05Z"},
		{"unknown", "nope", `"nope"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.Cancel(ctx, c.id)
			if !errors.Is(err, push.ErrNotFound) || !strings.Contains(err.Error(), c.detail) {
				t.Errorf("error %v, want ErrNotFound mentioning %q", err, c.detail)
			}
		})
	}
	clock.Advance(time.Hour)
	if got := ids(s.Deliveries()); !reflect.DeepEqual(got, []string{b.ID}) {
		t.Errorf("delivered %v, want only %s", got, b.ID)
	}
}

func TestScheduleRefusesWhatRenderAtRefuses(t *testing.T) {
	n, to := breakingNews(t)
	cases := []struct {
		name string
		to   push.Target
		at   time.Time
		kind error
	}{
		{"direct", push.Device("h"), start.Add(time.Hour), push.ErrInvalidTarget},
		{"past", to, start.Add(-time.Hour), push.ErrInvalidSchedule},
		{"too far", to, start.Add(push.MaxScheduleAhead + time.Hour), push.ErrInvalidSchedule},
		{"zero time", to, time.Time{}, push.ErrInvalidSchedule},
		{"bad target", push.Tags(""), start.Add(time.Hour), push.ErrInvalidTarget},
	}
	s := memory.New(memory.WithClock(pushtest.NewClock(start)))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Schedule(context.Background(), n, c.to, c.at)
			_, want := push.RenderAt(n, c.to, c.at, start)
			if !errors.Is(err, c.kind) || err.Error() != want.Error() {
				t.Errorf("error %v, want RenderAt's %v", err, want)
			}
		})
	}
	if len(s.Pending()) != 0 {
		t.Error("a refused schedule is pending")
	}
}

func TestFailuresApplyToSchedule(t *testing.T) {
	n, to := breakingNews(t)
	s := memory.New(memory.WithClock(pushtest.NewClock(start)))
	s.FailNext(1, nil)
	_, err := s.Schedule(context.Background(), n, to, start.Add(time.Hour))
	var pe *push.Error
	if !errors.As(err, &pe) || pe.Op != "memory: schedule" || pe.Kind != push.ErrUnavailable {
		t.Fatalf("error %v, want the injected failure", err)
	}
	if len(s.Pending()) != 0 || s.Failures() != 1 {
		t.Error("the failed schedule was kept or not counted")
	}
}

func TestScheduleDueAtOnce(t *testing.T) {
	n, to := breakingNews(t)
	now := start.Add(300 * time.Millisecond)
	s := memory.New(memory.WithClock(pushtest.NewClock(now)))
	// At is in the current second, so its whole-second ScheduleTime is already past.
	if _, err := s.Schedule(context.Background(), n, to, now); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 1 || len(s.Pending()) != 0 {
		t.Errorf("Len %d, pending %d; want the send delivered at once", s.Len(), len(s.Pending()))
	}
}

var _ push.Scheduler = memory.New()
