package memory_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/provider"
)

func TestOpenMemoryProvider(t *testing.T) {
	s, err := provider.Open(context.Background(), "memory", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*memory.Sender); !ok {
		t.Fatalf("Open returned a %T, want *memory.Sender", s)
	}
	_, err = provider.Open(context.Background(), "memory", "secret=shh")
	if err == nil || !strings.Contains(err.Error(), "provider memory: memory: open: the memory provider takes no configuration") || strings.Contains(err.Error(), "shh") {
		t.Errorf("Open with a configuration: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := provider.Open(ctx, "memory", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a done context: %v", err)
	}
}
