package apns_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

// Send an alert to a list of device tokens, here on the emulator, and read
// each token's result.
func Example() {
	srv := apnstest.NewServer()
	defer srv.Close()
	k := srv.Key() // what the developer account hands out: the .p8, its key ID, the team ID

	key, err := apns.ParseKey(k.PEM)
	if err != nil {
		fmt.Println(err)
		return
	}
	client, err := apns.New(apns.Sandbox, apns.Token(key, k.KeyID, k.TeamID),
		apns.WithTopic("com.example.app"),
		apns.WithEndpoint(srv.URL()), apns.WithHTTPClient(srv.Client())) // leave these out to reach Apple
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()

	n, err := push.Alert{Title: "Order shipped", Body: "Arriving Tuesday"}.Notification(push.Apple)
	if err != nil {
		fmt.Println(err)
		return
	}
	tokens := []string{srv.NewDevice(""), srv.NewDevice("")}
	receipt, err := client.Send(context.Background(), n, push.Devices(tokens...))
	fmt.Println("error:", err)
	for i, r := range receipt.Results {
		fmt.Printf("token %d accepted: %v, has an apns-id: %v\n", i+1, r.Accepted(), r.ID != "")
	}
	// Output:
	// error: <nil>
	// token 1 accepted: true, has an apns-id: true
	// token 2 accepted: true, has an apns-id: true
}

// A token APNs reports dead fails with push.ErrUnregistered, with the time
// APNs last knew it valid: delete it unless the device registered again
// since.
func Example_unregistered() {
	srv := apnstest.NewServer()
	defer srv.Close()
	k := srv.Key()
	key, _ := apns.ParseKey(k.PEM)
	client, err := apns.New(apns.Sandbox, apns.Token(key, k.KeyID, k.TeamID), apns.WithTopic("com.example.app"),
		apns.WithEndpoint(srv.URL()), apns.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	live, dead := srv.NewDevice(""), srv.NewDevice("")
	srv.Unregister(dead, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))

	n, _ := push.AppleNotification(`{"aps":{"alert":"Your order shipped"}}`)
	receipt, err := client.Send(context.Background(), n, push.Devices(live, dead))
	fmt.Println("some token is dead:", errors.Is(err, push.ErrUnregistered))
	for _, r := range receipt.Results {
		if r.Unregistered() {
			var e *push.Error
			errors.As(r.Err, &e)
			fmt.Println("delete", r.Handle == dead, "reason", e.Code, "since", r.UnregisteredAt.Format(time.DateOnly))
		}
	}
	// Output:
	// some token is dead: true
	// delete true reason Unregistered since 2026-03-01
}
