package telemetry_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
	"github.com/pushwire/push/telemetry"
)

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func apple(t *testing.T) push.Notification {
	t.Helper()
	n, err := push.AppleNotification(`{"aps":{"alert":"Rain expected"}}`)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMixedRun sends through a memory Sender playing a hub (accepted,
// throttled, invalid input, a scheduled send and its cancel) and one
// playing a direct provider (one send to four handles: two accepted, one
// dead, one throttled), and checks every span and metric data point.
func TestMixedRun(t *testing.T) {
	r := newRig(t)
	clock := pushtest.NewClock(t0)
	ctx := t.Context()
	mem := memory.New(memory.WithClock(clock), memory.WithLatency(50*time.Millisecond))
	hub := r.wrap(t, mem, telemetry.WithClock(clock))
	direct := memory.New(memory.WithClock(clock), memory.WithLatency(40*time.Millisecond),
		memory.WithCapabilities(push.DirectCapabilities("direct", push.Apple)))
	direct.MarkUnregistered("dead", time.Time{})
	direct.FailDevice("busy", &push.Error{Op: "memory: send", Kind: push.ErrThrottled})
	dev := r.wrap(t, direct, telemetry.WithClock(clock))
	n := apple(t)

	if _, err := hub.Send(ctx, n, push.Tags("weather")); err != nil {
		t.Fatal(err)
	}
	mem.FailNext(1, &push.Error{Op: "memory: send", Kind: push.ErrThrottled, RetryAfter: time.Second})
	if _, err := hub.Send(ctx, n, push.Tags("weather")); !errors.Is(err, push.ErrThrottled) {
		t.Fatalf("the injected failure: %v, want throttled", err)
	}
	if _, err := hub.Send(ctx, push.Notification{Platform: push.FCMV1, Body: []byte("{")}, push.Broadcast()); !errors.Is(err, push.ErrInvalidNotification) {
		t.Fatalf("a malformed body: %v, want invalid notification", err)
	}
	receipt, err := hub.Schedule(ctx, n, push.Tags("weather"), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := hub.Cancel(ctx, receipt.ID); err != nil {
		t.Fatal(err)
	}
	if err := hub.Cancel(ctx, receipt.ID); !errors.Is(err, push.ErrNotFound) {
		t.Fatalf("a second cancel: %v, want not found", err)
	}
	receipt, err = dev.Send(ctx, n, push.Devices("a", "dead", "b", "busy"))
	if !errors.Is(err, push.ErrUnregistered) || len(receipt.Results) != 4 {
		t.Fatalf("the device send: %d results, %v; want 4, an unregistered handle among them", len(receipt.Results), err)
	}

	const (
		memSend  = "push.operation=send push.platform=apple push.provider=memory push.target.kind=tags"
		memSched = "push.operation=schedule push.platform=apple push.provider=memory push.target.kind=tags"
		memFCM   = "push.operation=send push.platform=fcmv1 push.provider=memory push.target.kind=broadcast"
		cancel   = "push.operation=cancel push.provider=memory"
		devSend  = "push.operation=send push.platform=apple push.provider=direct push.target.kind=devices"
		devices  = "push.platform=apple push.provider=direct push.target.kind=devices"
	)
	wantSpans := []spanSummary{
		{"push.send", "Unset", memSend},
		{"push.send", "Error: throttled", "error.type=throttled " + memSend},
		{"push.send", "Error: invalid_notification", "error.type=invalid_notification " + memFCM},
		{"push.schedule", "Unset", memSched},
		{"push.cancel", "Unset", cancel},
		{"push.cancel", "Error: not_found", "error.type=not_found " + cancel},
		{"push.send", "Error: unregistered", "error.type=unregistered push.devices=4 push.devices.failed=2 " + devSend},
	}
	assert.Equal(t, wantSpans, summarize(r.spans.Ended()), "spans")

	rm := r.collect(t)
	wantSends := map[string]int64{
		memSend:                           1,
		"error.type=throttled " + memSend: 1,
		"error.type=invalid_notification " + memFCM: 1,
		memSched:                             1,
		"error.type=unregistered " + devSend: 1,
	}
	assert.Equal(t, wantSends, sums(t, metric(t, rm, "push.sends")), "push.sends")
	wantDevices := map[string]int64{
		"push.outcome=accepted " + devices:     2,
		"push.outcome=unregistered " + devices: 1,
		"push.outcome=throttled " + devices:    1,
	}
	assert.Equal(t, wantDevices, sums(t, metric(t, rm, "push.device.outcomes")), "push.device.outcomes")
	// Every call waited its Sender's latency but the malformed send, refused
	// first.
	wantDuration := map[string]histogramPoint{
		memSend:                           {1, 0.05},
		"error.type=throttled " + memSend: {1, 0.05},
		"error.type=invalid_notification " + memFCM: {1, 0},
		memSched:                             {1, 0.05},
		cancel:                               {1, 0.05},
		"error.type=not_found " + cancel:     {1, 0.05},
		"error.type=unregistered " + devSend: {1, 0.04},
	}
	assertHistogram(t, wantDuration, histogram(t, metric(t, rm, "push.operation.duration")))
}

// assertHistogram compares histogram points, their sums of float seconds
// within a nanosecond.
func assertHistogram(t *testing.T, want, got map[string]histogramPoint) {
	t.Helper()
	assert.ElementsMatch(t, keys(want), keys(got), "push.operation.duration's attribute sets")
	for k, w := range want {
		g := got[k]
		assert.Equal(t, w.Count, g.Count, "push.operation.duration count of %s", k)
		assert.InDelta(t, w.Sum, g.Sum, 1e-9, "push.operation.duration sum of %s", k)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
