package azurenh

import "github.com/pushwire/push"

// capabilities is what a Client delivers: every platform to tags and
// broadcasts, which it can schedule and test-send; every native platform to
// device handles, in batches of push.MaxBatchDevices; a browser to its
// subscriptions one request each (a batch request carries no subscription
// keys). Notification Hubs reports nothing of a device's fate, so
// Receipt.Results stays empty.
func capabilities() push.Capabilities {
	c := push.Capabilities{Provider: ProviderName, Platforms: make(map[push.Platform]push.Support)}
	for _, p := range push.Platforms() {
		s := push.Support{Targets: push.AllTargets, Schedule: true, TestSend: true, BatchSize: push.MaxBatchDevices}
		switch p {
		case push.Template:
			s.Targets, s.BatchSize = push.HubTargets, 0
		case push.Browser:
			s.BatchSize = 1
		}
		c.Platforms[p] = s
	}
	return c
}

// Capabilities says what the Client delivers: every platform to tags and
// broadcasts (scheduled and test sends included), every native platform to
// device handles in batches of push.MaxBatchDevices, a browser notification
// to its subscriptions one direct send each. Notification Hubs learns
// nothing of a device's fate, so a Client never fills Receipt.Results (a
// dead handle shows later, in the hub's PNS feedback).
func (c *Client) Capabilities() push.Capabilities { return c.caps.Clone() }
