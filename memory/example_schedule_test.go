package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
)

// A scheduled send stays pending until the clock reaches its time.
func ExampleSender_Schedule() {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := pushtest.NewClock(start)
	sender := memory.New(memory.WithClock(clock))

	n, _ := push.AppleNotification(`{"aps":{"alert":"Good morning"}}`)
	ctx := context.Background()
	morning, _ := sender.Schedule(ctx, n, push.Tags("morning"), start.Add(8*time.Hour))
	evening, _ := sender.Schedule(ctx, n, push.Tags("evening"), start.Add(20*time.Hour))
	fmt.Println("pending:", len(sender.Pending()), "delivered:", sender.Len())

	if err := sender.Cancel(ctx, evening.ID); err != nil {
		fmt.Println(err)
	}
	clock.Advance(8 * time.Hour)
	for _, d := range sender.Deliveries() {
		fmt.Println(d.Receipt.ID == morning.ID, d.Envelope.Tags, d.Time.Format(time.RFC3339))
	}
	fmt.Println("pending:", len(sender.Pending()))
	fmt.Println(sender.Cancel(ctx, morning.ID))
	// Output:
	// pending: 2 delivered: 0
	// true morning 2030-01-02T11:04:05Z
	// pending: 0
	// memory: cancel: not found: no pending scheduled notification has ID "memory-1"; it was delivered at 2030-01-02T11:04:05Z
}
