package conformance

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from push.Render")

// expected renders what a conforming Sender emits for a case, straight from the core.
func expected(c testCase) ([]push.Envelope, error) {
	to := c.target
	if c.devices > 0 {
		to = newDevices(nil, nil).target(c.notification.Platform, c.devices, c.one)
	}
	switch c.op {
	case opSend:
		e, err := push.Render(c.notification, to)
		return []push.Envelope{e}, err
	case opSchedule, opCancel:
		e, err := push.RenderAt(c.notification, to, start.Add(c.after), start)
		return []push.Envelope{e}, err
	}
	return nil, nil
}

// TestGoldenFilesMatchTheCore keeps testdata in step with push.Render, and makes
// sure every case that expects success has a golden file and every case that
// expects an error gets it from the core.
func TestGoldenFilesMatchTheCore(t *testing.T) {
	names := map[string]bool{}
	for _, c := range cases() {
		require.False(t, names[c.name], "duplicate case name %s", c.name)
		names[c.name] = true
		envs, err := expected(c)
		if envs == nil && err == nil {
			continue
		}
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, c.name)
			continue
		}
		require.NoError(t, err, c.name)
		b, err := encodeEnvelopes(envs)
		require.NoError(t, err)
		if *update {
			require.NoError(t, os.WriteFile(goldenPath(c.name), b, 0o644))
			continue
		}
		want, err := readGolden(c.name)
		require.NoError(t, err)
		assert.NoError(t, diff(want, b), c.name)
	}
	files, err := filepath.Glob("testdata/*.golden")
	require.NoError(t, err)
	for _, f := range files {
		name := filepath.Base(f)
		assert.True(t, names[name[:len(name)-len(".golden")]], "%s belongs to no case", f)
	}
}

// reference is the simplest conforming Sender: it renders, keeps what it
// rendered, and answers each device handle itself. The suite must pass
// against it, whatever it declares; its faults check that the suite notices.
type reference struct {
	clock push.Clock
	caps  push.Capabilities

	mu    sync.Mutex
	sent  []push.Envelope
	ids   map[string]bool
	dead  map[string]bool
	watch func()
	seq   int

	// faults, to check that the suite notices them
	mutate       func(*push.Envelope)
	emitFirst    bool
	dropNth      int  // drop the nth Envelope kept
	dropFailures bool // report dead handles as accepted
	retryDead    int  // send a dead handle this many times more
	ignoreCtx    bool // keep sending after the context ended
	kept         int
}

func (r *reference) Capabilities() push.Capabilities { return r.caps.Clone() }

func (r *reference) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if r.emitFirst {
		r.keep(push.Envelope{Platform: n.Platform, Body: n.Body})
	}
	if err := r.caps.CheckSend("reference: send", n.Platform, to.Kind()); err != nil {
		return push.Receipt{}, err
	}
	e, err := push.Render(n, to)
	if err != nil {
		return push.Receipt{}, err
	}
	if len(e.Devices) == 0 || !r.caps.Platforms[e.Platform].PerDevice {
		r.keep(e.Clone())
		return push.Receipt{ID: r.id()}, nil
	}
	results := make([]push.Result, len(e.Devices))
	for i := range e.Devices {
		results[i] = r.sendOne(ctx, e, i)
	}
	rec := push.Receipt{Results: results}
	if len(results) == 1 {
		rec.ID = results[0].ID
	}
	return rec, push.ResultsError("reference: send", results)
}

// sendOne sends e to its i-th handle, as a direct provider would.
func (r *reference) sendOne(ctx context.Context, e push.Envelope, i int) push.Result {
	res := push.Result{Handle: e.Devices[i]}
	if err := ctx.Err(); err != nil && !r.ignoreCtx {
		res.Err = &push.Error{Op: "reference: send", Kind: push.ErrNotAttempted, Err: err}
		return res
	}
	one := e.Clone()
	one.Devices = one.Devices[i : i+1]
	if one.Subscriptions != nil {
		one.Subscriptions = one.Subscriptions[i : i+1]
	}
	r.mu.Lock()
	dead, watch := r.dead[res.Handle], r.watch
	r.mu.Unlock()
	tries := 1
	if dead {
		tries += r.retryDead
	}
	for range tries {
		if watch != nil {
			watch()
		}
		r.keep(one)
	}
	if dead && !r.dropFailures {
		res.Err = &push.Error{Op: "reference: send", Kind: push.ErrUnregistered, StatusCode: 410}
		return res
	}
	res.ID = r.id()
	return res
}

