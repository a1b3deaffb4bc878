package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
)

// Run runs the suite against the Senders newHarness makes, one subtest per case,
// in a fixed order. Each case gets a fresh Harness and a fresh clock reading
// 2030-01-02T03:04:05Z. Cases that need push.Scheduler are skipped, saying so, when the Sender
// does not implement it or its Schedule reports errors.ErrUnsupported.
func Run(t *testing.T, newHarness NewHarness) {
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, pushtest.NewClock(start))
			err := runCase(t, h, c)
			switch {
			case errors.Is(err, errSkip):
				t.Skip(err)
			case err != nil:
				t.Errorf("%v\n\nA conforming Sender must %s.", err, c.explanation)
			}
		})
	}
}

// errSkip marks a case the Sender cannot run, by its own account.
var errSkip = errors.New("skipped")

// runCase runs one case and explains the first way the Sender fails it.
func runCase(t *testing.T, h Harness, c testCase) error {
	ctx := t.Context()
	switch c.op {
	case opConcurrent:
		return runConcurrent(t, h, c)
	case opSend:
		_, err := h.Sender().Send(ctx, c.notification, c.target)
		return checkOutcome(t, h, c, err)
	}
	s, ok := h.Sender().(push.Scheduler)
	if !ok {
		return fmt.Errorf("%w: the Sender does not implement push.Scheduler", errSkip)
	}
	switch c.op {
	case opCancelUnknown:
		err := s.Cancel(ctx, "conformance-never-issued")
		if unsupported(err) {
			return fmt.Errorf("%w: the Sender cannot cancel: %v", errSkip, err)
		}
		return checkErr("Cancel", err, c.err)
	case opCancel:
		return runCancel(t, h, s, c)
	}
	_, err := s.Schedule(ctx, c.notification, c.target, start.Add(c.after))
	if unsupported(err) {
		return fmt.Errorf("%w: the Sender cannot schedule: %v", errSkip, err)
	}
	return checkOutcome(t, h, c, err)
}

func unsupported(err error) bool { return errors.Is(err, errors.ErrUnsupported) }

// checkOutcome checks the error of a send or schedule and what was emitted.
func checkOutcome(t *testing.T, h Harness, c testCase, err error) error {
	if err := checkErr("the send", err, c.err); err != nil {
		return err
	}
	got := mergeBatches(h.Envelopes(t))
	if c.err != nil {
		if len(got) > 0 {
			return fmt.Errorf("it refused the input but emitted %d Envelope(s) first; bad input must be caught before any I/O", len(got))
		}
		return nil
	}
	return compareGolden(c.name, got)
}

// checkErr compares an error with the sentinel a case expects (nil: success).
func checkErr(what string, err, want error) error {
	switch {
	case want == nil && err != nil:
		return fmt.Errorf("%s failed: %v", what, err)
	case want != nil && err == nil:
		return fmt.Errorf("%s succeeded; want an error matching %q", what, want)
	case want != nil && !errors.Is(err, want):
		return fmt.Errorf("%s failed with %q, which does not match %q (errors.Is)", what, err, want)
	}
	return nil
}

func runCancel(t *testing.T, h Harness, s push.Scheduler, c testCase) error {
	ctx := t.Context()
	r, err := s.Schedule(ctx, c.notification, c.target, start.Add(c.after))
	if unsupported(err) {
		return fmt.Errorf("%w: the Sender cannot schedule: %v", errSkip, err)
	}
	if err := checkOutcome(t, h, c, err); err != nil {
		return err
	}
	if r.ID == "" {
		return errors.New("the schedule returned no Receipt.ID, so the send cannot be cancelled")
	}
	if err := s.Cancel(ctx, r.ID); err != nil {
		return fmt.Errorf("Cancel(%q) of the scheduled send failed: %v", r.ID, err)
	}
	return checkErr(fmt.Sprintf("a second Cancel(%q)", r.ID), s.Cancel(ctx, r.ID), push.ErrNotFound)
}

// runConcurrent sends from many goroutines, each to its own tag, and checks that
// every send was emitted exactly once and unchanged.
func runConcurrent(t *testing.T, h Harness, c testCase) error {
	const goroutines, each = 16, 25
	ctx := t.Context()
	errs := make(chan error, goroutines*each)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				if _, err := h.Sender().Send(ctx, c.notification, push.Tags(concurrentTag(g*each+i))); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("a concurrent send failed: %v", err)
	}
	return checkConcurrent(h.Envelopes(t), c.notification, goroutines*each)
}

func concurrentTag(i int) string { return fmt.Sprintf("c%04d", i) }

func checkConcurrent(got []push.Envelope, n push.Notification, sends int) error {
	if len(got) != sends {
		return fmt.Errorf("%d sends emitted %d Envelopes", sends, len(got))
	}
	seen := make(map[string]bool, sends)
	for _, e := range got {
		if seen[e.Tags] {
			return fmt.Errorf("the send to %q was emitted twice", e.Tags)
		}
		seen[e.Tags] = true
		want, err := push.Render(n, push.Expression(e.Tags))
		if err != nil {
			return fmt.Errorf("emitted an Envelope with tags %q that no send asked for", e.Tags)
		}
		if err := compare(want, e); err != nil {
			return fmt.Errorf("the send to %q: %w", e.Tags, err)
		}
	}
	for i := range sends {
		if !seen[concurrentTag(i)] {
			return fmt.Errorf("the send to %q was lost", concurrentTag(i))
		}
	}
	return nil
}

func compare(want, got push.Envelope) error {
	w, err := encodeEnvelopes([]push.Envelope{want})
	if err != nil {
		return err
	}
	g, err := encodeEnvelopes([]push.Envelope{got})
	if err != nil {
		return err
	}
	return diff(w, g)
}

// mergeBatches joins adjacent direct Envelopes that differ only in their
// devices: a provider may split a large batch into several requests.
func mergeBatches(envs []push.Envelope) []push.Envelope {
	var out []push.Envelope
	for _, e := range envs {
		if n := len(out); n > 0 && sameButDevices(out[n-1], e) {
			out[n-1].Devices = append(slices.Clip(out[n-1].Devices), e.Devices...)
			continue
		}
		out = append(out, e)
	}
	return out
}

func sameButDevices(a, b push.Envelope) bool {
	if len(a.Devices) == 0 || len(b.Devices) == 0 {
		return false
	}
	a.Devices, b.Devices = nil, nil
	return compare(a, b) == nil
}

// compareGolden compares emitted Envelopes with the case's golden file.
func compareGolden(name string, got []push.Envelope) error {
	want, err := readGolden(name)
	if err != nil {
		return err
	}
	g, err := encodeEnvelopes(got)
	if err != nil {
		return fmt.Errorf("cannot encode what was emitted: %v", err)
	}
	if err := diff(want, g); err != nil {
		return fmt.Errorf("what it emitted differs from %s: %w", goldenPath(name), err)
	}
	return nil
}

// diff explains the first difference between two golden encodings.
func diff(want, got []byte) error {
	if bytes.Equal(want, got) {
		return nil
	}
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	return fmt.Errorf("first difference at line %d:\n  want: %s\n  got:  %s", i+1, lineAt(w, i), lineAt(g, i))
}

func lineAt(lines []string, i int) string {
	if i >= len(lines) {
		return "(end)"
	}
	return strings.TrimSpace(lines[i])
}
