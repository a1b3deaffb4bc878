package webpush_test

import (
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/webpush"
)

// ExampleParseSubscription reads what a page posts after
// PushManager.subscribe(), and refuses a subscription whose key was cut.
func ExampleParseSubscription() {
	posted := `{"endpoint":"https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHq",
		"expirationTime":null,
		"keys":{"p256dh":"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4","auth":"BTBZMqHH6r4Tts7J_aSIgg"}}`
	sub, err := webpush.ParseSubscription([]byte(posted))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sub.Endpoint)
	fmt.Println(push.BrowserDevice(sub))

	_, err = webpush.ParseSubscription([]byte(`{"endpoint":"https://fcm.googleapis.com/fcm/send/x","keys":{"p256dh":"BCVxsr7N_eNgVRqvHtD0","auth":"BTBZMqHH6r4Tts7J_aSIgg"}}`))
	fmt.Println(err)
	// Output:
	// https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHq
	// device(https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHq)
	// webpush: parse subscription: invalid target: keys.p256dh is 15 bytes; a P-256 public key is 65 (an uncompressed point)
}
