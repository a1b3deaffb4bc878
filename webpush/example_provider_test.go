package webpush_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/pushwire/push"
	"github.com/pushwire/push/provider"
	"github.com/pushwire/push/webpush/webpushtest"
)

// Example_provider opens a Client from a configuration URL, the VAPID key in
// an environment variable, and sends through it.
func Example_provider() {
	srv := webpushtest.NewServer()
	defer srv.Close()
	os.Setenv("EXAMPLE_VAPID_KEY", "QckpSf23zz0k2Ch21lfMUxxIOAqUiC57Q1QjMYEHNuU")
	defer os.Unsetenv("EXAMPLE_VAPID_KEY")

	sender, err := provider.Open(context.Background(),
		"webpush://?vapid_private_key_env=EXAMPLE_VAPID_KEY&subject=mailto:ops@example.com&ttl=1h",
		provider.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	defer sender.Close()
	fmt.Println(sender)

	sub := srv.NewSubscription()
	n, _ := push.BrowserNotification(`{"title":"Hi"}`)
	if _, err := sender.Send(context.Background(), n, push.BrowserDevice(sub)); err != nil {
		log.Fatal(err)
	}
	m := srv.Delivered(sub.Endpoint)[0]
	fmt.Println(m.Header.Get("TTL"), string(m.Plaintext))
	// Output:
	// webpush.Client(VAPID key BIxYK08HdDKnirT80k5FVzQiUVvQinZbcumZSlt_RKMQzEZS61tUKMzKJFTZ_qrQz-FeD_kvIZBZYkQzqAReISE, subject mailto:ops@example.com)
	// 3600 {"title":"Hi"}
}
