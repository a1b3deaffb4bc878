package telemetry

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/pushwire/push"
)

// opNew is the Op of the errors New and the options return.
const opNew = "telemetry: new"

// Option configures a Sender made by New. An Option returns an error when its
// argument cannot be used; New stops at the first one and returns it.
type Option func(*config) error

// config is what New's options set.
type config struct {
	tracers trace.TracerProvider
	meters  metric.MeterProvider
	clock   push.Clock
	// stamp says the clock is not the system's, so spans take their start
	// and end times from it too.
	stamp bool
}

// defaultConfig returns the settings of a Sender made without options: the
// global providers as they are now, and the system clock.
func defaultConfig() config {
	return config{tracers: otel.GetTracerProvider(), meters: otel.GetMeterProvider(), clock: push.SystemClock()}
}

func optionError(detail string) error { return &push.Error{Op: opNew, Detail: detail} }

// WithTracerProvider makes the Sender start its spans with a tracer from tp,
// which must not be nil, instead of the global otel.GetTracerProvider().
// Tests pass an SDK provider with an in-memory span recorder; a program that
// wants no spans passes trace/noop's provider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) error {
		if tp == nil {
			return optionError("WithTracerProvider needs a non-nil trace.TracerProvider; leave the option out to use the global one")
		}
		c.tracers = tp
		return nil
	}
}

// WithMeterProvider makes the Sender record its metrics with a meter from mp,
// which must not be nil, instead of the global otel.GetMeterProvider().
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) error {
		if mp == nil {
			return optionError("WithMeterProvider needs a non-nil metric.MeterProvider; leave the option out to use the global one")
		}
		c.meters = mp
		return nil
	}
}

// WithClock makes the Sender time its calls on clk, which must not be nil,
// instead of push.SystemClock(): push.operation.duration and the spans' start
// and end times. Tests pass the *pushtest.Clock their Sender waits on, so a
// memory Sender's injected latency shows as an exact duration.
func WithClock(clk push.Clock) Option {
	return func(c *config) error {
		if clk == nil {
			return optionError("WithClock needs a non-nil push.Clock; leave the option out to use the system clock")
		}
		c.clock, c.stamp = clk, true
		return nil
	}
}
