package memory_test

import (
	"context"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

// Registered devices let a test ask who a send reached, evaluated with
// Notification Hubs' rules.
func ExampleSender_Register() {
	sender := memory.New()
	for _, d := range []memory.Device{
		{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"breaking-news"}, UserID: "alice"},
		{Handle: "bob-iphone", Platform: push.Apple, Tags: []string{"sports"}, UserID: "bob"},
		{Handle: "bob-pixel", Platform: push.FCMV1, Tags: []string{"breaking-news"}, UserID: "bob"},
	} {
		if err := sender.Register(d); err != nil {
			fmt.Println(err)
		}
	}

	n, _ := push.AppleNotification(`{"aps":{"alert":"Rain expected"}}`)
	if _, err := sender.Send(context.Background(), n, push.Tags("breaking-news")); err != nil {
		fmt.Println(err)
	}

	d := sender.Deliveries()[0]
	fmt.Println("reached:", d.Reached)
	fmt.Println("alice's iPhone:", d.Reaches("alice-iphone"))
	fmt.Println("bob's iPhone:", d.Reaches("bob-iphone"))
	// Output:
	// reached: [alice-iphone]
	// alice's iPhone: true
	// bob's iPhone: false
}
