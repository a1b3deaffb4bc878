package telemetry

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/pushwire/push"
)

// call is one reported call under way.
type call struct {
	key   key
	span  trace.Span
	start time.Time
}

// begin starts the span of a call whose attributes k names, and returns
// the context that carries it, for the metrics. A nil ctx (a programming
// error the wrapped Sender reports) gets its span on a background context.
func (s *Sender) begin(ctx context.Context, k key) (context.Context, call) {
	c := call{key: k, start: s.clock.Now()}
	if ctx == nil {
		ctx = context.Background()
	}
	opts := s.attrs.get(k).start
	if s.stamp {
		opts = append(opts[:len(opts):len(opts)], trace.WithTimestamp(c.start))
	}
	ctx, c.span = s.tracer.Start(ctx, k.op.spanName(), opts...)
	return ctx, c
}

// forward returns the context to hand the wrapped Sender: spanCtx, the one
// carrying the span, or nil when the caller passed nil, so that the wrapped
// Sender reports the caller's mistake itself.
func forward(caller, spanCtx context.Context) context.Context {
	if caller == nil {
		return nil
	}
	return spanCtx
}

// end records the call's metrics on ctx, the one begin returned, and ends
// its span. results are the Receipt's per-device Results, nil when it has
// none.
func (s *Sender) end(ctx context.Context, c *call, err error, results []push.Result) {
	now := s.clock.Now()
	k := c.key.with(classOf(err))
	a := s.attrs.get(k)
	if c.key.op != opCancel {
		s.sends.Add(ctx, 1, a.add...)
	}
	s.duration.Record(ctx, now.Sub(c.start).Seconds(), a.record...)
	failed := 0
	if results != nil {
		failed = s.countDevices(ctx, c.key, results)
	}
	if c.span.IsRecording() {
		describe(c.span, k.class, results, failed)
	}
	if s.stamp {
		c.span.End(trace.WithTimestamp(now))
		return
	}
	c.span.End()
}

// describe sets what a recorded span says of how its call ended: the error
// class as error.type and status, and the device counts. (A span that is
// not recorded skips it: its variadic calls would allocate for nothing.)
func describe(span trace.Span, cl class, results []push.Result, failed int) {
	if cl != classNone {
		span.SetAttributes(keyErrorType.String(cl.String()))
		span.SetStatus(codes.Error, cl.String())
	}
	if results != nil {
		span.SetAttributes(keyDevices.Int(len(results)), keyFailed.Int(failed))
	}
}

// countDevices adds each handle's outcome to push.device.outcomes, one Add
// per outcome class, and returns how many handles failed.
func (s *Sender) countDevices(ctx context.Context, k key, results []push.Result) int {
	var counts [numClasses]int64
	for i := range results {
		counts[classOf(results[i].Err)]++
	}
	dk := key{op: opDevice, platform: k.platform, kind: k.kind}
	for cl, n := range counts {
		if n > 0 {
			s.devices.Add(ctx, n, s.attrs.get(dk.with(class(cl))).add...)
		}
	}
	return len(results) - int(counts[classNone])
}
