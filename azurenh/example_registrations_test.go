package azurenh_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// A device registers with the registration-ID flow the service recommends: it
// asks for an ID once, keeps it, and creates or updates the registration under
// it, so that registering again is harmless. An update carries the ETag it
// read; when the registration changed in between, the service refuses it with
// 412 Precondition Failed.
func ExampleClient_NewRegistrationID() {
	srv := nhtest.NewServer()
	defer srv.Close()
	// A device holds the Listen rule only.
	client, err := azurenh.New(srv.ListenConnectionString(), srv.Hub(), azurenh.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	id, err := client.NewRegistrationID(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	reg, err := client.CreateOrUpdateRegistration(ctx, azurenh.Registration{
		Kind:   azurenh.FCMV1Registration,
		ID:     id,
		Handle: "cRk3pW:APA91bH4zQ",
		Tags:   []string{"sports"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("ETag", reg.ETag, reg.Tags)

	stale := reg
	reg.Tags = []string{"sports", "news"}
	if reg, err = client.UpdateRegistration(ctx, reg); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("ETag", reg.ETag, reg.Tags)

	_, err = client.UpdateRegistration(ctx, stale)
	if errors.Is(err, push.ErrConflict) {
		fmt.Println("stale ETag: read it again")
	}
	// Output:
	// ETag 1 [sports]
	// ETag 2 [sports news]
	// stale ETag: read it again
}

// A back end (with the Manage rule) lists registrations a page at a time; the
// loop goes through every page.
func ExampleClient_Registrations() {
	srv := nhtest.NewServer()
	defer srv.Close()
	client, err := azurenh.New(srv.ConnectionString(), srv.Hub(), azurenh.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for _, token := range []string{"0a1b", "2c3d", "4e5f"} {
		_, err := client.CreateRegistration(ctx, azurenh.Registration{Kind: azurenh.AppleRegistration, Handle: token, Tags: []string{"news"}})
		if err != nil {
			fmt.Println(err)
			return
		}
	}

	for reg, err := range client.Registrations(ctx, azurenh.Top(2)) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(reg.Kind, reg.Handle, reg.Tags)
	}
	for reg, err := range client.RegistrationsByChannel(ctx, push.Apple, "2c3d") {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("device 2c3d:", reg.Handle)
	}
	// Output:
	// Apple 0a1b [news]
	// Apple 2c3d [news]
	// Apple 4e5f [news]
	// device 2c3d: 2c3d
}
