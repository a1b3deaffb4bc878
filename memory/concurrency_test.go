package memory_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

func TestConcurrentSendsLoseAndDuplicateNothing(t *testing.T) {
	const goroutines, each = 32, 100
	n, to := breakingNews(t)
	s := memory.New()
	if err := s.Register(memory.Device{Handle: "h", Platform: push.Apple, Tags: []string{"breaking-news"}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var wg sync.WaitGroup
	returned := make(chan string, goroutines*each)
	for range goroutines {
		wg.Go(func() {
			for range each {
				r, err := s.Send(ctx, n, to)
				if err != nil {
					t.Error(err)
					return
				}
				returned <- r.ID
			}
		})
	}
	// Readers race with the senders.
	wg.Go(func() { _ = s.Deliveries(); _ = s.ByTag("breaking-news"); _ = s.Len() })

	got, err := s.WaitFor(ctx, goroutines*each)
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(returned)

	kept := make(map[string]bool, len(got))
	for _, d := range got {
		if kept[d.Receipt.ID] {
			t.Fatalf("receipt %s kept twice", d.Receipt.ID)
		}
		kept[d.Receipt.ID] = true
		if !d.Reaches("h") {
			t.Fatalf("delivery %s did not reach the device", d.Receipt.ID)
		}
	}
	for id := range returned {
		if !kept[id] {
			t.Fatalf("receipt %s returned but not kept", id)
		}
		delete(kept, id)
	}
	if len(kept) != 0 || s.Len() != goroutines*each {
		t.Fatalf("%d deliveries kept without a returned receipt; Len %d", len(kept), s.Len())
	}
}

func TestWaitForWakesOnEachDelivery(t *testing.T) {
	n, to := breakingNews(t)
	s := memory.New()
	done := make(chan []memory.Delivery)
	go func() {
		got, err := s.WaitFor(context.Background(), 2)
		if err != nil {
			t.Error(err)
		}
		done <- got
	}()
	for range 3 {
		if _, err := s.Send(context.Background(), n, to); err != nil {
			t.Fatal(err)
		}
	}
	if got := <-done; len(got) != 2 || got[0].Receipt.ID != "memory-1" || got[1].Receipt.ID != "memory-2" {
		t.Errorf("WaitFor returned %v, want the first two", ids(got))
	}
}

func TestWaitForZeroReturnsAtOnce(t *testing.T) {
	got, err := memory.New().WaitFor(context.Background(), 0)
	if err != nil || len(got) != 0 {
		t.Errorf("WaitFor(0) = %v, %v", got, err)
	}
}

func TestWaitForGivesUpWithContext(t *testing.T) {
	n, to := breakingNews(t)
	s := memory.New()
	if _, err := s.Send(context.Background(), n, to); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	got, err := s.WaitFor(ctx, 2)
	var pe *push.Error
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &pe) || pe.Detail != "1 of the 2 deliveries waited for arrived" {
		t.Fatalf("error %v, want a deadline saying 1 of 2 arrived", err)
	}
	if len(got) != 1 {
		t.Errorf("got %d deliveries with the error, want the 1 held", len(got))
	}
}

// TestConcurrentTemplateSends races template sends against devices replacing
// their templates and readers of the payloads: every payload must be one of
// the templates, expanded whole (run with -race).
func TestConcurrentTemplateSends(t *testing.T) {
	const goroutines, each = 8, 50
	templates := []string{`{"aps":{"alert":"$(title)"}}`, `{"aps":{"alert":{"title":"$(title)"}}}`}
	want := map[string]bool{`{"aps":{"alert":"Rain"}}`: true, `{"aps":{"alert":{"title":"Rain"}}}`: true}
	s := memory.New()
	register := func(i int) error {
		return s.Register(memory.Device{Handle: "h", Platform: push.Apple, Tags: []string{"news"},
			Templates: map[string]string{"alert": templates[i%len(templates)]}})
	}
	if err := register(0); err != nil {
		t.Fatal(err)
	}
	n := mustNotification(t)(push.TemplateNotification(map[string]string{"title": "Rain"}))
	ctx := context.Background()

	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				if _, err := s.Send(ctx, n, push.Tags("news")); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range each {
			if err := register(i); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Go(func() {
		for range each {
			for _, d := range s.ByDevice("h") {
				d.Payloads[0].Body[0] = 'X' // the reader's own copy
			}
		}
	})
	wg.Wait()

	got := s.Deliveries()
	if len(got) != goroutines*each {
		t.Fatalf("%d deliveries, want %d", len(got), goroutines*each)
	}
	for _, d := range got {
		if body, ok := d.PayloadFor("h", "alert"); !ok || !want[string(body)] || len(d.Payloads) != 1 {
			t.Fatalf("delivery %s has payloads %+v", d.Receipt.ID, d.Payloads)
		}
	}
}
