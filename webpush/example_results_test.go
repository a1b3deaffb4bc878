package webpush_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/pushwire/push"
	"github.com/pushwire/push/webpush"
	"github.com/pushwire/push/webpush/webpushtest"
)

// Example_deadSubscriptions sends to several subscriptions and deletes
// those whose browser unsubscribed: each has its own Result, in order.
func Example_deadSubscriptions() {
	srv := webpushtest.NewServer()
	defer srv.Close()
	key, _ := webpush.ParseVAPIDKey([]byte("QckpSf23zz0k2Ch21lfMUxxIOAqUiC57Q1QjMYEHNuU"))
	client, err := webpush.New(key, "mailto:ops@example.com", webpush.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	subs := []push.BrowserSubscription{srv.NewSubscription(), srv.NewSubscription(), srv.NewSubscription()}
	srv.Expire(subs[1].Endpoint) // this browser unsubscribed: its push service answers 410

	n, _ := push.BrowserNotification(`{"title":"Sale","body":"Today only"}`)
	receipt, err := client.Send(context.Background(), n, push.BrowserDevices(subs...))
	fmt.Println(errors.Is(err, push.ErrUnregistered))
	for i, r := range receipt.Results {
		switch {
		case r.Unregistered():
			fmt.Println(i, "dead: delete it")
		case r.Err != nil:
			fmt.Println(i, "failed:", r.Err)
		default:
			fmt.Println(i, "accepted")
		}
	}
	// Output:
	// true
	// 0 accepted
	// 1 dead: delete it
	// 2 accepted
}
