package memory_test

import (
	"context"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

// A Template notification carries properties; each registered device's
// templates expand them into its own native payload, as Notification Hubs
// would.
func ExamplePayload() {
	sender := memory.New()
	for _, d := range []memory.Device{
		{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"weather"}, Templates: map[string]string{
			"alert": `{"aps":{"alert":"$(title)","badge":"#(badge)"}}`,
		}},
		{Handle: "bob-surface", Platform: push.Windows, Tags: []string{"weather"}, Templates: map[string]string{
			"toast": `<toast><visual><binding template="ToastText01"><text id="1">$(title)</text></binding></visual></toast>`,
		}},
	} {
		if err := sender.Register(d); err != nil {
			fmt.Println(err)
		}
	}

	n, _ := push.TemplateNotification(map[string]string{"title": "Rain expected", "badge": "3"})
	if _, err := sender.Send(context.Background(), n, push.Tags("weather")); err != nil {
		fmt.Println(err)
	}

	for _, p := range sender.Deliveries()[0].Payloads {
		fmt.Printf("%s %s (%s): %s\n", p.Handle, p.Template, p.Platform, p.Body)
	}
	// Output:
	// alice-iphone alert (apple): {"aps":{"alert":"Rain expected","badge":3}}
	// bob-surface toast (windows): <toast><visual><binding template="ToastText01"><text id="1">Rain expected</text></binding></visual></toast>
}
