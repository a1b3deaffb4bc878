package azurenh_test

import (
	"context"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// The ID of a send's Receipt names it for telemetry (Standard tier): its state
// and how many deliveries ended how, per platform.
func ExampleClient_NotificationDetails() {
	srv := nhtest.NewServer()
	defer srv.Close()
	client, err := azurenh.New(srv.ConnectionString(), srv.Hub(), azurenh.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for _, token := range []string{"0a1b2c3d", "4e5f6a7b"} {
		_, err := client.CreateRegistration(ctx, azurenh.Registration{Kind: azurenh.AppleRegistration, Handle: token, Tags: []string{"sports"}})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	n, err := push.AppleNotification(`{"aps":{"alert":"Goal!"}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	receipt, err := client.Send(ctx, n, push.Tags("sports"))
	if err != nil {
		fmt.Println(err)
		return
	}

	d, err := client.NotificationDetails(ctx, receipt.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.State, d.State.Final(), d.TargetPlatforms)
	fmt.Println("APNs successes:", d.Count(push.Apple, "Success"))
	// Output:
	// Completed true [apple]
	// APNs successes: 2
}
