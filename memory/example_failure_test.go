package memory_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
)

// Injected failures exercise the caller's error handling: here a retry policy
// that honours the service's Retry-After.
func ExampleSender_FailNext() {
	clock := pushtest.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	sender := memory.New(memory.WithClock(clock))
	sender.FailNext(2, &push.Error{Op: "example", Kind: push.ErrThrottled, RetryAfter: 10 * time.Second})
	sender.FailWhen(func(e push.Envelope) bool { return e.Tags == "vip" }, &push.Error{Op: "example", Kind: push.ErrForbidden})

	n, _ := push.AppleNotification(`{"aps":{"alert":"hi"}}`)
	policy := push.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second}
	err := policy.Do(context.Background(), clock, func(ctx context.Context) error {
		_, err := sender.Send(ctx, n, push.Tags("news"))
		return err
	})
	fmt.Println("news:", err, "after waiting", clock.Sleeps())

	_, err = sender.Send(context.Background(), n, push.Tags("vip"))
	fmt.Println("vip forbidden:", errors.Is(err, push.ErrForbidden))
	fmt.Println("delivered:", sender.Len(), "failed:", sender.Failures())
	// Output:
	// news: <nil> after waiting [10s 10s]
	// vip forbidden: true
	// delivered: 1 failed: 3
}
