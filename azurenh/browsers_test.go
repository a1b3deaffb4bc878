package azurenh_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

func browserSubs(n int) []push.BrowserSubscription {
	subs := make([]push.BrowserSubscription, n)
	for i := range subs {
		subs[i] = push.BrowserSubscription{Endpoint: fmt.Sprintf("https://push.example/sub/%d", i+1), P256DH: "BKey", Auth: "secret"}
	}
	return subs
}

// A batch request carries no subscription keys: several subscriptions go as
// one direct send each, listed in Receipt.Parts in order.
func TestBrowserDevicesGoAsDirectSends(t *testing.T) {
	srv, clock := newEmulated(t)
	c := emulatedClient(t, srv, srv.SendConnectionString(), clock)
	n, err := push.BrowserNotification(`{"title":"Rain expected"}`)
	require.NoError(t, err)
	subs := browserSubs(30)
	rec, err := c.Send(context.Background(), n, push.BrowserDevices(subs...))
	require.NoError(t, err)
	require.Len(t, rec.Parts, 30)
	assert.Nil(t, rec.Results, "Notification Hubs says nothing of a subscription's fate")
	assert.Equal(t, rec.Parts[0].ID, rec.ID)
	sends := srv.Sends()
	require.Len(t, sends, 30)
	seen := map[string]bool{}
	for _, s := range sends {
		assert.Equal(t, nhtest.KindDirect, s.Kind)
		require.Len(t, s.Envelope.Subscriptions, 1)
		seen[s.Envelope.Subscriptions[0].Endpoint] = true
	}
	assert.Len(t, seen, 30, "each subscription once")
}

func TestBrowserDevicesReportEachFailure(t *testing.T) {
	srv, clock := newEmulated(t)
	c := emulatedClient(t, srv, srv.SendConnectionString(), clock)
	srv.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: 400, Times: 1})
	n, err := push.BrowserNotification(`{"title":"Rain expected"}`)
	require.NoError(t, err)
	rec, err := c.Send(context.Background(), n, push.BrowserDevices(browserSubs(3)...))
	var de *push.DevicesError
	require.True(t, errors.As(err, &de), "err = %v", err)
	assert.Len(t, de.Failed, 1)
	assert.Equal(t, 3, de.Total)
	require.Len(t, rec.Parts, 3)
	empty := 0
	for _, p := range rec.Parts {
		if p.ID == "" {
			empty++
		}
	}
	assert.Equal(t, 1, empty, "the failed subscription's part is zero")
}
