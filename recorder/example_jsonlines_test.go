package recorder_test

import (
	"context"
	"fmt"
	"os"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
)

// WithJSONLines writes each call as one deterministic line of JSON: keep it
// as a golden file of what an application sends. The browser subscription's
// Auth secret is redacted.
func ExampleWithJSONLines() {
	rec := recorder.New(memory.New(), recorder.WithJSONLines(os.Stdout))

	ctx := context.Background()
	alert, _ := push.AppleNotification(`{"aps":{"alert":"Rain expected"}}`)
	_, _ = rec.Send(ctx, alert, push.Expression("weather && lang:en"))

	web, _ := push.BrowserNotification(`{"title":"Rain expected"}`)
	_, _ = rec.Send(ctx, web, push.BrowserDevice(push.BrowserSubscription{
		Endpoint: "https://push.example/sub/1", P256DH: "BKey", Auth: "secret"}))

	if err := rec.WriteErr(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"op":"send","platform":"apple","contentType":"application/json;charset=utf-8","body":{"aps":{"alert":"Rain expected"}},"tags":"weather && lang:en"}
	// {"op":"send","platform":"browser","contentType":"application/json;charset=utf-8","body":{"title":"Rain expected"},"devices":["https://push.example/sub/1"],"subscriptions":[{"endpoint":"https://push.example/sub/1","p256dh":"BKey","auth":"REDACTED"}]}
}
