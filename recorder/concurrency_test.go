package recorder_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
)

func TestConcurrentCallsAreAllRecorded(t *testing.T) {
	const goroutines, each = 16, 50
	n := must(push.AppleNotification(`{"aps":{}}`))
	var out bytes.Buffer // not safe for concurrent use: the Recorder serializes writes
	mem := memory.New()
	rec := recorder.New(mem, recorder.WithJSONLines(&out))
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				if _, err := rec.Send(context.Background(), n, push.Tags(tagOf(g*each+i))); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Go(func() { _ = rec.Calls(); _ = rec.Len() })
	wg.Wait()

	calls := rec.Calls()
	if len(calls) != goroutines*each || mem.Len() != goroutines*each {
		t.Fatalf("%d calls recorded, %d delivered; want %d", len(calls), mem.Len(), goroutines*each)
	}
	seen := make(map[string]bool)
	for _, c := range calls {
		if seen[c.Envelope.Tags] {
			t.Fatalf("send to %s recorded twice", c.Envelope.Tags)
		}
		seen[c.Envelope.Tags] = true
	}
	lines := 0
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var v map[string]any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %d: %v", lines+1, err)
		}
		if v["tags"] != calls[lines].Envelope.Tags {
			t.Fatalf("line %d is for %v, call %d for %s: lines out of order", lines+1, v["tags"], lines+1, calls[lines].Envelope.Tags)
		}
		lines++
	}
	if lines != len(calls) {
		t.Errorf("%d lines for %d calls", lines, len(calls))
	}
}

func tagOf(i int) string {
	return "t" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
}
