package recorder_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
	"github.com/pushwire/push/recorder"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// script makes one call of each kind the JSON lines describe.
func script(t *testing.T, rec *recorder.Recorder, mem *memory.Sender) {
	t.Helper()
	ctx := context.Background()
	apple := must(push.JSONNotification(push.Apple, `{"aps": {"alert": "<b>Rain</b> & wind"}}`, http.Header{"Apns-Priority": {"10"}, "Apns-Push-Type": {"alert"}}))
	toast := must(push.WindowsNotification(`<toast><visual><binding template="ToastText01"><text id="1">Rain</text></binding></visual></toast>`))
	raw := must(push.WindowsRawNotification([]byte{0xff, 0x00, 'r', 'a', 'w'}))
	browser := must(push.BrowserNotification(`{"title":"Rain"}`))
	template := must(push.TemplateNotification(map[string]string{"headline": "Rain"}))
	sub := push.BrowserSubscription{Endpoint: "https://push.example/sub/1", P256DH: "BPublicKey", Auth: "s3cr3t-auth"}

	sends := []struct {
		n  push.Notification
		to push.Target
	}{
		{apple, push.Expression("(news || weather) && lang:en")},
		{toast, push.Broadcast()},
		{raw, push.Device("https://wns.example/channel?token=1")},
		{browser, push.BrowserDevice(sub)},
		{template, push.Devices("h1", "h2")}, // refused: templates cannot go to handles
		{push.Notification{Platform: push.Apple, Body: []byte("not json")}, push.Tags("news")},
		{template, push.User("alice")},
	}
	for _, s := range sends {
		_, _ = rec.Send(ctx, s.n, s.to)
	}
	mem.FailNext(1, &push.Error{Op: "azurenh: send", Kind: push.ErrThrottled, StatusCode: 429, TrackingID: "tracking-123", RetryAfter: 2 * time.Second})
	_, _ = rec.Send(ctx, apple, push.Tags("news"))

	r, _ := rec.Schedule(ctx, apple, push.Tags("news"), start.Add(time.Hour+500*time.Millisecond))
	_, _ = rec.Schedule(ctx, apple, push.Tags("news"), start.Add(-time.Hour))
	_ = rec.Cancel(ctx, r.ID)
	_ = rec.Cancel(ctx, r.ID)
}

func newScripted(t *testing.T, opts ...recorder.Option) (*bytes.Buffer, *recorder.Recorder) {
	t.Helper()
	var out bytes.Buffer
	clock := pushtest.NewClock(start)
	mem := memory.New(memory.WithClock(clock), memory.WithLatency(3*time.Millisecond))
	rec := recorder.New(mem, append([]recorder.Option{recorder.WithClock(clock), recorder.WithJSONLines(&out)}, opts...)...)
	script(t, rec, mem)
	return &out, rec
}

func TestJSONLinesGolden(t *testing.T) {
	out, rec := newScripted(t)
	if err := rec.WriteErr(); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/calls.golden"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := out.String(); got != string(want) {
		t.Errorf("JSON lines differ from %s (go test -update rewrites it):\n got:\n%s\nwant:\n%s", golden, got, want)
	}
	if strings.Contains(out.String(), "s3cr3t") || strings.Contains(out.String(), "tracking-123") {
		t.Error("the Auth secret or a tracking ID reached the JSON lines")
	}
	if lines := strings.Count(out.String(), "\n"); lines != rec.Len() {
		t.Errorf("%d lines for %d calls", lines, rec.Len())
	}
}

func TestJSONLinesAreStable(t *testing.T) {
	a, _ := newScripted(t)
	b, _ := newScripted(t)
	if a.String() != b.String() {
		t.Error("two runs of the same calls wrote different lines")
	}
}

func TestJSONLinesVolatile(t *testing.T) {
	out, _ := newScripted(t, recorder.WithJSONVolatile())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	var first, throttled, cancel map[string]any
	for _, x := range []struct {
		line string
		into *map[string]any
	}{{lines[0], &first}, {lines[7], &throttled}, {lines[10], &cancel}} {
		if err := json.Unmarshal([]byte(x.line), x.into); err != nil {
			t.Fatal(err)
		}
	}
	if first["receiptId"] != "memory-1" || first["durationNs"] != float64(3*time.Millisecond) {
		t.Errorf("first line %v, want receiptId memory-1 and durationNs 3e6", first)
	}
	if msg := throttled["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "tracking ID tracking-123") {
		t.Errorf("throttled message %q lacks the tracking ID", msg)
	}
	if cancel["op"] != "cancel" || cancel["cancelId"] == "" {
		t.Errorf("cancel line %v, want a cancelId", cancel)
	}
}

// failingWriter fails every write after the first ok ones.
type failingWriter struct {
	ok     int
	writes int
}

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > w.ok {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestJSONWriteErrorIsKeptOnce(t *testing.T) {
	n, to := breakingNews(t)
	w := &failingWriter{ok: 1}
	rec := recorder.New(memory.New(), recorder.WithJSONLines(w))
	for range 4 {
		if _, err := rec.Send(context.Background(), n, to); err != nil {
			t.Fatalf("a write error reached the sender: %v", err)
		}
	}
	if err := rec.WriteErr(); err == nil || err.Error() != "disk full" {
		t.Errorf("WriteErr = %v, want disk full", err)
	}
	if w.writes != 2 || rec.Len() != 4 {
		t.Errorf("%d writes, %d calls; want writing to stop after the first error, recording to go on", w.writes, rec.Len())
	}
}

func FuzzJSONLines(f *testing.F) {
	f.Add("apple", []byte(`{"aps":{}}`), "news", "Auth", "secret")
	f.Add("windows", []byte{0xff, 0xfe}, "a && !b", "X-WNS-Type", "wns/raw")
	f.Add("template", []byte(`"just a string"`), "", "", "")
	f.Fuzz(func(t *testing.T, platform string, body []byte, expr, header, value string) {
		n := push.Notification{Platform: push.Platform(platform), Body: body}
		if header != "" {
			n.Header = http.Header{http.CanonicalHeaderKey(header): {value}}
		}
		to := push.Broadcast()
		if expr != "" {
			to = push.Expression(expr)
		}
		var out bytes.Buffer
		rec := recorder.New(memory.New(), recorder.WithJSONLines(&out))
		_, _ = rec.Send(context.Background(), n, to)
		line := out.String()
		if rec.WriteErr() != nil || strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
			t.Fatalf("not one line: %q (%v)", line, rec.WriteErr())
		}
		var v struct {
			Headers map[string][]string `json:"headers"`
		}
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("not JSON: %q: %v", line, err)
		}
		for _, a := range v.Headers["Auth"] {
			if a != "REDACTED" {
				t.Fatalf("Auth written as %q", a)
			}
		}
	})
}
