package apns_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/pushtest"
)

// t0 is the time of the tests' clocks.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture is a Client talking to a fresh emulator, both on one manual clock.
type fixture struct {
	srv    *apnstest.Server
	client *apns.Client
	clock  *pushtest.Clock
}

// newFixture starts an emulator and a Client for its default key and topic.
func newFixture(t testing.TB, opts ...apns.Option) fixture {
	t.Helper()
	clock := pushtest.NewClock(t0)
	srv := apnstest.NewServer(apnstest.WithClock(clock))
	t.Cleanup(srv.Close)
	return fixture{srv: srv, client: newClient(t, srv, clock, opts...), clock: clock}
}

// newClient returns a Client for srv's default key and topic.
func newClient(t testing.TB, srv *apnstest.Server, clock push.Clock, opts ...apns.Option) *apns.Client {
	t.Helper()
	k := srv.Key()
	key, err := apns.ParseKey(k.PEM)
	require.NoError(t, err)
	base := []apns.Option{apns.WithTopic(apnstest.DefaultTopic), apns.WithEndpoint(srv.URL()),
		apns.WithHTTPClient(srv.Client()), apns.WithClock(clock)}
	c, err := apns.New(apns.Sandbox, apns.Token(key, k.KeyID, k.TeamID), append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// device returns the ith test device token.
func device(i int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 64)
	for j := range b {
		b[j] = hex[(i*7+j*13)%16]
	}
	b[0], b[1], b[2], b[3] = hex[i>>12&15], hex[i>>8&15], hex[i>>4&15], hex[i&15]
	return string(b)
}

// devices returns n distinct test device tokens.
func devices(n int) []string {
	ds := make([]string, n)
	for i := range ds {
		ds[i] = device(i)
	}
	return ds
}

func must(n push.Notification, err error) push.Notification {
	if err != nil {
		panic(err)
	}
	return n
}

const alertBody = `{"aps":{"alert":{"title":"Score","body":"Red Sox 3, Cardinals 2"},"sound":"default"}}`

func alert() push.Notification { return must(push.AppleNotification(alertBody)) }
