package provider_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pushwire/push"
	_ "github.com/pushwire/push/memory" // registers the "memory" provider
	"github.com/pushwire/push/provider"
)

// A program picks its provider from a configuration URL at run time; here
// the in-memory one, which takes no parameters.
func ExampleOpen() {
	ctx := context.Background()
	sender, err := provider.Open(ctx, "memory://")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sender.Close()
	n, _ := push.AppleNotification(`{"aps":{"alert":"Hello"}}`)
	receipt, err := sender.Send(ctx, n, push.Tags("greetings"))
	fmt.Println(receipt.ID, err)

	// An unknown scheme lists the registered ones and how to add one.
	_, err = provider.Open(ctx, "carrierpigeon://coop")
	fmt.Println(errors.Is(err, push.ErrNotFound))
	// Output:
	// memory-1 <nil>
	// true
}
