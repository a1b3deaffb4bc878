package push_test

import (
	"fmt"
	"time"

	"github.com/pushwire/push"
)

// A typed APNs payload: the body and the apns-* headers come from one value.
func ExampleAPNs() {
	n, err := push.APNs{
		Title:             "Glucose low",
		Body:              "54 mg/dL",
		Badge:             new(int), // an explicit 0 clears the badge
		CriticalSound:     &push.APNsCriticalSound{Name: "alarm.caf", Volume: 0.8},
		InterruptionLevel: push.APNsCritical,
		RelevanceScore:    func(v float64) *float64 { return &v }(1),
		Custom:            map[string]any{"reading": 54},
		Priority:          10,
		Expiration:        time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
	}.Notification()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.Header.Get("apns-push-type"), n.Header.Get("apns-priority"), n.Header.Get("apns-expiration"))
	fmt.Println(string(n.Body))
	// Output:
	// alert 10 1893553445
	// {"aps":{"alert":{"title":"Glucose low","body":"54 mg/dL"},"badge":0,"sound":{"critical":1,"name":"alarm.caf","volume":0.8},"interruption-level":"critical","relevance-score":1},"reading":54}
}

// FCM data values are strings by type; the service's other rules are checked.
func ExampleFCMMessage() {
	n, err := push.FCMMessage{
		Display: &push.FCMNotification{Title: "Order shipped"},
		Data:    map[string]string{"orderID": "42"},
		Android: &push.FCMAndroid{Priority: push.PriorityHigh, TTL: 3500 * time.Millisecond,
			Notification: &push.FCMAndroidNotification{ChannelID: "orders", Color: "#1a73e8"}},
	}.Notification()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(n.Body))

	_, err = push.FCMMessage{Android: &push.FCMAndroid{Notification: &push.FCMAndroidNotification{Color: "blue"}}}.Notification()
	fmt.Println(err)
	// Output:
	// {"message":{"notification":{"title":"Order shipped"},"data":{"orderID":"42"},"android":{"priority":"high","ttl":"3.5s","notification":{"color":"#1a73e8","channel_id":"orders"}}}}
	// push: invalid notification: FCMAndroidNotification.Color "blue" must be #rrggbb, like #1a73e8
}

// A Windows toast, its XML built with encoding/xml and its X-WNS-* headers set.
func ExampleWNSToast() {
	n, err := push.WNSToast{
		Lines:    []string{"Order shipped", "Track & trace"},
		Launch:   "order=42",
		Duration: "long",
		Actions:  []push.WNSAction{{Content: "Track", Arguments: "track=42"}},
		Tag:      "order-42",
	}.Notification()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.Header.Get("X-WNS-Type"), n.Header.Get("X-WNS-Tag"))
	fmt.Println(string(n.Body))
	// Output:
	// wns/toast order-42
	// <toast launch="order=42" duration="long"><visual><binding template="ToastGeneric"><text>Order shipped</text><text>Track &amp; trace</text></binding></visual><actions><action content="Track" arguments="track=42"></action></actions></toast>
}
