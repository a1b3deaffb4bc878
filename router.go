package push

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Router is a Sender that sends each platform through the Sender chosen for
// it: Apple through an APNs client, FCMV1 through an FCM client, Browser
// through a Web Push client, the rest through a Notification Hubs client,
// say. It is composition, not configuration: each route is any Sender, and
// the Router adds nothing to what it sends.
//
// A Router declares, per platform, what its route for it declares (see
// Capabilities), refuses a platform it has no route for with an error
// matching ErrUnsupported before any I/O, and passes Schedule and Cancel
// through to routes that schedule. It is safe for concurrent use when its
// routes are, and adds no allocation to a send. Make one with NewRouter.
type Router struct {
	routes  [numPlatforms]Sender // by platformIndex; nil: no route
	caps    Capabilities
	cancels []Scheduler // the distinct routes that schedule, for Cancel
}

var (
	_ Sender    = (*Router)(nil)
	_ Scheduler = (*Router)(nil)
	_ Capable   = (*Router)(nil)
)

// NewRouter returns a Router that sends the notifications of each platform
// in routes through its Sender, and those of every other platform through
// fallback; a nil fallback leaves them without a route, refused. A Sender
// may serve several platforms. The Router keeps routes' Senders, not the map.
//
// The error, a *Error, says which route is wrong: an unknown platform, a nil
// Sender, or no route at all.
func NewRouter(routes map[Platform]Sender, fallback Sender) (*Router, error) {
	r := &Router{}
	for p, s := range routes {
		switch {
		case !p.Valid():
			return nil, routerError("route for %q: not a platform (want one of push.Platforms())", string(p))
		case s == nil:
			return nil, routerError("route for %s: the Sender is nil", p)
		}
		r.routes[platformIndex(p)] = s
	}
	if len(routes) == 0 && fallback == nil {
		return nil, routerError("no route: give a Sender for some platforms, or a fallback for all")
	}
	var names []string
	r.caps = Capabilities{Platforms: make(map[Platform]Support)}
	for _, p := range Platforms() {
		i := platformIndex(p)
		if r.routes[i] == nil {
			r.routes[i] = fallback
		}
		s := r.routes[i]
		if s == nil {
			continue
		}
		support, name := routeSupport(s, p)
		if support.Targets != 0 {
			r.caps.Platforms[p] = support
			names = append(names, string(p)+": "+name)
		}
		if sched, ok := s.(Scheduler); ok && support.Schedule && !containsSender(r.cancels, sched) {
			r.cancels = append(r.cancels, sched)
		}
	}
	r.caps.Provider = "router(" + strings.Join(names, ", ") + ")"
	return r, nil
}

func routerError(format string, args ...any) error {
	return &Error{Op: "push: router", Detail: fmt.Sprintf(format, args...)}
}

// routeSupport returns what s declares for p, and s's provider name. A Sender
// that declares nothing is taken to deliver p to every target kind.
func routeSupport(s Sender, p Platform) (Support, string) {
	c, ok := CapabilitiesOf(s)
	if !ok {
		_, sched := s.(Scheduler)
		all := AllTargets
		if p == Template {
			all = HubTargets
		}
		return Support{Targets: all, Schedule: sched}, fmt.Sprintf("%T", s)
	}
	return c.Platforms[p], c.name()
}

func containsSender(ss []Scheduler, s Scheduler) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Route returns the Sender that platform p goes through, nil when none.
func (r *Router) Route(p Platform) Sender {
	if !p.Valid() {
		return nil
	}
	return r.routes[platformIndex(p)]
}

// Capabilities returns, for each platform with a route, what that route
// declares for it; its Provider lists the routes.
func (r *Router) Capabilities() Capabilities { return r.caps.Clone() }

// Send sends n through the route of its platform. A platform without a route
// gets an error matching ErrUnsupported (ErrInvalidNotification when it is
// no platform at all), before any I/O.
func (r *Router) Send(ctx context.Context, n Notification, to Target) (Receipt, error) {
	s, err := r.routeFor("push: router: send", n, to)
	if err != nil {
		return Receipt{}, err
	}
	return s.Send(ctx, n, to)
}

// Schedule schedules n through the route of its platform, when that route
// schedules it; otherwise the error matches ErrUnsupported.
func (r *Router) Schedule(ctx context.Context, n Notification, to Target, at time.Time) (Receipt, error) {
	const op = "push: router: schedule"
	s, err := r.routeFor(op, n, to)
	if err != nil {
		return Receipt{}, err
	}
	sched, ok := s.(Scheduler)
	if !ok || !r.caps.Platforms[n.Platform].Schedule {
		return Receipt{}, r.caps.CheckSchedule(op, n.Platform)
	}
	return sched.Schedule(ctx, n, to, at)
}

// Cancel cancels the scheduled notification id through the routes that
// schedule: an ID names no platform, so each such route is asked in turn
// until one cancels it. When every route answers ErrNotFound, so does
// Cancel; another error from a route is returned at once. A Router whose
// routes schedule nothing returns an error matching ErrUnsupported.
func (r *Router) Cancel(ctx context.Context, id string) error {
	if len(r.cancels) == 0 {
		return r.caps.CheckSchedule("push: router: cancel", Apple)
	}
	var last error
	for _, s := range r.cancels {
		err := s.Cancel(ctx, id)
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		last = err
	}
	return last
}

// routeFor returns the route of n's platform, or the error of a platform
// without one: ErrUnsupported, or Render's error for input no Sender takes
// (a template to a device).
func (r *Router) routeFor(op string, n Notification, to Target) (Sender, error) {
	if !n.Platform.Valid() {
		return nil, unknownPlatform(n.Platform)
	}
	if s := r.routes[platformIndex(n.Platform)]; s != nil {
		return s, nil
	}
	if err := checkTargetFor(n.Platform, to); err != nil && n.Platform == Template {
		return nil, err
	}
	return nil, &Error{Op: op, Kind: ErrUnsupported,
		Detail: fmt.Sprintf("no route for %s notifications; routes: %s", n.Platform, r.caps.summary())}
}
