package faults

import (
	"sync"
	"testing"
)

type fault struct {
	name, route string
}

func TestQueue(t *testing.T) {
	var q Queue[fault]
	q.Add(fault{"twice", "send"}, 2)
	q.Add(fault{"always", ""}, 0)
	take := func(route string) string {
		f, ok := q.Take(func(f fault) bool { return f.route == "" || f.route == route })
		if !ok {
			return "none"
		}
		return f.name
	}
	got := []string{take("get"), take("send"), take("send"), take("send")}
	want := []string{"always", "twice", "twice", "always"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("takes %v; want %v (in order added, each with its count)", got, want)
		}
	}
	q.Clear()
	if take("send") != "none" {
		t.Error("a fault survived Clear")
	}
}

func TestQueueConcurrentTakesCountExactly(t *testing.T) {
	var q Queue[fault]
	q.Add(fault{"limited", ""}, 100)
	var mu sync.Mutex
	taken := 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if _, ok := q.Take(func(fault) bool { return true }); ok {
					mu.Lock()
					taken++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if taken != 100 {
		t.Errorf("%d applications of a fault of 100", taken)
	}
}
