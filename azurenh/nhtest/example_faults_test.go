package nhtest_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pushwire/push/azurenh/nhtest"
)

// ExampleServer_Fail throttles the next send: the client gets 429 with a
// Retry-After in seconds, and the request is not recorded.
func ExampleServer_Fail() {
	s := nhtest.NewServer()
	defer s.Close()
	s.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second, Times: 1})

	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/"+s.Hub()+"/messages?api-version=2020-06", nil)
	req.Header.Set("Authorization", s.Authorization(nhtest.SendRuleName)) // faults apply to signed requests only
	resp, err := s.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"), len(s.Sends()))
	// Output: 429 2 0
}
