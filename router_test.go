package push_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/conformance"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
)

var routerStart = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// routed is a Router over memory Senders playing APNs, FCM and Web Push
// (one request per handle), with a hub for the rest.
type routed struct {
	router                   *push.Router
	apple, fcm, browser, hub *memory.Sender
}

func newRouted(t *testing.T, clock push.Clock) routed {
	t.Helper()
	direct := func(name string, p push.Platform) *memory.Sender {
		return memory.New(memory.WithClock(clock), memory.WithCapabilities(push.DirectCapabilities(name, p)))
	}
	r := routed{apple: direct("apns", push.Apple), fcm: direct("fcm", push.FCMV1), browser: direct("webpush", push.Browser),
		hub: memory.New(memory.WithClock(clock))}
	var err error
	r.router, err = push.NewRouter(map[push.Platform]push.Sender{push.Apple: r.apple, push.FCMV1: r.fcm, push.Browser: r.browser}, r.hub)
	require.NoError(t, err)
	return r
}

func TestRouterSendsEachPlatformThroughItsRoute(t *testing.T) {
	r := newRouted(t, pushtest.NewClock(routerStart))
	ctx := context.Background()
	apple := mustNotification(t, push.Apple, `{"aps":{"alert":"hi"}}`, nil)
	fcm := mustNotification(t, push.FCMV1, `{"message":{"notification":{"title":"hi"}}}`, nil)
	toast := mustNotification(t, push.Windows, `<toast/>`, nil)

	rec, err := r.router.Send(ctx, apple, push.Devices("a1", "a2"))
	require.NoError(t, err)
	assert.Len(t, rec.Results, 2, "the APNs route reports per device")
	_, err = r.router.Send(ctx, fcm, push.Device("f1"))
	require.NoError(t, err)
	_, err = r.router.Send(ctx, toast, push.Tags("news"))
	require.NoError(t, err)

	assert.Equal(t, 2, r.apple.Len())
	assert.Equal(t, 1, r.fcm.Len())
	assert.Equal(t, 0, r.browser.Len())
	assert.Equal(t, 1, r.hub.Len(), "the fallback takes the other platforms")
	assert.Same(t, push.Sender(r.fcm), r.router.Route(push.FCMV1))
	assert.Same(t, push.Sender(r.hub), r.router.Route(push.ADM))
	assert.Nil(t, r.router.Route("ios"))
}

func TestRouterRefusesWhatItsRoutesCannot(t *testing.T) {
	apns := memory.New(memory.WithCapabilities(push.DirectCapabilities("apns", push.Apple)))
	r, err := push.NewRouter(map[push.Platform]push.Sender{push.Apple: apns}, nil)
	require.NoError(t, err)
	ctx := context.Background()
	toast := mustNotification(t, push.Windows, `<toast/>`, nil)
	apple := mustNotification(t, push.Apple, `{"aps":{}}`, nil)

	_, err = r.Send(ctx, toast, push.Tags("news"))
	assert.ErrorIs(t, err, push.ErrUnsupported)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	assert.ErrorContains(t, err, "no route for windows notifications; routes: apple to device, devices")

	_, err = r.Send(ctx, apple, push.Tags("news"))
	assert.ErrorIs(t, err, push.ErrUnsupported, "the route refuses a target kind it cannot deliver")
	assert.ErrorContains(t, err, "apns delivers apple notifications to device, devices, not to tags")

	_, err = r.Send(ctx, push.Notification{Platform: "ios", Body: []byte(`{}`)}, push.Device("x"))
	assert.ErrorIs(t, err, push.ErrInvalidNotification, "no platform at all is malformed, not unsupported")

	_, err = r.Schedule(ctx, apple, push.Tags("news"), time.Now().Add(time.Hour))
	assert.ErrorIs(t, err, push.ErrUnsupported)
	assert.ErrorIs(t, r.Cancel(ctx, "x"), push.ErrUnsupported)
	assert.Zero(t, apns.Len())
}

