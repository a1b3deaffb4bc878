package memory_test

import (
	"context"
	"fmt"
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

// BenchmarkSendTemplate measures one Send of a Template notification that
// reaches two registered devices, each with a template to expand: the cost a
// template send adds to BenchmarkSend.
func BenchmarkSendTemplate(b *testing.B) {
	s := memory.New()
	for _, d := range []memory.Device{
		{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"news"}, Templates: map[string]string{"alert": appleAlert}},
		{Handle: "bob-surface", Platform: push.Windows, Tags: []string{"news"}, Templates: map[string]string{"toast": windowsAttr}},
	} {
		if err := s.Register(d); err != nil {
			b.Fatal(err)
		}
	}
	n, err := push.TemplateNotification(map[string]string{"title": "Rain expected", "badge": "3", "score": "2-1"})
	if err != nil {
		b.Fatal(err)
	}
	to := push.Tags("news")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Send(ctx, n, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendDevices measures a send to 10,000 device handles, playing a
// direct provider (a Result and a Delivery per handle) and playing
// Notification Hubs (ten batches of 1000).
func BenchmarkSendDevices(b *testing.B) {
	n, _ := breakingNews(b)
	to := push.Devices(deviceHandles(10_000)...)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		opts []memory.Option
	}{
		{"direct", []memory.Option{memory.WithCapabilities(push.DirectCapabilities("apns", push.Apple))}},
		{"hub", nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				s := memory.New(bc.opts...) // a fresh log each time
				b.StartTimer()
				if _, err := s.Send(ctx, n, to); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func deviceHandles(n int) []string {
	hs := make([]string, n)
	for i := range hs {
		hs[i] = fmt.Sprintf("%064x", i+1)
	}
	return hs
}
