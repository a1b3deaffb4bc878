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
	switch c.op {
	case opSend:
		e, err := push.Render(c.notification, c.target)
		return []push.Envelope{e}, err
	case opSchedule, opCancel:
		e, err := push.RenderAt(c.notification, c.target, start.Add(c.after), start)
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

// reference is the simplest conforming Sender: it renders and keeps what it
// rendered. The suite must pass against it.
type reference struct {
	clock push.Clock
	mu    sync.Mutex
	sent  []push.Envelope
	ids   map[string]bool
	// faults, to check that the suite notices them
	mutate    func(*push.Envelope)
	emitFirst bool
	dropNth   int // drop the nth Envelope kept
	kept      int
}

func (r *reference) Send(_ context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if r.emitFirst {
		r.keep(push.Envelope{Platform: n.Platform, Body: n.Body})
	}
	e, err := push.Render(n, to)
	if err != nil {
		return push.Receipt{}, err
	}
	r.keep(e.Clone())
	return push.Receipt{ID: "x"}, nil
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

func newReference(t *testing.T, clock push.Clock) Harness {
	return referenceHarness{&reference{clock: clock, ids: map[string]bool{}}}
}

func TestRunPassesTheReferenceSender(t *testing.T) {
	Run(t, newReference)
}

// sendOnly hides the Scheduler methods.
type sendOnly struct{ push.Sender }

type sendOnlyHarness struct{ referenceHarness }

func (h sendOnlyHarness) Sender() push.Sender { return sendOnly{h.r} }

func TestRunSkipsSchedulingForPlainSenders(t *testing.T) {
	var skipped []string
	for _, c := range cases() {
		h := sendOnlyHarness{newReference(t, nil).(referenceHarness)}
		err := runCase(t, h, c)
		if errors.Is(err, errSkip) {
			skipped = append(skipped, c.name)
			continue
		}
		assert.NoError(t, err, c.name)
	}
	assert.Len(t, skipped, len(scheduleCases()))
}

// The suite must catch each way a Sender can go wrong.
func TestRunCatchesFaults(t *testing.T) {
	byName := map[string]testCase{}
	for _, c := range cases() {
		byName[c.name] = c
	}
	tests := []struct {
		name  string
		cs    string
		fault func(*reference)
		want  string
	}{
		{"changed header", "header-apns", func(r *reference) {
			r.mutate = func(e *push.Envelope) { e.Header = e.Header.Clone(); e.Header.Set("Apns-Priority", "5") }
		}, "differs from testdata/header-apns.golden"},
		{"tags not canonical", "target-expression", func(r *reference) {
			r.mutate = func(e *push.Envelope) { e.Tags = "(follows_RedSox||follows_Cardinals)&&location_Boston&&!muted" }
		}, "first difference"},
		{"io before validation", "invalid-json", func(r *reference) { r.emitFirst = true }, "bad input must be caught before any I/O"},
		{"lost concurrent send", "concurrent-sends", func(r *reference) { r.dropNth = 7 }, "400 sends emitted 399 Envelopes"},
		{"schedule time not truncated", "schedule-tags", func(r *reference) {
			r.mutate = func(e *push.Envelope) { e.ScheduleTime = start.Add(time.Hour + 500*time.Millisecond) }
		}, "scheduleTime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newReference(t, nil).(referenceHarness)
			h.r.clock = fixedClock{}
			tt.fault(h.r)
			err := runCase(t, h, byName[tt.cs])
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
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
	a := push.Envelope{Platform: push.Apple, Body: []byte("{}"), Devices: []string{"1", "2"}}
	b := push.Envelope{Platform: push.Apple, Body: []byte("{}"), Devices: []string{"3"}}
	c := push.Envelope{Platform: push.Apple, Body: []byte("{}"), Tags: "x"}
	got := mergeBatches([]push.Envelope{a, b, c})
	require.Len(t, got, 2)
	assert.Equal(t, []string{"1", "2", "3"}, got[0].Devices)
	assert.Equal(t, []string{"1", "2"}, a.Devices, "the input is not modified")
}
