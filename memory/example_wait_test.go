package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

// Code that sends from its own goroutines is tested by waiting for the
// deliveries, with a deadline instead of a sleep.
func ExampleSender_WaitFor() {
	sender := memory.New()
	n, _ := push.AppleNotification(`{"aps":{"alert":"Your order shipped"}}`)
	for _, user := range []string{"alice", "bob", "carol"} {
		go func() { _, _ = sender.Send(context.Background(), n, push.User(user)) }()
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := sender.WaitFor(ctx, 3)
	fmt.Println(len(got), err)
	// Output:
	// 3 <nil>
}
