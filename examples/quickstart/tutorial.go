package main

import (
	"context"
	"fmt"
	"io"

	"github.com/pushwire/push"
)

// toast is the tutorial's Windows payload.
const toast = `<toast><visual><binding template="ToastText01"><text id="1">Hello from Go!</text></binding></visual></toast>`

// sendStep is one send of the tutorial.
type sendStep struct {
	title  string                            // what the send shows
	python string                            // the Python sample's call
	code   string                            // the same in Go
	build  func() (push.Notification, error) // the notification
	to     push.Target
}

// steps returns the tutorial's sends, in order.
func steps() []sendStep {
	toastNote := func() (push.Notification, error) { return push.WindowsNotification(toast) }
	return []sendStep{
		{
			title: "a Windows toast to every Windows device (a broadcast)", to: push.Broadcast(), build: toastNote,
			python: "hub.send_windows_notification(wns_payload)",
			code:   "n, _ := push.WindowsNotification(toast); client.Send(ctx, n, push.Broadcast())",
		},
		{
			title: "an Apple alert to every iOS device", to: push.Broadcast(), build: push.APNs{Title: "Hello", Body: "Hello from Go!"}.Notification,
			python: "hub.send_apple_notification(alert_payload)",
			code:   `n, _ := push.APNs{Title: "Hello", Body: "Hello from Go!"}.Notification()`,
		},
		{
			title: "an FCM v1 alert to every Android device", to: push.Broadcast(),
			build:  push.FCMMessage{Display: &push.FCMNotification{Title: "Hello", Body: "Hello from Go!"}}.Notification,
			python: "hub.send_gcm_notification(gcm_payload)  # legacy GCM; FCM v1 replaced it in 2024",
			code:   `n, _ := push.FCMMessage{Display: &push.FCMNotification{Title: "Hello", Body: "Hello from Go!"}}.Notification()`,
		},
		{
			title: "a Windows toast to the devices tagged sports", to: push.Tags("sports"), build: toastNote,
			python: `hub.send_windows_notification(wns_payload, "sports")`,
			code:   `client.Send(ctx, n, push.Tags("sports"))`,
		},
		{
			title: "a Windows toast to the devices tagged sports or politics", to: push.Tags("sports", "politics"), build: toastNote,
			python: `hub.send_windows_notification(wns_payload, {'sports', 'politics'})`,
			code:   `client.Send(ctx, n, push.Tags("sports", "politics"))  // "sports || politics"`,
		},
		{
			title: "an Apple alert to a tag expression", to: push.Expression("sports && !politics"),
			build:  push.APNs{Body: "Sports, and no politics"}.Notification,
			python: `hub.send_apple_notification(alert_payload, "sports && !politics")`,
			code:   `client.Send(ctx, n, push.Expression("sports && !politics"))`,
		},
		{
			title: "a template notification: every device with a template fills in its own", to: push.Broadcast(),
			build:  func() (push.Notification, error) { return push.TemplateNotification(greeting) },
			python: "hub.send_template_notification({'greeting_en': 'Hello', 'greeting_fr': 'Salut'})",
			code:   `n, _ := push.TemplateNotification(map[string]string{"greeting_en": "Hello", "greeting_fr": "Salut"})`,
		},
	}
}

// greeting holds the tutorial's template properties.
var greeting = map[string]string{"greeting_en": "Hello", "greeting_fr": "Salut"}

// sendAll makes every send of the tutorial and returns how many the hub
// accepted. A failed send is reported and the tutorial goes on. After each
// accepted send, shown (when not nil) prints what the hub knows of it.
func sendAll(ctx context.Context, s push.Sender, out io.Writer, shown func(io.Writer)) (accepted, total int) {
	all := steps()
	for i, st := range all {
		heading(out, fmt.Sprintf("Send %d of %d: %s", i+1, len(all), st.title))
		fmt.Fprintln(out, "  Python:", st.python)
		fmt.Fprintln(out, "  Go:    ", st.code)
		if sendStepOnce(ctx, s, st, out) {
			accepted++
			if shown != nil {
				shown(out)
			}
		}
	}
	return accepted, len(all)
}

// sendStepOnce makes one send and prints its outcome; it reports whether the
// hub accepted it.
func sendStepOnce(ctx context.Context, s push.Sender, st sendStep, out io.Writer) bool {
	n, err := st.build()
	if err != nil {
		fmt.Fprintln(out, "  refused before sending:", err)
		return false
	}
	r, err := s.Send(ctx, n, st.to)
	if err != nil {
		fmt.Fprintln(out, "  failed:", err)
		return false
	}
	printReceipt(out, r)
	return true
}
