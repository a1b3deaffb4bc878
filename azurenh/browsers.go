package azurenh

import (
	"context"

	"github.com/pushwire/push"
	"github.com/pushwire/push/direct"
)

// A batch request carries one notification for many handles but no
// subscription keys, so a browser notification to several subscriptions
// goes as one direct send per subscription, concurrently, through package
// direct (whose retry layer stays out of it: each request is already
// retried by doRequest, under the Client's policy).

// browserDriver makes one direct send to one subscription of a send.
type browserDriver struct{ c *Client }

func (d browserDriver) Send(ctx context.Context, env *push.Envelope, i int) push.Result {
	one := *env
	one.Devices, one.Subscriptions = env.Devices[i:i+1:i+1], env.Subscriptions[i:i+1:i+1]
	rec, err := d.c.sendDirect(ctx, one)
	return push.Result{ID: rec.ID, TrackingID: rec.TrackingID, Err: err}
}

// newBrowserSender returns the Sender of a Client's browser device lists.
func newBrowserSender(c *Client) *direct.Sender {
	return direct.New(browserDriver{c}, direct.Config{
		Op:           opSend,
		Capabilities: push.DirectCapabilities(ProviderName, push.Browser),
		Retry:        push.RetryPolicy{MaxAttempts: 1},
		Clock:        c.cfg.clock,
	})
}

// sendBrowsers sends a browser notification to each of several
// subscriptions: one direct request each, direct.DefaultConcurrency at a
// time, in order. Notification Hubs says nothing of a subscription's fate,
// so the Receipt lists one part per request (in Parts, a zero Receipt for
// one that failed or was not sent), and the error, when any failed, is a
// *push.DevicesError that names each.
func (c *Client) sendBrowsers(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	rec, err := c.browsers.Send(ctx, n, to)
	parts := make([]push.Receipt, len(rec.Results))
	for i, r := range rec.Results {
		parts[i] = push.Receipt{ID: r.ID, TrackingID: r.TrackingID}
	}
	out := combineParts(parts)
	return out, err
}
