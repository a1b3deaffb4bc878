package conformance

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/pushwire/push"
)

// canonicalHandle returns the suite's k-th device handle (1-based), the one
// its golden files name: 64 hex digits, like an APNs token.
func canonicalHandle(k int) string { return fmt.Sprintf("%064x", k) }

// canonicalSub returns the suite's k-th Web Push subscription (1-based). The
// first is the one of the golden file target-browser-device; the others
// differ by endpoint, and sort after it in the order they were made.
func canonicalSub(k int) push.BrowserSubscription {
	endpoint := "https://fcm.googleapis.com/fcm/send/dGVzdA"
	if k > 1 {
		endpoint += "-" + fmt.Sprintf("%04d", k)
	}
	return push.BrowserSubscription{Endpoint: endpoint,
		P256DH: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
		Auth:   "tBHItJI5svbpez7KI4CCXg"}
}

// devices makes the device handles and subscriptions of one case: its own
// canonical ones, or, when the harness is a DeviceMaker, the harness's, which
// it maps back to canonical ones before any comparison.
type devices struct {
	t        *testing.T
	maker    DeviceMaker // nil: the canonical handles are used as they are
	handles  int         // handles made so far
	subs     int         // subscriptions made so far
	toHandle map[string]string
	toSub    map[string]push.BrowserSubscription // by endpoint
}

func newDevices(t *testing.T, h Harness) *devices {
	d := &devices{t: t, toHandle: map[string]string{}, toSub: map[string]push.BrowserSubscription{}}
	d.maker, _ = h.(DeviceMaker)
	return d
}

// handle returns a new handle of platform p.
func (d *devices) handle(p push.Platform) string {
	d.handles++
	canonical := canonicalHandle(d.handles)
	if d.maker == nil {
		return canonical
	}
	real := d.maker.NewHandle(d.t, p)
	d.toHandle[real] = canonical
	return real
}

// sub returns a new subscription.
func (d *devices) sub() push.BrowserSubscription {
	d.subs++
	canonical := canonicalSub(d.subs)
	if d.maker == nil {
		return canonical
	}
	real := d.maker.NewSubscription(d.t)
	d.toSub[real.Endpoint] = canonical
	return real
}

// target returns a target of n new handles of platform p: push.Device (or
// push.BrowserDevice) when one is true, push.Devices (push.BrowserDevices)
// otherwise.
func (d *devices) target(p push.Platform, n int, one bool) push.Target {
	if p == push.Browser {
		subs := make([]push.BrowserSubscription, n)
		for i := range subs {
			subs[i] = d.sub()
		}
		if one {
			return push.BrowserDevice(subs[0])
		}
		return push.BrowserDevices(subs...)
	}
	hs := make([]string, n)
	for i := range hs {
		hs[i] = d.handle(p)
	}
	if one {
		return push.Device(hs[0])
	}
	return push.Devices(hs...)
}

// canonical returns env with its handles and subscriptions replaced by the
// suite's canonical ones. env is not modified.
func (d *devices) canonical(env push.Envelope) push.Envelope {
	if d.maker == nil || (len(env.Devices) == 0 && len(env.Subscriptions) == 0) {
		return env
	}
	if env.Devices != nil {
		hs := make([]string, len(env.Devices))
		for i, h := range env.Devices {
			hs[i] = d.canonicalHandle(h)
		}
		env.Devices = hs
	}
	if env.Subscriptions != nil {
		subs := make([]push.BrowserSubscription, len(env.Subscriptions))
		for i, s := range env.Subscriptions {
			if c, ok := d.toSub[s.Endpoint]; ok && c.P256DH != "" && s.P256DH != "" {
				subs[i] = c
			} else {
				subs[i] = s
			}
		}
		env.Subscriptions = subs
	}
	return env
}

// canonicalHandle maps a handle back: a subscription's endpoint or a
// handle the maker made; anything else is kept, to show in a difference.
func (d *devices) canonicalHandle(h string) string {
	if c, ok := d.toHandle[h]; ok {
		return c
	}
	if c, ok := d.toSub[h]; ok {
		return c.Endpoint
	}
	return h
}

// position returns the 1-based number of a canonical handle or endpoint,
// 0 when it is not one: the order in which the case made it.
func position(handle string) int {
	var k int
	if _, err := fmt.Sscanf(handle, "%064x", &k); err == nil && canonicalHandle(k) == handle {
		return k
	}
	if handle == canonicalSub(1).Endpoint {
		return 1
	}
	const prefix = "https://fcm.googleapis.com/fcm/send/dGVzdA-"
	if len(handle) == len(prefix)+4 && handle[:len(prefix)] == prefix {
		if k, err := strconv.Atoi(handle[len(prefix):]); err == nil {
			return k
		}
	}
	return 0
}
