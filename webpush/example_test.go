package webpush_test

import (
	"context"
	"fmt"
	"log"

	"github.com/pushwire/push"
	"github.com/pushwire/push/webpush"
	"github.com/pushwire/push/webpush/webpushtest"
)

// Example sends a browser notification to a subscription of the emulator,
// which decrypts it as the browser would.
func Example() {
	srv := webpushtest.NewServer()
	defer srv.Close()

	key, err := webpush.GenerateVAPIDKey() // once per application server, then kept
	if err != nil {
		log.Fatal(err)
	}
	client, err := webpush.New(key, "mailto:ops@example.com", webpush.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// What PushManager.subscribe({applicationServerKey: key.PublicKey()}) gives the page.
	sub := srv.NewSubscription(webpushtest.WithApplicationServerKey(key.PublicKey()))

	n, err := push.WebPush{Title: "Order shipped", Body: "Arriving Tuesday"}.Notification()
	if err != nil {
		log.Fatal(err)
	}
	receipt, err := client.Send(context.Background(), n, push.BrowserDevice(sub))
	if err != nil {
		log.Fatal(err)
	}
	m := srv.Delivered(sub.Endpoint)[0]
	fmt.Println(receipt.ID == srv.URL()+"/message/"+m.ID)
	fmt.Println(string(m.Plaintext))
	fmt.Println("TTL", m.Header.Get("TTL"))
	// Output:
	// true
	// {"title":"Order shipped","body":"Arriving Tuesday"}
	// TTL 86400
}
