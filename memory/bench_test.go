package memory_test

import (
	"context"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

// breakingNews returns a tagged Apple notification, built once.
func breakingNews(tb testing.TB) (push.Notification, push.Target) {
	tb.Helper()
	n, err := push.AppleNotification(`{"aps":{"alert":{"title":"Breaking","body":"Something happened"}}}`)
	if err != nil {
		tb.Fatal(err)
	}
	return n, push.Tags("breaking-news", "lang:en")
}

// BenchmarkSend measures one Send of a tagged Apple notification from many
// goroutines. Run with -cpu 1 for the single-core figure in the package doc.
func BenchmarkSend(b *testing.B) {
	n, to := breakingNews(b)
	s := memory.New()
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
}
