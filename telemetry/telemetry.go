package telemetry

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/pushwire/push"
)

// scope names the tracer and the meter.
const scope = "github.com/pushwire/push/telemetry"

// durationBounds are push.operation.duration's bucket boundaries, in
// seconds: a send over a kept-alive connection takes milliseconds, one that
// retries under push.DefaultRetryPolicy up to a minute or more.
var durationBounds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

// Sender is a push.Sender and push.Scheduler that wraps another Sender and
// reports each call through OpenTelemetry (see the package documentation).
// It is safe for concurrent use by multiple goroutines when the wrapped
// Sender is. Make one with New.
type Sender struct {
	next     push.Sender
	clock    push.Clock
	stamp    bool
	tracer   trace.Tracer
	sends    metric.Int64Counter
	devices  metric.Int64Counter
	duration metric.Float64Histogram
	attrs    *attrCache
}

var (
	_ push.Sender    = (*Sender)(nil)
	_ push.Scheduler = (*Sender)(nil)
	_ push.Capable   = (*Sender)(nil)
)

// New returns a Sender that forwards to next, which must not be nil, and
// reports through the providers opts name (the global ones by default). It
// reads next's provider names (push.CapabilitiesOf; for a *push.Router, its
// routes') once, here.
func New(next push.Sender, opts ...Option) (*Sender, error) {
	if next == nil {
		return nil, optionError("the Sender to wrap is nil")
	}
	c := defaultConfig()
	for _, opt := range opts {
		if err := opt(&c); err != nil {
			return nil, err
		}
	}
	s := &Sender{next: next, clock: c.clock, stamp: c.stamp, attrs: newAttrCache(next)}
	s.tracer = c.tracers.Tracer(scope)
	if err := s.instruments(c.meters.Meter(scope)); err != nil {
		return nil, &push.Error{Op: opNew, Detail: "the meter provider refused an instrument", Err: err}
	}
	return s, nil
}

// instruments makes the Sender's metric instruments with m.
func (s *Sender) instruments(m metric.Meter) error {
	var err error
	s.sends, err = m.Int64Counter("push.sends", metric.WithUnit("{send}"),
		metric.WithDescription("Send and Schedule calls, by provider, platform, target kind and error class."))
	if err != nil {
		return err
	}
	s.devices, err = m.Int64Counter("push.device.outcomes", metric.WithUnit("{device}"),
		metric.WithDescription("Device handles of sends with per-device results, by outcome: accepted or the error class."))
	if err != nil {
		return err
	}
	s.duration, err = m.Float64Histogram("push.operation.duration", metric.WithUnit("s"),
		metric.WithDescription("How long Send, Schedule and Cancel calls took, retries included."),
		metric.WithExplicitBucketBoundaries(durationBounds...))
	return err
}

// String describes the Sender: "telemetry over apns".
func (s *Sender) String() string { return "telemetry over " + s.attrs.provider.Value.AsString() }

// Unwrap returns the wrapped Sender.
func (s *Sender) Unwrap() push.Sender { return s.next }

// Capabilities returns what the wrapped Sender declares (see
// push.CapabilitiesOf), its Provider prefixed with "telemetry over ", or the
// zero Capabilities when it declares none.
func (s *Sender) Capabilities() push.Capabilities {
	c, ok := push.CapabilitiesOf(s.next)
	if ok {
		c.Provider = "telemetry over " + c.Provider
	}
	return c
}

// CanSchedule reports whether Schedule and Cancel can succeed: the wrapped
// Sender implements push.Scheduler and, when it reports the same about itself
// with a CanSchedule method (as a recorder.Recorder does), says so.
func (s *Sender) CanSchedule() bool {
	if c, ok := s.next.(interface{ CanSchedule() bool }); ok {
		return c.CanSchedule()
	}
	_, ok := s.next.(push.Scheduler)
	return ok
}

// Send forwards to the wrapped Sender's Send and reports the call: a
// "push.send" span, push.sends, push.operation.duration and, when the
// Receipt has per-device Results, push.device.outcomes.
func (s *Sender) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	spanCtx, c := s.begin(ctx, newKey(opSend, n.Platform, to.Kind()))
	r, err := s.next.Send(forward(ctx, spanCtx), n, to)
	s.end(spanCtx, &c, err, r.Results)
	return r, err
}

// Schedule forwards to the wrapped Sender's Schedule and reports the call
// as Send does, under "push.schedule". When the wrapped Sender is not a
// push.Scheduler, Schedule returns (and reports) a *push.Error with Op
// "telemetry: schedule" whose Kind is push.ErrUnsupported.
func (s *Sender) Schedule(ctx context.Context, n push.Notification, to push.Target, at time.Time) (push.Receipt, error) {
	spanCtx, c := s.begin(ctx, newKey(opSchedule, n.Platform, to.Kind()))
	var r push.Receipt
	var err error
	if sch, ok := s.next.(push.Scheduler); ok {
		r, err = sch.Schedule(forward(ctx, spanCtx), n, to, at)
	} else {
		err = s.unsupported("telemetry: schedule")
	}
	s.end(spanCtx, &c, err, nil)
	return r, err
}

// Cancel forwards to the wrapped Sender's Cancel and reports the call: a
// "push.cancel" span and push.operation.duration. When the wrapped Sender is
// not a push.Scheduler, Cancel returns (and reports) a *push.Error with Op
// "telemetry: cancel" whose Kind is push.ErrUnsupported.
func (s *Sender) Cancel(ctx context.Context, id string) error {
	spanCtx, c := s.begin(ctx, key{op: opCancel})
	var err error
	if sch, ok := s.next.(push.Scheduler); ok {
		err = sch.Cancel(forward(ctx, spanCtx), id)
	} else {
		err = s.unsupported("telemetry: cancel")
	}
	s.end(spanCtx, &c, err, nil)
	return err
}

func (s *Sender) unsupported(op string) error {
	return &push.Error{Op: op, Kind: push.ErrUnsupported, Detail: fmt.Sprintf("the wrapped %T does not implement push.Scheduler", s.next)}
}
