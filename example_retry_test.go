package push_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
)

func ExampleRetryPolicy_Do() {
	clock := pushtest.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	policy := push.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Minute}

	calls := 0
	err := policy.Do(context.Background(), clock, func(context.Context) error {
		calls++
		if calls == 1 {
			// The service said 429 and asked for 5 seconds.
			return &push.Error{Op: "example", Kind: push.ErrThrottled, StatusCode: 429, RetryAfter: 5 * time.Second}
		}
		return nil
	})
	fmt.Println(err, calls, clock.Sleeps())
	// Output: <nil> 2 [5s]
}