func TestRouterCapabilitiesAreItsRoutes(t *testing.T) {
	r := newRouted(t, push.SystemClock())
	c := r.router.Capabilities()
	assert.Equal(t, "router(apple: apns, fcmv1: fcm, gcm: memory, windows: memory, windowsphone: memory, adm: memory, baidu: memory, browser: webpush, xiaomi: memory, template: memory)", c.Provider)
	assert.Equal(t, push.DeviceTargets, c.Platforms[push.Apple].Targets)
	assert.True(t, c.Platforms[push.Apple].PerDevice)
	assert.False(t, c.Platforms[push.Apple].Schedule)
	assert.Equal(t, push.AllTargets, c.Platforms[push.Windows].Targets)
	assert.True(t, c.Platforms[push.Windows].Schedule)
	c.Platforms[push.Apple] = push.Support{}
	assert.True(t, r.router.Capabilities().Platforms[push.Apple].PerDevice, "Capabilities returns a copy")
}

func TestRouterSchedulesAndCancelsThroughTheRouteThatCan(t *testing.T) {
	clock := pushtest.NewClock(routerStart)
	r := newRouted(t, clock)
	ctx := context.Background()
	toast := mustNotification(t, push.Windows, `<toast/>`, nil)
	rec, err := r.router.Schedule(ctx, toast, push.Tags("news"), routerStart.Add(time.Hour))
	require.NoError(t, err)
	assert.Len(t, r.hub.Pending(), 1)
	require.NoError(t, r.router.Cancel(ctx, rec.ID))
	assert.Empty(t, r.hub.Pending())
	assert.ErrorIs(t, r.router.Cancel(ctx, rec.ID), push.ErrNotFound)
}

// Two hubs: Cancel asks each until one knows the ID.
func TestRouterCancelAsksEachSchedulingRoute(t *testing.T) {
	clock := pushtest.NewClock(routerStart)
	first, second := memory.New(memory.WithClock(clock)), memory.New(memory.WithClock(clock), memory.WithIDs(func() string { return "second-1" }))
	r, err := push.NewRouter(map[push.Platform]push.Sender{push.Apple: first}, second)
	require.NoError(t, err)
	toast := mustNotification(t, push.Windows, `<toast/>`, nil)
	rec, err := r.Schedule(context.Background(), toast, push.Broadcast(), routerStart.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, "second-1", rec.ID)
	require.NoError(t, r.Cancel(context.Background(), "second-1"))
	assert.Empty(t, second.Pending())
}

func TestNewRouterErrors(t *testing.T) {
	m := memory.New()
	for _, tt := range []struct {
		name     string
		routes   map[push.Platform]push.Sender
		fallback push.Sender
		says     string
	}{
		{"unknown platform", map[push.Platform]push.Sender{"ios": m}, nil, `route for "ios": not a platform`},
		{"nil sender", map[push.Platform]push.Sender{push.Apple: nil}, m, "route for apple: the Sender is nil"},
		{"nothing", nil, nil, "no route"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := push.NewRouter(tt.routes, tt.fallback)
			var pe *push.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "push: router", pe.Op)
			assert.ErrorContains(t, err, tt.says)
		})
	}
}

// A Router adds no allocation to a send.
func TestRouterAddsNoAllocation(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	n := mustNotification(t, push.Apple, `{"aps":{"alert":"hi"}}`, nil)
	to := push.Tags("news")
	r, err := push.NewRouter(nil, nopSender{})
	require.NoError(t, err)
	ctx := context.Background()
	assert.Zero(t, testing.AllocsPerRun(200, func() { _, _ = r.Send(ctx, n, to) }), "a send through the Router to a Sender that allocates nothing")
}

