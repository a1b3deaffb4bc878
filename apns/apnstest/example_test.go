package apnstest_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/pushwire/push/apns/apnstest"
)

// A Server hands a test what Apple's developer account would: a .p8 key,
// its key ID and the team ID, for the topic it knows; and device tokens to
// send to, live or dead.
func Example() {
	srv := apnstest.NewServer()
	defer srv.Close()
	k := srv.Key()
	fmt.Println(k.KeyID, k.TeamID, apnstest.DefaultTopic)
	fmt.Println(strings.HasPrefix(string(k.PEM), "-----BEGIN PRIVATE KEY-----"), strings.HasPrefix(srv.URL(), "https://127.0.0.1:"))

	live := srv.NewDevice(apnstest.DefaultTopic)
	dead := srv.NewDevice(apnstest.DefaultTopic)
	srv.Unregister(dead, time.Now())
	fmt.Println(len(live), live != dead)

	// Misbehave on demand: throttle the next two requests, then end a
	// connection with a GOAWAY.
	srv.Fail(apnstest.Fault{Status: 429, Times: 2})
	srv.Fail(apnstest.Fault{GoAway: true, Times: 1})
	// Output:
	// KEY0000001 TEAM000001 com.example.app
	// true true
	// 64 true
}
