package recorder_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
)

// A Recorder wraps any Sender and records every call with what was rendered
// and what the wrapped Sender answered.
func Example() {
	mem := memory.New()
	mem.FailWhen(func(e push.Envelope) bool { return e.Tags == "vip" }, &push.Error{Op: "example", Kind: push.ErrForbidden})
	rec := recorder.New(mem)

	n, _ := push.AppleNotification(`{"aps":{"alert":"Rain expected"}}`)
	ctx := context.Background()
	_, _ = rec.Send(ctx, n, push.Tags("weather"))
	_, _ = rec.Send(ctx, n, push.Tags("vip"))
	_, _ = rec.Send(ctx, n, push.Tags("not a tag"))

	for _, c := range rec.Calls() {
		fmt.Printf("%s %q receipt=%q forbidden=%v invalid=%v\n", c.Op, c.Envelope.Tags, c.Receipt.ID,
			errors.Is(c.Err, push.ErrForbidden), errors.Is(c.Err, push.ErrInvalidTarget))
	}
	fmt.Println(rec.Unwrap() == push.Sender(mem), rec.CanSchedule())
	// Output:
	// send "weather" receipt="memory-1" forbidden=false invalid=false
	// send "vip" receipt="" forbidden=true invalid=false
	// send "" receipt="" forbidden=false invalid=true
	// true true
}