// FanOutTo over a router: one Alert to an iPhone, an Android phone and a
// browser at once, each through its own provider.
func TestFanOutToThroughARouter(t *testing.T) {
	r := newRouted(t, push.SystemClock())
	sub := push.BrowserSubscription{Endpoint: "https://push.example/sub/1", P256DH: "BKey", Auth: "secret"}
	results := push.FanOutTo(context.Background(), r.router, push.Alert{Title: "Order shipped", Body: "Arriving Tuesday"},
		push.Destination{Platform: push.Apple, Target: push.Device("iphone-token")},
		push.Destination{Platform: push.FCMV1, Target: push.Devices("android-1", "android-2")},
		push.Destination{Platform: push.Browser, Target: push.BrowserDevice(sub)},
		push.Destination{Platform: push.Windows, Target: push.Tags("desktop")})
	require.NoError(t, results.Err())
	require.Len(t, results, 4)
	assert.Equal(t, []push.Platform{push.Apple, push.FCMV1, push.Browser, push.Windows},
		[]push.Platform{results[0].Platform, results[1].Platform, results[2].Platform, results[3].Platform})
	assert.Len(t, results[1].Receipt.Results, 2)
	assert.Equal(t, 1, r.apple.Len())
	assert.Equal(t, 2, r.fcm.Len())
	assert.Equal(t, 1, r.browser.Len())
	assert.Equal(t, 1, r.hub.Len())
}

// routerHarness runs the suite against a Router over memory Senders, reading
// back every request each route handled.
type routerHarness struct {
	routed
	mu       sync.Mutex
	requests []push.Envelope
	received func()
	all      []*memory.Sender
}

func newRouterHarness(t *testing.T, clock push.Clock) conformance.Harness {
	h := &routerHarness{routed: newRouted(t, clock)}
	h.observe(h.apple, h.fcm, h.browser, h.hub)
	return h
}

// observe records every request the routes handle, and reports it to Watch.
func (h *routerHarness) observe(routes ...*memory.Sender) {
	h.all = routes
	for _, m := range routes {
		m.Observe(func(env push.Envelope) {
			h.mu.Lock()
			h.requests = append(h.requests, env.Clone())
			received := h.received
			h.mu.Unlock()
			if received != nil {
				received()
			}
		})
	}
}

func (h *routerHarness) Sender() push.Sender { return h.router }

func (h *routerHarness) Envelopes(*testing.T) []push.Envelope {
	h.mu.Lock()
	out := append([]push.Envelope(nil), h.requests...)
	h.mu.Unlock()
	for _, m := range h.all {
		for _, d := range m.Pending() {
			out = append(out, d.Envelope)
		}
	}
	return out
}

func (h *routerHarness) Unregister(_ *testing.T, handle string) {
	for _, m := range h.all {
		m.MarkUnregistered(handle, time.Time{})
	}
}

func (h *routerHarness) Watch(_ *testing.T, received func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.received = received
}

func TestRouterConformance(t *testing.T) {
	conformance.Run(t, newRouterHarness)
}

// Without a fallback, a Router delivers only what its routes take.
func TestRouterWithoutFallbackConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
		apns := memory.New(memory.WithClock(clock), memory.WithCapabilities(push.DirectCapabilities("apns", push.Apple)))
		r, err := push.NewRouter(map[push.Platform]push.Sender{push.Apple: apns}, nil)
		require.NoError(t, err)
		h := &routerHarness{routed: routed{router: r, apple: apns}}
		h.observe(apns)
		return h
	})
}

// nopSender accepts everything and does nothing: the baseline of what a
// Router adds.
type nopSender struct{}

func (nopSender) Send(context.Context, push.Notification, push.Target) (push.Receipt, error) {
	return push.Receipt{}, nil
}

// BenchmarkRouterSend measures what a Router adds to a send: the same send
// straight to a do-nothing Sender, and through a Router to it. The goal is
// at most one allocation and 100 ns.
func BenchmarkRouterSend(b *testing.B) {
	n, err := push.AppleNotification(`{"aps":{"alert":{"title":"Breaking","body":"Something happened"}}}`)
	require.NoError(b, err)
	to := push.Tags("breaking-news")
	ctx := context.Background()
	r, err := push.NewRouter(map[push.Platform]push.Sender{push.Apple: nopSender{}}, nil)
	require.NoError(b, err)
	for _, bc := range []struct {
		name string
		s    push.Sender
	}{{"direct", nopSender{}}, {"router", r}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.s.Send(ctx, n, to); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
