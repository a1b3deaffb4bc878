package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
)

// waitInBackground starts WaitFor(ctx, n) and returns where its answer arrives.
func waitInBackground(s *memory.Sender, n int) <-chan []memory.Delivery {
	done := make(chan []memory.Delivery, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		got, _ := s.WaitFor(ctx, n)
		done <- got
	}()
	return done
}

// Advancing a test clock past a scheduled send wakes a WaitFor that waits for
// it; a move that stops short does not satisfy it.
func TestWaitForWakesWhenTheClockMoves(t *testing.T) {
	n, to := breakingNews(t)
	clock := pushtest.NewClock(start)
	s := memory.New(memory.WithClock(clock))
	r, err := s.Schedule(context.Background(), n, to, start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	done := waitInBackground(s, 1)

	clock.Advance(30 * time.Minute)
	select {
	case got := <-done:
		t.Fatalf("WaitFor returned %d deliveries before the send was due", len(got))
	case <-time.After(20 * time.Millisecond):
	}

	clock.Set(start.Add(time.Hour))
	got := <-done
	if len(got) != 1 || got[0].Receipt.ID != r.ID || !got[0].Time.Equal(start.Add(time.Hour)) {
		t.Fatalf("WaitFor returned %+v, want the scheduled send delivered at its time", got)
	}
}

// With the system clock, WaitFor wakes when a scheduled send's time comes,
// although nothing else touches the Sender. (A schedule time has whole seconds,
// so the send is due between 0.5 and 1.5 seconds from now.)
func TestWaitForWakesAtTheDueTime(t *testing.T) {
	n, to := breakingNews(t)
	s := memory.New()
	if _, err := s.Schedule(context.Background(), n, to, time.Now().Add(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 0 {
		t.Fatal("the scheduled send was delivered at once")
	}
	got := <-waitInBackground(s, 1)
	if len(got) != 1 {
		t.Fatalf("WaitFor returned %d deliveries, want the scheduled one", len(got))
	}
	if now := time.Now(); now.Before(got[0].Time) {
		t.Errorf("WaitFor returned at %v, before the send was due at %v", now, got[0].Time)
	}
}
