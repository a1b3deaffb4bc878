package memory_test

import (
	"context"
	"testing"

	"github.com/pushwire/push/memory"
)

// maxSendAllocs is the measured allocation count of one Send of a tagged Apple
// notification without headers: the receipt ID (the body is copied into a
// shared buffer, the Delivery into a shared chunk).
const maxSendAllocs = 1

func TestSendAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	n, to := breakingNews(t)
	s := memory.New()
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := s.Send(ctx, n, to); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > maxSendAllocs {
		t.Errorf("Send allocates %v times, want at most %d", allocs, maxSendAllocs)
	}
}
