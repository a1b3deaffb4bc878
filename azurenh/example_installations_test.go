package azurenh_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// A back end registers a device as an installation, sends to its tags, moves it
// to another tag with a patch, and deletes it. The emulator stands in for the
// service; a program passes its hub's connection string and leaves
// WithHTTPClient out.
//
// The service applies installation writes asynchronously: a read or a send right
// after a write may not see it yet. The emulator applies them at once.
func ExampleClient_PutInstallation() {
	srv := nhtest.NewServer()
	defer srv.Close()
	client, err := azurenh.New(srv.ConnectionString(), srv.Hub(),
		azurenh.WithHTTPClient(srv.Client()), azurenh.WithTestSend(true))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	err = client.PutInstallation(ctx, azurenh.Installation{
		ID:          "iphone-3f9c2a",
		Platform:    azurenh.InstallationAPNS,
		PushChannel: azurenh.HandleChannel("8a0c2e9f1b3d5a7c9e0f2a4c6e8b0d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b"),
		Tags:        []string{"sports"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := push.AppleNotification(`{"aps":{"alert":"Red Sox 3, Cardinals 2"}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := client.Send(ctx, n, push.Tags("sports"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sports reaches", r.Outcome.Success, "device")

	err = client.PatchInstallation(ctx, "iphone-3f9c2a", azurenh.AddTag("news"), azurenh.RemoveTag("sports"))
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := client.GetInstallation(ctx, "iphone-3f9c2a")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("tags:", in.Tags)

	if err := client.DeleteInstallation(ctx, "iphone-3f9c2a"); err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.GetInstallation(ctx, "iphone-3f9c2a")
	fmt.Println("after the delete:", errors.Is(err, push.ErrNotFound))
	// Output:
	// sports reaches 1 device
	// tags: [news]
	// after the delete: true
}
