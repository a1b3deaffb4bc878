package newsroom_test

import (
	"context"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/examples/unittest/newsroom"
	"github.com/pushwire/push/memory"
)

// The application takes a push.Sender; the test hands it a memory Sender with
// registered devices, then asks who each send reached.
func Example() {
	sender := memory.New()
	_ = sender.Register(memory.Device{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"Politics"}})
	_ = sender.Register(memory.Device{Handle: "bob-iphone", Platform: push.Apple, Tags: []string{"Sports"}})
	_ = sender.Register(memory.Device{Handle: "bob-pixel", Platform: push.FCMV1, Tags: []string{"Politics"}})

	publisher := newsroom.New(sender)
	_, err := publisher.Publish(context.Background(), newsroom.Story{Category: "Politics", Headline: "Polls close"})
	fmt.Println("error:", err)

	for _, p := range newsroom.Platforms() {
		for _, d := range sender.ByPlatform(p) {
			fmt.Printf("%s to %q reached %v\n", p, d.Envelope.Tags, d.Reached)
		}
	}
	fmt.Println("alice's iPhone:", len(sender.ByDevice("alice-iphone")) > 0)
	fmt.Println("bob's iPhone:", len(sender.ByDevice("bob-iphone")) > 0)
	// Output:
	// error: <nil>
	// apple to "Politics" reached [alice-iphone]
	// fcmv1 to "Politics" reached [bob-pixel]
	// alice's iPhone: true
	// bob's iPhone: false
}