func (r *reference) id() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	return fmt.Sprintf("r%d", r.seq)
}

func (r *reference) keep(e push.Envelope) {
	if r.mutate != nil {
		r.mutate(&e)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kept++
	if r.kept == r.dropNth {
		return
	}
	r.sent = append(r.sent, e)
}

func (r *reference) Schedule(_ context.Context, n push.Notification, to push.Target, at time.Time) (push.Receipt, error) {
	if err := r.caps.CheckSchedule("reference: schedule", n.Platform); err != nil {
		return push.Receipt{}, err
	}
	e, err := push.RenderAt(n, to, at, r.clock.Now())
	if err != nil {
		return push.Receipt{}, err
	}
	r.keep(e.Clone())
	r.mu.Lock()
	defer r.mu.Unlock()
	id := fmt.Sprintf("s%d", len(r.ids)+1)
	r.ids[id] = true
	return push.Receipt{ID: id}, nil
}

func (r *reference) Cancel(_ context.Context, id string) error {
	if !r.caps.CanSchedule() {
		return r.caps.CheckSchedule("reference: cancel", push.Apple)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.ids[id] {
		return &push.Error{Op: "reference: cancel", Kind: push.ErrNotFound}
	}
	delete(r.ids, id)
	return nil
}

type referenceHarness struct{ r *reference }

func (h referenceHarness) Sender() push.Sender { return h.r }

func (h referenceHarness) Envelopes(*testing.T) []push.Envelope {
	h.r.mu.Lock()
	defer h.r.mu.Unlock()
	return slices.Clone(h.r.sent)
}

func (h referenceHarness) Unregister(_ *testing.T, handle string) {
	h.r.mu.Lock()
	defer h.r.mu.Unlock()
	h.r.dead[handle] = true
}

func (h referenceHarness) Watch(_ *testing.T, received func()) {
	h.r.mu.Lock()
	defer h.r.mu.Unlock()
	h.r.watch = received
}

// hubCapabilities is what a hub declares: everything, device lists in
// batches, nothing per device.
func hubCapabilities() push.Capabilities {
	c := push.Capabilities{Provider: "reference", Platforms: map[push.Platform]push.Support{}}
	for _, p := range push.Platforms() {
		s := push.Support{Targets: push.AllTargets, Schedule: true, BatchSize: push.MaxBatchDevices}
		if p == push.Template {
			s.Targets, s.BatchSize = push.HubTargets, 0
		}
		c.Platforms[p] = s
	}
	return c
}

func newReferenceWith(caps push.Capabilities) NewHarness {
	return func(t *testing.T, clock push.Clock) Harness {
		return referenceHarness{&reference{clock: clock, caps: caps, ids: map[string]bool{}, dead: map[string]bool{}}}
	}
}

func newReference(t *testing.T, clock push.Clock) Harness {
	return newReferenceWith(hubCapabilities())(t, clock)
}

func TestRunPassesTheReferenceSender(t *testing.T) {
	t.Run("hub", func(t *testing.T) { Run(t, newReference) })
	t.Run("direct", func(t *testing.T) {
		Run(t, newReferenceWith(push.DirectCapabilities("reference", push.Apple, push.FCMV1, push.Browser)))
	})
	t.Run("direct browser only", func(t *testing.T) {
		Run(t, newReferenceWith(push.DirectCapabilities("reference", push.Browser)))
	})
}

// A direct provider is held to its declaration: every case it cannot deliver
// must be refused as unsupported, the others delivered, to devices.
func TestRunHoldsADirectSenderToItsDeclaration(t *testing.T) {
	caps := push.DirectCapabilities("reference", push.FCMV1)
	unsupported, retargeted := 0, 0
	for _, c := range cases() {
		h := newReferenceWith(caps)(t, fixedClock{}).(referenceHarness)
		err := runCase(t, h, c)
		if errors.Is(err, errSkip) {
			continue
		}
		require.NoError(t, err, c.name)
		if c.op == opSend && c.notification.Platform.Valid() && c.notification.Platform != push.FCMV1 && c.notification.Platform != push.Template && (c.target.Kind() != 0 || c.devices > 0) {
			unsupported++
		}
		if c.retarget && c.notification.Platform == push.FCMV1 {
			retargeted++
		}
	}
	assert.Greater(t, unsupported, 30, "cases of other platforms run, as unsupported")
	assert.Equal(t, 2, retargeted, "the FCM cases to tags are retargeted to a device")
}

// sendOnly hides the Scheduler methods.
type sendOnly struct{ *reference }

func (s sendOnly) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	return s.reference.Send(ctx, n, to)
}

type sendOnlyHarness struct{ referenceHarness }

func (h sendOnlyHarness) Sender() push.Sender {
	return struct {
		push.Sender
		push.Capable
	}{sendOnly{h.r}, h.r}
}

func TestRunSkipsSchedulingForSendersThatDeclareNone(t *testing.T) {
	caps := hubCapabilities()
	for p, s := range caps.Platforms {
		s.Schedule = false
		caps.Platforms[p] = s
	}
	var skipped []string
	for _, c := range cases() {
		h := sendOnlyHarness{newReferenceWith(caps)(t, nil).(referenceHarness)}
		err := runCase(t, h, c)
		if errors.Is(err, errSkip) {
			skipped = append(skipped, c.name)
			continue
		}
		assert.NoError(t, err, c.name)
	}
	assert.Len(t, skipped, len(scheduleCases())+len(perDeviceCases()))
}

func TestRunRequiresADeclaration(t *testing.T) {
	h := sendOnlyHarness{newReference(t, nil).(referenceHarness)}
	bare := struct{ push.Sender }{h.Sender()}
	err := runCase(t, bareHarness{h, bare}, cases()[0])
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must implement push.Capable")
}

type bareHarness struct {
	sendOnlyHarness
	s push.Sender
}

func (h bareHarness) Sender() push.Sender { return h.s }

// The suite must catch each way a Sender can go wrong.
func TestRunCatchesFaults(t *testing.T) {
	byName := map[string]testCase{}
	for _, c := range cases() {
		byName[c.name] = c
	}
	direct := push.DirectCapabilities("reference", push.Apple)
	tests := []struct {
		name  string
		caps  push.Capabilities
		cs    string
		fault func(*reference)
		want  string
	}{
		{"changed header", hubCapabilities(), "header-apns", func(r *reference) {
			r.mutate = func(e *push.Envelope) { e.Header = e.Header.Clone(); e.Header.Set("Apns-Priority", "5") }
		}, "differs from testdata/header-apns.golden"},
		{"tags rewritten with another meaning", hubCapabilities(), "target-expression", func(r *reference) {
			r.mutate = func(e *push.Envelope) { e.Tags = "(follows_RedSox||follows_Cardinals)&&location_Boston&&muted" }
		}, "first difference"},
		{"io before validation", hubCapabilities(), "invalid-json", func(r *reference) { r.emitFirst = true }, "must be refused before any I/O"},
		{"io for a target it cannot deliver", direct, "target-one-tag", func(r *reference) {
			r.emitFirst = true
		}, "must be refused before any I/O"},
		{"lost concurrent send", hubCapabilities(), "concurrent-sends", func(r *reference) { r.dropNth = 7 }, "400 sends emitted 399 Envelopes"},
		{"lost concurrent direct send", direct, "concurrent-sends", func(r *reference) { r.dropNth = 7 }, "400 sends emitted 399 Envelopes"},
		{"schedule time not truncated", hubCapabilities(), "schedule-tags", func(r *reference) {
			r.mutate = func(e *push.Envelope) { e.ScheduleTime = start.Add(time.Hour + 500*time.Millisecond) }
		}, "scheduleTime"},
		{"per-device failure dropped", direct, "per-device-mixed-dead", func(r *reference) { r.dropFailures = true }, "which is dead, has error <nil>"},
		{"dead handle retried", direct, "per-device-mixed-dead", func(r *reference) { r.retryDead = 1 }, "received 2 requests for handle 2, which is dead"},
		{"single dead handle retried", direct, "per-device-dead-single", func(r *reference) { r.retryDead = 2 }, "received 3 requests for handle 1"},
		{"cancellation ignored", direct, "per-device-cancel-mid-list", func(r *reference) { r.ignoreCtx = true }, "want an error matching push.ErrNotAttempted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newReferenceWith(tt.caps)(t, fixedClock{}).(referenceHarness)
			tt.fault(h.r)
			err := runCase(t, h, byName[tt.cs])
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// A Sender that delivers what it did not declare is caught: it must refuse.
func TestRunCatchesAnUndeclaredDelivery(t *testing.T) {
	caps := push.DirectCapabilities("reference", push.Apple)
	h := newReferenceWith(caps)(t, fixedClock{}).(referenceHarness)
	h.r.caps = hubCapabilities() // delivers everything, declares Apple devices only
	err := runCase(t, declaring{h, caps}, casesByName()["target-one-tag"])
	require.Error(t, err)
	assert.Contains(t, err.Error(), `the send succeeded; want an error matching "not supported by this sender"`)
}

type declaring struct {
	referenceHarness
	caps push.Capabilities
}

func (d declaring) Sender() push.Sender {
	return struct {
		push.Sender
		push.Capable
	}{d.r, capsOnly(d.caps)}
}

type capsOnly push.Capabilities

func (c capsOnly) Capabilities() push.Capabilities { return push.Capabilities(c).Clone() }

func casesByName() map[string]testCase {
	m := map[string]testCase{}
	for _, c := range cases() {
		m[c.name] = c
	}
	return m
}

type fixedClock struct{}

func (fixedClock) Now() time.Time                             { return start }
func (fixedClock) Sleep(context.Context, time.Duration) error { return nil }

func TestWrongErrorIsExplained(t *testing.T) {
	err := checkErr("the send", &push.Error{Kind: push.ErrForbidden}, push.ErrInvalidTarget)
	assert.EqualError(t, err, `the send failed with "forbidden", which does not match "invalid target" (errors.Is)`)
	assert.EqualError(t, checkErr("Cancel", nil, push.ErrNotFound), `Cancel succeeded; want an error matching "not found"`)
}

func TestMergeBatches(t *testing.T) {
	a := push.Envelope{Platform: push.Apple, Body: []byte("{}"), Devices: []string{handles(3)[0], handles(3)[1]}}
	b := push.Envelope{Platform: push.Apple, Body: []byte("{}"), Tags: "x"}
	c := push.Envelope{Platform: push.Apple, Body: []byte("{}"), Devices: []string{handles(3)[2]}}
	got := mergeBatches([]push.Envelope{c, b, a})
	require.Len(t, got, 2)
	assert.Equal(t, handles(3), got[0].Devices, "merged, in the order the case made the handles")
	assert.Equal(t, "x", got[1].Tags)
	assert.Equal(t, []string{handles(3)[2]}, c.Devices, "the input is not modified")
}

func TestTagsCompareByMeaning(t *testing.T) {
	want := push.Envelope{Platform: push.Apple, Tags: "(a||b) && c"}
	assert.NoError(t, compare(want, push.Envelope{Platform: push.Apple, Tags: "(a || b)&&c"}), "the same expression, spaced otherwise")
	assert.NoError(t, compare(want, push.Envelope{Platform: push.Apple, Tags: "((a) || b) && c"}), "the same expression, parenthesised otherwise")
	assert.Error(t, compare(want, push.Envelope{Platform: push.Apple, Tags: "a || b && c"}), "another meaning")
	assert.Error(t, compare(want, push.Envelope{Platform: push.Apple, Tags: "c && (a || b)"}), "another order")
}
