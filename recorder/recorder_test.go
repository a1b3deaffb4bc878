package recorder_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
	"github.com/pushwire/push/recorder"
)

var start = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// must returns n, or panics: the tests' inputs are valid by construction.
func must(n push.Notification, err error) push.Notification {
	if err != nil {
		panic(err)
	}
	return n
}

func breakingNews(tb testing.TB) (push.Notification, push.Target) {
	tb.Helper()
	return must(push.AppleNotification(`{"aps":{"alert":{"title":"Breaking","body":"Something happened"}}}`)), push.Tags("breaking-news", "lang:en")
}

// sendOnly hides the Scheduler of the Sender it holds.
type sendOnly struct{ push.Sender }

func TestRecordsSend(t *testing.T) {
	n := must(push.JSONNotification(push.Apple, `{"aps":{"alert":"hi"}}`, http.Header{"Apns-Priority": {"10"}}))
	to := push.Tags("news")
	clock := pushtest.NewClock(start)
	mem := memory.New(memory.WithClock(clock), memory.WithLatency(20*time.Millisecond))
	rec := recorder.New(mem, recorder.WithClock(clock))

	receipt, err := rec.Send(context.Background(), n, to)
	if err != nil {
		t.Fatal(err)
	}
	calls := rec.Calls()
	if len(calls) != 1 || rec.Len() != 1 {
		t.Fatalf("%d calls recorded, want 1", len(calls))
	}
	c := calls[0]
	want, _ := push.Render(n, to)
	switch {
	case c.Op != recorder.OpSend:
		t.Errorf("op %q", c.Op)
	case !reflect.DeepEqual(c.Notification, n):
		t.Errorf("notification %+v, want %+v", c.Notification, n)
	case c.Target.String() != to.String():
		t.Errorf("target %v", c.Target)
	case !reflect.DeepEqual(c.Envelope, want):
		t.Errorf("envelope %+v, want %+v", c.Envelope, want)
	case !reflect.DeepEqual(c.Receipt, receipt) || c.Err != nil:
		t.Errorf("receipt %+v, err %v; want %+v", c.Receipt, c.Err, receipt)
	case !c.Time.Equal(start) || c.Duration != 20*time.Millisecond:
		t.Errorf("time %v, duration %v; want %v and the wrapped Sender's 20ms", c.Time, c.Duration, start)
	case !c.At.IsZero() || c.CancelID != "":
		t.Errorf("at %v, cancel ID %q on a send", c.At, c.CancelID)
	}
	if got := mem.Deliveries(); len(got) != 1 || !reflect.DeepEqual(got[0].Envelope, want) {
		t.Errorf("the wrapped Sender kept %+v", got)
	}
}

func TestRecordsFailures(t *testing.T) {
	good, to := breakingNews(t)
	throttled := &push.Error{Op: "test", Kind: push.ErrThrottled}
	cases := []struct {
		name     string
		n        push.Notification
		to       push.Target
		inject   error
		want     error
		rendered bool
	}{
		{"bad notification", push.Notification{Platform: push.Apple, Body: []byte("[]")}, to, nil, push.ErrInvalidNotification, false},
		{"bad target", good, push.Target{}, nil, push.ErrInvalidTarget, false},
		{"refused by the service", good, to, throttled, push.ErrThrottled, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.New()
			mem.FailNext(1, c.inject)
			rec := recorder.New(mem)
			_, err := rec.Send(context.Background(), c.n, c.to)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			call := rec.Calls()[0]
			if call.Err != err {
				t.Errorf("recorded error %v, want the returned %v", call.Err, err)
			}
			if rendered := call.Envelope.Platform != ""; rendered != c.rendered {
				t.Errorf("envelope %+v; rendered = %v, want %v", call.Envelope, rendered, c.rendered)
			}
		})
	}
}

// spy is a Sender that remembers the notification it was handed.
type spy struct{ got push.Notification }

func (s *spy) Send(_ context.Context, n push.Notification, _ push.Target) (push.Receipt, error) {
	s.got = n
	n.Body[0] = '!' // a misbehaving Sender scribbles on its input
	return push.Receipt{ID: "spy"}, nil
}

func TestForwardsTheCallersNotificationAndRecordsACopy(t *testing.T) {
	n := must(push.JSONNotification(push.Apple, `{"aps":{}}`, http.Header{"Apns-Priority": {"5"}}))
	next := &spy{}
	rec := recorder.New(next)
	if _, err := rec.Send(context.Background(), n, push.Broadcast()); err != nil {
		t.Fatal(err)
	}
	if &next.got.Body[0] != &n.Body[0] {
		t.Error("the wrapped Sender got a copy, not the caller's notification")
	}
	n.Header.Set("Apns-Priority", "10")
	c := rec.Calls()[0]
	if string(c.Notification.Body) != `{"aps":{}}` || c.Notification.Header.Get("Apns-Priority") != "5" {
		t.Errorf("recorded %q %v; want the notification as it was handed over", c.Notification.Body, c.Notification.Header)
	}
	// Calls returns copies.
	c.Notification.Body[0] = 'X'
	c.Envelope.Header.Set("Apns-Priority", "1")
	again := rec.Calls()[0]
	if again.Notification.Body[0] != '{' || again.Envelope.Header.Get("Apns-Priority") != "5" {
		t.Errorf("Calls returned the recorder's own data")
	}
}

