package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

func directSender(opts ...memory.Option) *memory.Sender {
	return memory.New(append([]memory.Option{memory.WithCapabilities(push.DirectCapabilities("apns", push.Apple))}, opts...)...)
}

func TestPerDeviceResults(t *testing.T) {
	s := directSender()
	since := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s.MarkUnregistered("b", since)
	s.FailDevice("c", nil)
	n := mustNotification(t)(push.AppleNotification(`{"aps":{"alert":"hi"}}`))
	rec, err := s.Send(context.Background(), n, push.Devices("a", "b", "c", "d"))
	var de *push.DevicesError
	if !errors.As(err, &de) || len(de.Failed) != 2 || !errors.Is(err, push.ErrUnregistered) || !errors.Is(err, push.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	want := []struct {
		handle, id string
		dead       bool
	}{{"a", "memory-1", false}, {"b", "", true}, {"c", "", false}, {"d", "memory-2", false}}
	for i, w := range want {
		r := rec.Results[i]
		if r.Handle != w.handle || r.ID != w.id || r.Unregistered() != w.dead {
			t.Errorf("Result %d = %+v; want %+v", i, r, w)
		}
	}
	if !rec.Results[1].UnregisteredAt.Equal(since) {
		t.Errorf("UnregisteredAt = %v", rec.Results[1].UnregisteredAt)
	}
	ds := s.Deliveries()
	if len(ds) != 2 || ds[0].Envelope.Devices[0] != "a" || ds[1].Envelope.Devices[0] != "d" || ds[1].Receipt.ID != "memory-2" {
		t.Errorf("deliveries %+v; want one per accepted handle", ds)
	}
	s.ClearFailures()
	if _, err := s.Send(context.Background(), n, push.Device("b")); err != nil {
		t.Errorf("after ClearFailures: %v", err)
	}
}

// Playing Notification Hubs (the default), a list over 1000 handles goes in
// batches, one Delivery and Receipt part each, as azurenh reports them.
func TestBatchesLikeTheHub(t *testing.T) {
	s := memory.New()
	n := mustNotification(t)(push.AppleNotification(`{"aps":{"alert":"hi"}}`))
	rec, err := s.Send(context.Background(), n, push.Devices(deviceHandles(2500)...))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Parts) != 3 || rec.ID != rec.Parts[0].ID || rec.Results != nil {
		t.Fatalf("receipt %+v; want 3 parts and no per-device results", rec)
	}
	ds := s.Deliveries()
	if len(ds) != 3 || len(ds[0].Envelope.Devices) != 1000 || len(ds[2].Envelope.Devices) != 500 {
		t.Errorf("%d deliveries; want 1000, 1000, 500 handles", len(ds))
	}
	rec, err = memory.New().Send(context.Background(), n, push.Devices(deviceHandles(10)...))
	if err != nil || len(rec.Parts) != 0 {
		t.Errorf("a list of 10 is one request: %+v, %v", rec, err)
	}
}

func TestRefusesWhatItsCapabilitiesDoNotDeclare(t *testing.T) {
	s := directSender()
	n := mustNotification(t)(push.AppleNotification(`{"aps":{"alert":"hi"}}`))
	if _, err := s.Send(context.Background(), n, push.Tags("news")); !errors.Is(err, push.ErrUnsupported) {
		t.Errorf("send to tags: %v", err)
	}
	if _, err := s.Schedule(context.Background(), n, push.Tags("news"), time.Now().Add(time.Hour)); !errors.Is(err, push.ErrUnsupported) {
		t.Errorf("schedule: %v", err)
	}
	if err := s.Cancel(context.Background(), "x"); !errors.Is(err, push.ErrUnsupported) {
		t.Errorf("cancel: %v", err)
	}
	if s.Len() != 0 {
		t.Error("a refused send was kept")
	}
	if c := s.Capabilities(); c.Provider != "apns" {
		t.Errorf("Capabilities = %v", c)
	}
}

func TestObserveSeesEachRequest(t *testing.T) {
	s := directSender()
	var seen []string
	s.Observe(func(env push.Envelope) { seen = append(seen, env.Devices...) })
	n := mustNotification(t)(push.AppleNotification(`{"aps":{"alert":"hi"}}`))
	ctx, cancel := context.WithCancel(context.Background())
	s.Observe(func(env push.Envelope) {
		seen = append(seen, env.Devices...)
		if len(seen) == 2 {
			cancel()
		}
	})
	rec, err := s.Send(ctx, n, push.Devices("a", "b", "c", "d"))
	if !errors.Is(err, push.ErrNotAttempted) || len(seen) != 2 {
		t.Fatalf("err %v, seen %v", err, seen)
	}
	if !errors.Is(rec.Results[2].Err, context.Canceled) || !rec.Results[1].Accepted() {
		t.Errorf("results %+v", rec.Results)
	}
}

// A 10,000-handle send allocates O(handles) memory in a handful of
// allocations, not a few per handle.
func TestLargeSendAllocatesOnce(t *testing.T) {
	n := mustNotification(t)(push.AppleNotification(`{"aps":{"alert":"hi"}}`))
	to := push.Devices(deviceHandles(10_000)...)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := directSender().Send(ctx, n, to); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 100 {
		t.Errorf("%v allocations for 10,000 handles; want a few per send, not per handle", allocs)
	}
}
