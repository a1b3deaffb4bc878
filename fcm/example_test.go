package fcm_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/fcm/fcmtest"
)

// Send to registration tokens, and delete those FCM says are dead. The
// emulator stands in for FCM; with a real project, give New the project ID
// and WithCredentialsFile.
func Example() {
	srv := fcmtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := fcm.New(ctx, srv.Project(),
		fcm.WithCredentialsJSON(srv.ServiceAccountJSON()), fcm.WithEndpoint(srv.URL()), fcm.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	live, dead := srv.NewToken(), srv.NewToken()
	srv.Unregister(dead)
	n, err := push.FCMMessage{Display: &push.FCMNotification{Title: "Order shipped", Body: "Arriving Tuesday"}}.Notification()
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := c.Send(ctx, n, push.Devices(live, dead))
	fmt.Println("any dead:", errors.Is(err, push.ErrUnregistered))
	for i, res := range r.Results {
		fmt.Printf("token %d: accepted %v, delete %v\n", i+1, res.Accepted(), res.Unregistered())
	}
	// Output:
	// any dead: true
	// token 1: accepted true, delete false
	// token 2: accepted false, delete true
}

// Tags become FCM topics and conditions. Devices are subscribed to
// fcm.Topic(tag) for each of their tags.
func Example_topics() {
	srv := fcmtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := fcm.New(ctx, srv.Project(),
		fcm.WithCredentialsJSON(srv.ServiceAccountJSON()), fcm.WithEndpoint(srv.URL()), fcm.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	n, _ := push.FCMMessage{Data: map[string]string{"score": "3-2"}}.Notification()
	for _, to := range []push.Target{push.Tags("sports"), push.Expression("follows_RedSox && !muted"), push.User("alice")} {
		if _, err := c.Send(ctx, n, to); err != nil {
			fmt.Println(err)
		}
	}
	for _, r := range srv.Messages() {
		fmt.Printf("topic %q condition %q\n", r.Target.Topic, r.Target.Condition)
	}
	// Output:
	// topic "sports" condition ""
	// topic "" condition "'follows_RedSox' in topics && !('muted' in topics)"
	// topic "%24UserId%3A%7Balice%7D" condition ""
}

// Topic names the FCM topic an app subscribes a device to for a tag.
func ExampleTopic() {
	fmt.Println(fcm.Topic("sports"))
	fmt.Println(fcm.Topic("$InstallationId:{42}"))
	// Output:
	// sports
	// %24InstallationId%3A%7B42%7D
}

// A dry run checks a message, token included, and delivers nothing.
func ExampleWithDryRun() {
	srv := fcmtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := fcm.New(ctx, srv.Project(), fcm.WithDryRun(true),
		fcm.WithCredentialsJSON(srv.ServiceAccountJSON()), fcm.WithEndpoint(srv.URL()), fcm.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	n, _ := push.FCMMessage{Data: map[string]string{"ping": "1"}}.Notification()
	r, err := c.Send(ctx, n, push.Device(srv.NewToken()))
	fmt.Println(r.ID, err, len(srv.Messages()))
	// Output:
	// projects/fcmtest-project/messages/fake_message_id <nil> 0
}
