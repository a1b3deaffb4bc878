package recorder_test

import (
	"context"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
)

// BenchmarkSend compares a memory Sender alone with a Recorder over one: a
// tagged Apple notification built once, sent from parallel goroutines.
func BenchmarkSend(b *testing.B) {
	n, to := breakingNews(b)
	for _, bc := range []struct {
		name string
		new  func() push.Sender
	}{
		{"memory", func() push.Sender { return memory.New() }},
		{"recorder-over-memory", func() push.Sender { return recorder.New(memory.New()) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := bc.new()
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Send(ctx, n, to); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// allocsPerSend measures the allocations of one Send on s.
func allocsPerSend(t *testing.T, s push.Sender, n push.Notification, to push.Target) float64 {
	ctx := context.Background()
	return testing.AllocsPerRun(1000, func() {
		if _, err := s.Send(ctx, n, to); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRecorderAddsAtMostOneAllocation(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	n, to := breakingNews(t)
	alone := allocsPerSend(t, memory.New(), n, to)
	wrapped := allocsPerSend(t, recorder.New(memory.New()), n, to)
	if wrapped > alone+1 {
		t.Errorf("memory alone: %v allocations a send; with a recorder: %v; want at most one more", alone, wrapped)
	}
}
