package telemetry_test

import (
	"context"
	"fmt"
	"slices"
	"strings"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/telemetry"
)

// Wrap the Sender an application uses, and every send is a span and a
// count. A program normally installs its SDK globally (otel.SetTracerProvider,
// otel.SetMeterProvider) and calls telemetry.New(sender) without options;
// this one hands New an SDK that keeps what it records in memory, to print it.
func Example() {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	ctx := context.Background()
	defer func() { _ = tp.Shutdown(ctx); _ = mp.Shutdown(ctx) }()

	mem := memory.New()
	sender, err := telemetry.New(mem, telemetry.WithTracerProvider(tp), telemetry.WithMeterProvider(mp))
	if err != nil {
		fmt.Println(err)
		return
	}
	n, _ := push.AppleNotification(`{"aps":{"alert":"Rain expected"}}`)
	_, _ = sender.Send(ctx, n, push.Tags("weather"))
	mem.FailNext(1, &push.Error{Op: "memory: send", Kind: push.ErrThrottled})
	_, _ = sender.Send(ctx, n, push.Tags("weather"))

	for _, s := range spans.Ended() {
		fmt.Printf("%s status=%s %q\n", s.Name(), s.Status().Code, s.Status().Description)
	}
	var rm metricdata.ResourceMetrics
	_ = reader.Collect(ctx, &rm)
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if m.Name != "push.sends" {
			continue
		}
		var lines []string
		for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
			class, _ := dp.Attributes.Value("error.type")
			provider, _ := dp.Attributes.Value("push.provider")
			lines = append(lines, fmt.Sprintf("%s provider=%s error.type=%q: %d", m.Name, provider.AsString(), class.AsString(), dp.Value))
		}
		slices.Sort(lines) // data points come in no particular order
		fmt.Println(strings.Join(lines, "\n"))
	}
	// Output:
	// push.send status=Unset ""
	// push.send status=Error "throttled"
	// push.sends provider=memory error.type="": 1
	// push.sends provider=memory error.type="throttled": 1
}