func TestSchedulingForwarded(t *testing.T) {
	n, to := breakingNews(t)
	clock := pushtest.NewClock(start)
	mem := memory.New(memory.WithClock(clock))
	rec := recorder.New(mem, recorder.WithClock(clock))
	if !rec.CanSchedule() {
		t.Fatal("CanSchedule = false over a memory Sender")
	}
	at := start.Add(time.Hour + 500*time.Millisecond)
	r, err := rec.Schedule(context.Background(), n, to, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Cancel(context.Background(), r.ID); err != nil {
		t.Fatal(err)
	}
	err = rec.Cancel(context.Background(), r.ID)
	if !errors.Is(err, push.ErrNotFound) {
		t.Fatalf("second cancel: %v", err)
	}
	calls := rec.Calls()
	want, _ := push.RenderAt(n, to, at, start)
	if c := calls[0]; c.Op != recorder.OpSchedule || !c.At.Equal(at) || !reflect.DeepEqual(c.Envelope, want) || c.Receipt.ID != r.ID {
		t.Errorf("schedule call %+v", c)
	}
	if c := calls[1]; c.Op != recorder.OpCancel || c.CancelID != r.ID || c.Err != nil || c.Envelope.Platform != "" {
		t.Errorf("cancel call %+v", c)
	}
	if c := calls[2]; c.Err != err {
		t.Errorf("second cancel recorded %v", c.Err)
	}
}

func TestSchedulingUnsupported(t *testing.T) {
	n, to := breakingNews(t)
	mem := memory.New()
	cases := []struct {
		name string
		rec  *recorder.Recorder
	}{
		{"plain sender", recorder.New(sendOnly{mem})},
		{"recorder over a plain sender", recorder.New(recorder.New(sendOnly{mem}))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.rec.CanSchedule() {
				t.Error("CanSchedule = true")
			}
			_, err := c.rec.Schedule(context.Background(), n, to, time.Now().Add(time.Hour))
			var pe *push.Error
			if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &pe) || pe.Op != "recorder: schedule" {
				t.Errorf("Schedule error %v, want a recorder: schedule error matching errors.ErrUnsupported", err)
			}
			err = c.rec.Cancel(context.Background(), "x")
			if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &pe) || pe.Op != "recorder: cancel" {
				t.Errorf("Cancel error %v", err)
			}
			if calls := c.rec.Calls(); len(calls) != 2 || calls[0].Err == nil || calls[1].Err == nil {
				t.Errorf("calls %+v, want both recorded with their errors", calls)
			}
		})
	}
	if mem.Len() != 0 || len(mem.Pending()) != 0 {
		t.Error("the wrapped Sender was used")
	}
}

func TestUnwrapAndTake(t *testing.T) {
	n, to := breakingNews(t)
	mem := memory.New()
	rec := recorder.New(mem)
	if rec.Unwrap() != push.Sender(mem) {
		t.Error("Unwrap did not return the wrapped Sender")
	}
	for range 3 {
		if _, err := rec.Send(context.Background(), n, to); err != nil {
			t.Fatal(err)
		}
	}
	if got := rec.Take(); len(got) != 3 || got[2].Receipt.ID != "memory-3" {
		t.Errorf("Take = %+v", got)
	}
	if rec.Len() != 0 || len(rec.Calls()) != 0 {
		t.Error("calls left after Take")
	}
}

func TestNewPanicsOnNil(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(nil) did not panic")
		}
	}()
	recorder.New(nil)
}

func TestNilContextIsRefusedAndRecorded(t *testing.T) {
	rec := recorder.New(panicky{})
	n, _ := push.AppleNotification(`{"aps":{}}`)
	//lint:ignore SA1012 a nil context is what this checks
	_, err := rec.Send(nil, n, push.Tags("x")) //nolint:staticcheck
	if err == nil || !strings.Contains(err.Error(), "recorder: send: the context is nil") {
		t.Fatalf("Send(nil) = %v", err)
	}
	//lint:ignore SA1012 a nil context is what this checks
	if err := rec.Cancel(nil, "id"); err == nil { //nolint:staticcheck
		t.Error("Cancel(nil) succeeded")
	}
	if calls := rec.Calls(); len(calls) != 2 || calls[0].Err == nil {
		t.Errorf("calls %+v", calls)
	}
}

// panicky is a Sender that panics on a nil context, as net/http does deep down.
type panicky struct{}

func (panicky) Send(ctx context.Context, _ push.Notification, _ push.Target) (push.Receipt, error) {
	return push.Receipt{}, ctx.Err()
}

func (panicky) Schedule(ctx context.Context, _ push.Notification, _ push.Target, _ time.Time) (push.Receipt, error) {
	return push.Receipt{}, ctx.Err()
}

func (panicky) Cancel(ctx context.Context, _ string) error { return ctx.Err() }
