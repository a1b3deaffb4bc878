package memory_test

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
)

var start = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// mustNotification fails the test when a notification cannot be built.
func mustNotification(tb testing.TB) func(push.Notification, error) push.Notification {
	return func(n push.Notification, err error) push.Notification {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return n
	}
}

// sendCase is one valid send.
type sendCase struct {
	name string
	n    push.Notification
	to   push.Target
}

func validSends(t *testing.T) []sendCase {
	must := mustNotification(t)
	apple := must(push.JSONNotification(push.Apple, `{"aps":{"alert":"hi"}}`, http.Header{"Apns-Priority": {"10"}}))
	return []sendCase{
		{"apple to tags", apple, push.Tags("news", "sports")},
		{"apple to expression", apple, push.Expression("(a || b) && !c")},
		{"windows toast broadcast", must(push.WindowsNotification(`<toast><visual/></toast>`)), push.Broadcast()},
		{"fcmv1 to device", must(push.FCMV1Notification(`{"message":{"data":{"k":"v"}}}`)), push.Device("fcm-token")},
		{"fcmv1 to devices", must(push.FCMV1Notification(`{"message":{}}`)), push.Devices("t1", "t2", "t1")},
		{"browser to subscription", must(push.BrowserNotification(`{"title":"x"}`)), push.BrowserDevice(push.BrowserSubscription{Endpoint: "https://push.example/1", P256DH: "key", Auth: "secret"})},
		{"template to user", must(push.TemplateNotification(map[string]string{"headline": "x"})), push.User("alice")},
	}
}

func TestSendKeepsTheRenderedEnvelope(t *testing.T) {
	cases := validSends(t)
	clock := pushtest.NewClock(start)
	s := memory.New(memory.WithClock(clock))
	for i, c := range cases {
		r, err := s.Send(context.Background(), c.n, c.to)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if want := "memory-" + string(rune('1'+i)); r.ID != want {
			t.Errorf("%s: receipt ID %q, want %q", c.name, r.ID, want)
		}
		clock.Advance(time.Second)
	}
	got := s.Deliveries()
	if len(got) != len(cases) {
		t.Fatalf("%d deliveries, want %d", len(got), len(cases))
	}
	for i, c := range cases {
		want, _ := push.Render(c.n, c.to)
		d := got[i]
		if !reflect.DeepEqual(d.Envelope, want) {
			t.Errorf("%s: envelope\n got %+v\nwant %+v", c.name, d.Envelope, want)
		}
		if d.Target.String() != c.to.String() {
			t.Errorf("%s: target %v, want %v", c.name, d.Target, c.to)
		}
		if wantTime := start.Add(time.Duration(i) * time.Second); !d.Time.Equal(wantTime) {
			t.Errorf("%s: time %v, want %v", c.name, d.Time, wantTime)
		}
		if d.Receipt.ID == "" || d.Reached != nil {
			t.Errorf("%s: receipt %+v, reached %v", c.name, d.Receipt, d.Reached)
		}
	}
}

func TestSendRefusesBadInputLikeRender(t *testing.T) {
	must := mustNotification(t)
	apple := must(push.AppleNotification(`{"aps":{}}`))
	template := must(push.TemplateNotification(map[string]string{"a": "b"}))
	cases := []struct {
		name string
		n    push.Notification
		to   push.Target
		kind error
	}{
		{"empty notification", push.Notification{}, push.Broadcast(), push.ErrInvalidNotification},
		{"not JSON", push.Notification{Platform: push.Apple, Body: []byte("hi")}, push.Broadcast(), push.ErrInvalidNotification},
		{"too large", push.Notification{Platform: push.Apple, Body: []byte(`{"a":"` + strings.Repeat("x", 5000) + `"}`)}, push.Broadcast(), push.ErrPayloadTooLarge},
		{"zero target", apple, push.Target{}, push.ErrInvalidTarget},
		{"bad tag", apple, push.Tags("no spaces"), push.ErrInvalidTarget},
		{"template to a device", template, push.Device("h"), push.ErrInvalidTarget},
	}
	s := memory.New()
	s.FailNext(1, errors.New("injected"))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Send(context.Background(), c.n, c.to)
			if !errors.Is(err, c.kind) {
				t.Fatalf("error %v, want one matching %v", err, c.kind)
			}
			_, renderErr := push.Render(c.n, c.to)
			if err.Error() != renderErr.Error() {
				t.Errorf("error %q, want push.Render's %q", err, renderErr)
			}
		})
	}
	if s.Len() != 0 {
		t.Errorf("%d deliveries kept, want 0", s.Len())
	}
	// Bad input used neither the injected failure nor a receipt ID.
	if _, err := s.Send(context.Background(), apple, push.Broadcast()); err == nil || err.Error() != "injected" {
		t.Errorf("first valid send: %v, want the injected failure", err)
	}
	if r, err := s.Send(context.Background(), apple, push.Broadcast()); err != nil || r.ID != "memory-1" {
		t.Errorf("second valid send: %+v, %v; want ID memory-1", r, err)
	}
}

