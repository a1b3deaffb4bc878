package webpushtest_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pushwire/push/webpush/webpushtest"
)

// Example subscribes a browser and sends it a push without payload with
// plain net/http: a push service requires only the TTL header for that.
func Example() {
	s := webpushtest.NewServer()
	defer s.Close()
	sub := s.NewSubscription()

	req, _ := http.NewRequest(http.MethodPost, sub.Endpoint, nil)
	req.Header.Set("TTL", "60")
	resp, err := s.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("TTL"), len(s.Delivered(sub.Endpoint)))
	// Output: 201 60 1
}

// ExampleServer_Fail throttles the next message: the client gets 429 with a
// Retry-After in seconds. The refused request is recorded, not delivered.
func ExampleServer_Fail() {
	s := webpushtest.NewServer()
	defer s.Close()
	sub := s.NewSubscription()
	s.Fail(webpushtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second, Times: 1})

	req, _ := http.NewRequest(http.MethodPost, sub.Endpoint, nil)
	req.Header.Set("TTL", "60")
	resp, err := s.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	m := s.Messages()[0]
	fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"), m.Refusal, len(s.Delivered(sub.Endpoint)))
	// Output: 429 2 injected fault 0
}

// ExampleWithApplicationServerKey restricts a subscription to one VAPID key,
// as a browser does when subscribed with an applicationServerKey: a message
// without VAPID authorization is refused with 401, and why is recorded.
func ExampleWithApplicationServerKey() {
	s := webpushtest.NewServer()
	defer s.Close()
	const appKey = "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs"
	sub := s.NewSubscription(webpushtest.WithApplicationServerKey(appKey))

	req, _ := http.NewRequest(http.MethodPost, sub.Endpoint, nil)
	req.Header.Set("TTL", "60")
	resp, err := s.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, s.Messages()[0].Refusal)
	// Output: 401 no VAPID authorization, which this subscription requires
}
