package push_test

import (
	"context"
	"fmt"

	"github.com/pushwire/push"
)

// One Alert, rendered for Apple and for Firebase.
func ExampleAlert() {
	a := push.Alert{
		Title:       "Order shipped",
		Body:        "Your order #42 is on its way",
		Badge:       new(int), // 0: clear the badge
		Data:        map[string]string{"orderID": "42"},
		Priority:    push.PriorityHigh,
		CollapseKey: "order-42",
		// An override reaches the native payload: here an APNs category.
		Apple: func(x *push.APNs) { x.Category = "ORDER" },
	}
	for _, p := range []push.Platform{push.Apple, push.FCMV1} {
		n, err := a.Notification(p)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p, n.Header.Get("apns-priority"), string(n.Body))
	}
	// Output:
	// apple 10 {"aps":{"alert":{"title":"Order shipped","body":"Your order #42 is on its way"},"badge":0,"category":"ORDER"},"orderID":"42"}
	// fcmv1  {"message":{"notification":{"title":"Order shipped","body":"Your order #42 is on its way"},"data":{"orderID":"42"},"android":{"collapse_key":"order-42","priority":"high","notification":{"notification_count":0}}}}
}

// An Alert as template properties, for hubs whose devices registered templates.
func ExampleAlert_TemplateProperties() {
	a := push.Alert{Title: "Order shipped", Badge: new(int), Data: map[string]string{"orderID": "42"}}
	n, err := a.Notification(push.Template)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(n.Body))
	// Output:
	// {"badge":"0","data_orderID":"42","title":"Order shipped"}
}

// receiptSender is a tiny Sender that accepts what renders and fails Windows.
type receiptSender struct{}

func (receiptSender) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if _, err := push.Render(n, to); err != nil {
		return push.Receipt{}, err
	}
	if n.Platform == push.Windows {
		return push.Receipt{}, &push.Error{Op: "example: send", Kind: push.ErrUnavailable}
	}
	return push.Receipt{ID: "sent-to-" + string(n.Platform)}, nil
}

// FanOut sends one Alert to several platforms at once and reports each.
func ExampleFanOut() {
	a := push.Alert{Title: "Order shipped", Body: "Your order #42 is on its way"}
	results := push.FanOut(context.Background(), receiptSender{}, a, push.User("alice"),
		push.Apple, push.FCMV1, push.Windows)
	for _, r := range results {
		fmt.Printf("%-7s %q %v\n", r.Platform, r.Receipt.ID, r.Err)
	}
	fmt.Println(results.Err())
	// Output:
	// apple   "sent-to-apple" <nil>
	// fcmv1   "sent-to-fcmv1" <nil>
	// windows "" example: send: unavailable
	// push: fan-out failed on 1 of 3 platforms: windows: example: send: unavailable
}
