package memory_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/provider"
	"github.com/pushwire/push/pushtest"
)

func TestOpenMemoryProvider(t *testing.T) {
	clock := pushtest.NewClock(start)
	s, err := provider.Open(context.Background(), "memory://", provider.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	m, ok := s.(*memory.Sender)
	if !ok {
		t.Fatalf("Open returned a %T, want *memory.Sender", s)
	}
	n := mustNotification(t)(push.AppleNotification(`{"aps":{"alert":"hi"}}`))
	if _, err := m.Send(context.Background(), n, push.Tags("news")); err != nil {
		t.Fatal(err)
	}
	if got := m.Deliveries()[0].Time; !got.Equal(start) {
		t.Errorf("delivery at %v; want the clock of provider.WithClock, %v", got, start)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestOpenMemoryProviderRefusesConfiguration(t *testing.T) {
	for _, c := range []struct{ url, says string }{
		{"memory://?secret=shh", `unknown parameter "secret"; memory takes none`},
		{"memory://host", "with no host or path"},
		{"memory:///path", "with no host or path"},
	} {
		_, err := provider.Open(context.Background(), c.url)
		if err == nil || !strings.Contains(err.Error(), c.says) || strings.Contains(err.Error(), "shh") {
			t.Errorf("Open(%q) = %v; want an error saying %q", c.url, err, c.says)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := provider.Open(ctx, "memory://"); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a done context: %v", err)
	}
}
