package telemetry_test

import (
	"context"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/pushwire/push"
	"github.com/pushwire/push/telemetry"
)

// nopSender accepts everything and does nothing: the baseline that shows
// what the decorator itself costs. For a target of one handle it reports
// one accepted Result, as a direct provider does.
type nopSender struct{ results []push.Result }

func (s nopSender) Send(_ context.Context, _ push.Notification, to push.Target) (push.Receipt, error) {
	if to.Kind() == push.TargetDevice {
		return push.Receipt{Results: s.results}, nil
	}
	return push.Receipt{}, nil
}

func (nopSender) Capabilities() push.Capabilities { return push.Capabilities{Provider: "nop"} }

func newNop() nopSender { return nopSender{results: []push.Result{{Handle: "h"}}} }

// noopTelemetry wraps s with OpenTelemetry's no-op providers.
func noopTelemetry(tb testing.TB, s push.Sender) push.Sender {
	tb.Helper()
	t, err := telemetry.New(s, telemetry.WithTracerProvider(noop.NewTracerProvider()), telemetry.WithMeterProvider(metricnoop.NewMeterProvider()))
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// sdkTelemetry wraps s with the SDK's providers, recording spans and
// metrics in memory and exporting nothing.
func sdkTelemetry(tb testing.TB, s push.Sender) push.Sender {
	tb.Helper()
	tp := sdktrace.NewTracerProvider()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	tb.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	t, err := telemetry.New(s, telemetry.WithTracerProvider(tp), telemetry.WithMeterProvider(mp))
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// benchSends is what the benchmarks and the allocation test send: a tagged
// Apple notification, and the same to one device handle.
func benchSends(tb testing.TB) (push.Notification, []push.Target) {
	tb.Helper()
	n, err := push.AppleNotification(`{"aps":{"alert":"Rain expected"}}`)
	if err != nil {
		tb.Fatal(err)
	}
	return n, []push.Target{push.Tags("weather"), push.Device("0123abcd")}
}

// BenchmarkSend compares a no-op Sender alone with the decorator over it,
// with the no-op providers and with the SDK's, sending from parallel
// goroutines to a tag and to one device handle.
func BenchmarkSend(b *testing.B) {
	n, targets := benchSends(b)
	for _, bc := range []struct {
		name string
		new  func(testing.TB) push.Sender
	}{
		{"bare", func(testing.TB) push.Sender { return newNop() }},
		{"noop-providers", func(tb testing.TB) push.Sender { return noopTelemetry(tb, newNop()) }},
		{"sdk-providers", func(tb testing.TB) push.Sender { return sdkTelemetry(tb, newNop()) }},
	} {
		for _, to := range targets {
			b.Run(bc.name+"/"+to.Kind().String(), func(b *testing.B) {
				s := bc.new(b)
				ctx := context.Background()
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := s.Send(ctx, n, to); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}

// allocsPerSend measures the allocations of one Send on s.
func allocsPerSend(t *testing.T, s push.Sender, n push.Notification, to push.Target) float64 {
	ctx := context.Background()
	return testing.AllocsPerRun(1000, func() {
		if _, err := s.Send(ctx, n, to); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDecoratorAllocations(t *testing.T) {
	if telemetry.RaceEnabled {
		t.Skip("the race detector allocates")
	}
	n, targets := benchSends(t)
	for _, to := range targets {
		t.Run(to.Kind().String(), func(t *testing.T) {
			bare := allocsPerSend(t, newNop(), n, to)
			wrapped := allocsPerSend(t, noopTelemetry(t, newNop()), n, to)
			t.Logf("bare: %v allocations a send; with telemetry over no-op providers: %v", bare, wrapped)
			if wrapped > bare+2 {
				t.Errorf("bare: %v allocations a send; with telemetry over no-op providers: %v; want at most two more", bare, wrapped)
			}
		})
	}
}
