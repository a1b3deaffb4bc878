package telemetry_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/pushwire/push"
	"github.com/pushwire/push/telemetry"
)

// rig is an OpenTelemetry SDK that keeps what it records in memory: the
// ended spans, and metrics read on demand.
type rig struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	tp     *sdktrace.TracerProvider
	mp     *sdkmetric.MeterProvider
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	r.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans))
	r.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	t.Cleanup(func() {
		_ = r.tp.Shutdown(context.Background())
		_ = r.mp.Shutdown(context.Background())
	})
	return r
}

// wrap returns a telemetry Sender over s that reports to the rig.
func (r *rig) wrap(t *testing.T, s push.Sender, opts ...telemetry.Option) *telemetry.Sender {
	t.Helper()
	ts, err := telemetry.New(s, append([]telemetry.Option{telemetry.WithTracerProvider(r.tp), telemetry.WithMeterProvider(r.mp)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// collect reads every metric the rig holds.
func (r *rig) collect(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

// metric returns the metric of that name, failing the test without it.
func metric(t *testing.T, rm metricdata.ResourceMetrics, name string) metricdata.Metrics {
	t.Helper()
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m
			}
		}
	}
	t.Fatalf("no metric %q was recorded", name)
	return metricdata.Metrics{}
}

// sums maps each data point of a counter, by its attributes, to its value.
func sums(t *testing.T, m metricdata.Metrics) map[string]int64 {
	t.Helper()
	sum, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("metric %s is a %T, not an int64 sum", m.Name, m.Data)
	}
	out := make(map[string]int64, len(sum.DataPoints))
	for _, dp := range sum.DataPoints {
		out[attrString(dp.Attributes)] = dp.Value
	}
	return out
}

// histogramPoint is what a histogram data point says, in a comparable form.
type histogramPoint struct {
	Count uint64
	Sum   float64
}

// histogram maps each data point of a float64 histogram, by its attributes,
// to its count and sum.
func histogram(t *testing.T, m metricdata.Metrics) map[string]histogramPoint {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("metric %s is a %T, not a float64 histogram", m.Name, m.Data)
	}
	out := make(map[string]histogramPoint, len(h.DataPoints))
	for _, dp := range h.DataPoints {
		out[attrString(dp.Attributes)] = histogramPoint{dp.Count, dp.Sum}
	}
	return out
}

// attrString writes a set as "key=value key=value", keys in order.
func attrString(s attribute.Set) string { return kvString(s.ToSlice()) }

func kvString(kvs []attribute.KeyValue) string {
	kvs = slices.SortedFunc(slices.Values(kvs), func(a, b attribute.KeyValue) int { return strings.Compare(string(a.Key), string(b.Key)) })
	parts := make([]string, len(kvs))
	for i, kv := range kvs {
		parts[i] = fmt.Sprintf("%s=%s", kv.Key, kv.Value.String())
	}
	return strings.Join(parts, " ")
}

// spanSummary is what a test checks of an ended span.
type spanSummary struct {
	Name   string
	Status string // "Unset", or "Error: class"
	Attrs  string
}

func summarize(spans []sdktrace.ReadOnlySpan) []spanSummary {
	out := make([]spanSummary, len(spans))
	for i, s := range spans {
		st := s.Status().Code.String()
		if s.Status().Description != "" {
			st += ": " + s.Status().Description
		}
		out[i] = spanSummary{Name: s.Name(), Status: st, Attrs: kvString(s.Attributes())}
	}
	return out
}