func TestDeliveriesAreCopies(t *testing.T) {
	n := mustNotification(t)(push.JSONNotification(push.Apple, `{"aps":{"alert":"hi"}}`, http.Header{"Apns-Priority": {"10"}}))
	body := string(n.Body)
	s := memory.New()
	if _, err := s.Send(context.Background(), n, push.Devices("a", "b")); err != nil {
		t.Fatal(err)
	}
	// The caller reuses its buffers after Send.
	n.Body[2] = 'X'
	n.Header.Set("Apns-Priority", "5")
	// A test scribbles on what it got back.
	got := s.Deliveries()
	got[0].Envelope.Body[2] = 'Y'
	got[0].Envelope.Header.Set("Apns-Priority", "1")
	got[0].Envelope.Devices[0] = "z"

	again := s.Deliveries()[0].Envelope
	if string(again.Body) != body || again.Header.Get("Apns-Priority") != "10" || again.Devices[0] != "a" {
		t.Errorf("kept envelope changed: %+v", again)
	}
}

func TestTakeDrains(t *testing.T) {
	n, to := breakingNews(t)
	s := memory.New()
	for range 3 {
		if _, err := s.Send(context.Background(), n, to); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Take(); len(got) != 3 || got[2].Receipt.ID != "memory-3" {
		t.Fatalf("Take = %d deliveries (%+v), want 3", len(got), got)
	}
	if s.Len() != 0 || len(s.Take()) != 0 || s.Deliveries() != nil {
		t.Fatal("deliveries left after Take")
	}
	if _, err := s.Send(context.Background(), n, to); err != nil {
		t.Fatal(err)
	}
	if got := s.Take(); len(got) != 1 || got[0].Receipt.ID != "memory-4" {
		t.Errorf("Take after one more send = %+v", got)
	}
}

func TestFilters(t *testing.T) {
	must := mustNotification(t)
	apple := must(push.AppleNotification(`{"aps":{}}`))
	fcm := must(push.FCMV1Notification(`{"message":{}}`))
	s := memory.New()
	sends := []struct {
		n  push.Notification
		to push.Target
	}{
		{apple, push.Tags("news")},                        // memory-1
		{fcm, push.Expression("sports && !news")},         // memory-2
		{apple, push.Broadcast()},                         // memory-3
		{fcm, push.Devices("token-a", "token-b")},         // memory-4
		{apple, push.Device("token-b")},                   // memory-5
		{apple, push.Expression("news_local || weather")}, // memory-6
	}
	for _, x := range sends {
		if _, err := s.Send(context.Background(), x.n, x.to); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		got  []memory.Delivery
		want []string
	}{
		{"platform apple", s.ByPlatform(push.Apple), []string{"memory-1", "memory-3", "memory-5", "memory-6"}},
		{"platform fcmv1", s.ByPlatform(push.FCMV1), []string{"memory-2", "memory-4"}},
		{"platform windows", s.ByPlatform(push.Windows), nil},
		{"tag news is mentioned, negated or not", s.ByTag("news"), []string{"memory-1", "memory-2"}},
		{"tag weather", s.ByTag("weather"), []string{"memory-6"}},
		{"tag is not a substring match", s.ByTag("new"), nil},
		{"device token-b", s.ByDevice("token-b"), []string{"memory-4", "memory-5"}},
		{"device unknown", s.ByDevice("token-c"), nil},
		{"filter direct", s.Filter(func(d memory.Delivery) bool { return d.Envelope.IsDirect() }), []string{"memory-4", "memory-5"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ids(c.got); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// ids returns the receipt IDs of ds.
func ids(ds []memory.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Receipt.ID)
	}
	return out
}

func TestWithIDs(t *testing.T) {
	n, to := breakingNews(t)
	next := 100
	s := memory.New(memory.WithIDs(func() string { next++; return "id-" + string(rune('0'+next%10)) }))
	r, err := s.Send(context.Background(), n, to)
	if err != nil || r.ID != "id-1" {
		t.Fatalf("Send = %+v, %v; want ID id-1", r, err)
	}
	if s := memory.New(memory.WithIDs(nil), memory.WithClock(nil)); s == nil {
		t.Fatal("nil options broke New")
	}
}

func TestSendHonoursContext(t *testing.T) {
	n, to := breakingNews(t)
	s := memory.New()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Send(ctx, n, to)
	var pe *push.Error
	if !errors.Is(err, context.Canceled) || !errors.As(err, &pe) || pe.Op != "memory: send" {
		t.Fatalf("error %v, want a *push.Error wrapping context.Canceled", err)
	}
	if push.Retryable(err) {
		t.Error("a cancelled send is reported retryable")
	}
	if s.Len() != 0 {
		t.Error("a cancelled send was delivered")
	}
}
