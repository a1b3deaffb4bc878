package telemetry_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/pushwire/push"
)

// marker is in every value that must not reach telemetry: handles, tags,
// payloads, IDs, keys and tokens, and the text of errors.
const marker = "SECRET"

// hostile is a Sender whose service echoes secrets back: every error's
// detail, code, tracking ID and cause quote a token, and each handle of a
// device send fails with the handle in its error.
type hostile struct{}

func hostileError(kind error) *push.Error {
	return &push.Error{
		Op: "hostile: send", Kind: kind, StatusCode: 401, Code: "code-" + marker,
		Detail: "token Bearer eyJ." + marker + " was refused", TrackingID: "tracking-" + marker,
		Err: errors.New("server said: key " + marker),
	}
}

func (hostile) Send(_ context.Context, _ push.Notification, to push.Target) (push.Receipt, error) {
	if to.Kind() == push.TargetTags {
		return push.Receipt{ID: "id-" + marker, TrackingID: "tracking-" + marker}, hostileError(push.ErrUnauthorized)
	}
	env, err := push.Render(push.Notification{Platform: push.Browser, Body: []byte(`{}`)}, to)
	if err != nil {
		return push.Receipt{}, err
	}
	results := make([]push.Result, len(env.Devices))
	for i, h := range env.Devices {
		e := hostileError(push.ErrUnregistered)
		e.Detail = "handle " + h + " is gone"
		results[i] = push.Result{Handle: h, ID: "id-" + marker, Err: e}
	}
	results[0] = push.Result{Handle: env.Devices[0], ID: "id-" + marker, TrackingID: "tracking-" + marker}
	return push.Receipt{Results: results}, push.ResultsError("hostile: send", results)
}

func (hostile) Schedule(context.Context, push.Notification, push.Target, time.Time) (push.Receipt, error) {
	return push.Receipt{ID: "scheduled-" + marker}, nil
}

func (hostile) Cancel(_ context.Context, id string) error {
	e := hostileError(push.ErrNotFound)
	e.Detail = "no scheduled notification " + id
	return e
}

func (hostile) Capabilities() push.Capabilities {
	return push.Capabilities{Provider: "hostile", Platforms: map[push.Platform]push.Support{
		push.Browser: {Targets: push.AllTargets, Schedule: true, PerDevice: true, BatchSize: 1},
	}}
}

// allowedKeys are the attribute keys the package documents.
var allowedKeys = []attribute.Key{
	"push.provider", "push.operation", "push.platform", "push.target.kind",
	"error.type", "push.outcome", "push.devices", "push.devices.failed",
}

// TestNoSecretInTelemetry sends secrets every way a caller and a hostile
// server can, then walks every span (name, attributes, status, events,
// links) and every metric data point (attributes, exemplars) and fails on
// any value that holds one, or any attribute key the package does not
// document.
func TestNoSecretInTelemetry(t *testing.T) {
	r := newRig(t)
	s := r.wrap(t, hostile{})
	ctx := t.Context()
	n, err := push.BrowserNotification(`{"title":"` + marker + `-payload"}`)
	if err != nil {
		t.Fatal(err)
	}
	sub := func(i string) push.BrowserSubscription {
		return push.BrowserSubscription{Endpoint: "https://push.example.com/" + marker + i, P256DH: marker + "-p256dh", Auth: marker + "-auth"}
	}
	_, _ = s.Send(ctx, n, push.Expression("tag-"+marker+" && other-"+marker))
	_, _ = s.Send(ctx, n, push.BrowserDevices(sub("1"), sub("2"), sub("3")))
	_, _ = s.Send(ctx, n, push.BrowserDevice(sub("4")))
	r2, _ := s.Schedule(ctx, n, push.Tags("tag-"+marker), t0)
	_ = s.Cancel(ctx, r2.ID)

	spans := r.spans.Ended()
	if len(spans) != 5 {
		t.Fatalf("%d spans, want 5", len(spans))
	}
	for _, sp := range spans {
		checkSpan(t, sp)
	}
	rm := r.collect(t)
	points := 0
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			points += checkMetric(t, m)
		}
	}
	if points == 0 {
		t.Fatal("no metric data points were recorded")
	}
}

func checkSpan(t *testing.T, sp sdktrace.ReadOnlySpan) {
	t.Helper()
	checkText(t, "span name", sp.Name())
	checkText(t, "span "+sp.Name()+" status", sp.Status().Description)
	checkAttrs(t, "span "+sp.Name(), sp.Attributes())
	for _, ev := range sp.Events() {
		checkText(t, "span "+sp.Name()+" event", ev.Name)
		checkAttrs(t, "span "+sp.Name()+" event "+ev.Name, ev.Attributes)
	}
	for _, l := range sp.Links() {
		checkAttrs(t, "span "+sp.Name()+" link", l.Attributes)
	}
}

// checkMetric checks every data point of m and returns how many it has.
func checkMetric(t *testing.T, m metricdata.Metrics) int {
	t.Helper()
	check := func(set attribute.Set, filtered [][]attribute.KeyValue) {
		checkAttrs(t, "metric "+m.Name, set.ToSlice())
		for _, f := range filtered {
			checkAttrs(t, "metric "+m.Name+" exemplar", f)
		}
	}
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			check(dp.Attributes, exemplarAttrs(dp.Exemplars))
		}
		return len(d.DataPoints)
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			check(dp.Attributes, exemplarAttrs(dp.Exemplars))
		}
		return len(d.DataPoints)
	}
	t.Errorf("metric %s is a %T, which the test does not walk", m.Name, m.Data)
	return 0
}

func exemplarAttrs[N int64 | float64](es []metricdata.Exemplar[N]) [][]attribute.KeyValue {
	out := make([][]attribute.KeyValue, len(es))
	for i, e := range es {
		out[i] = e.FilteredAttributes
	}
	return out
}

func checkAttrs(t *testing.T, where string, kvs []attribute.KeyValue) {
	t.Helper()
	for _, kv := range kvs {
		if !slices.Contains(allowedKeys, kv.Key) {
			t.Errorf("%s has attribute %s, which the package does not document", where, kv.Key)
		}
		checkText(t, where+" attribute "+string(kv.Key), kv.Value.String())
	}
}

func checkText(t *testing.T, where, text string) {
	t.Helper()
	if strings.Contains(text, marker) {
		t.Errorf("%s holds a secret, handle, tag, payload or error text: %q", where, text)
	}
}
