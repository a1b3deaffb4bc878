package conformance

import (
	"fmt"
	"sync"

	"github.com/pushwire/push"
)

// concurrent sends from many goroutines at once, each send to its own tag or,
// for a Sender that delivers to device handles only, its own handle, and
// checks that every send was emitted exactly once and unchanged.
func (r *runner) concurrent(c testCase) error {
	const goroutines, each = 16, 25
	p, hub, ok := r.concurrentPlatform()
	if !ok {
		return fmt.Errorf("%w: the Sender delivers no platform to tags or to one device", errSkip)
	}
	n := sample(p)
	targets := make([]push.Target, goroutines*each)
	for i := range targets {
		if hub {
			targets[i] = push.Tags(concurrentTag(i))
		} else {
			targets[i] = r.devices.target(p, 1, true)
		}
	}
	ctx := r.t.Context()
	errs := make(chan error, len(targets))
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				if _, err := r.h.Sender().Send(ctx, n, targets[g*each+i]); err != nil {
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
	return r.checkConcurrent(r.envelopes(), n, targets)
}

// concurrentPlatform picks the platform of the concurrent case: the first of
// the preferred platforms the Sender delivers to tags (hub) or else to one
// device.
func (r *runner) concurrentPlatform() (p push.Platform, hub bool, ok bool) {
	for _, p := range preferred() {
		if r.caps.Delivers(p, push.TargetTags) {
			return p, true, true
		}
	}
	for _, p := range preferred() {
		if r.caps.Delivers(p, push.TargetDevice) {
			return p, false, true
		}
	}
	return "", false, false
}

func concurrentTag(i int) string { return fmt.Sprintf("c%04d", i) }

// checkConcurrent checks that each target got exactly its Envelope.
func (r *runner) checkConcurrent(got []push.Envelope, n push.Notification, targets []push.Target) error {
	want := make(map[string]push.Envelope, len(targets))
	for _, to := range targets {
		env, err := push.Render(n, to)
		if err != nil {
			return fmt.Errorf("the suite cannot render its own input: %v", err)
		}
		env = r.devices.canonical(env)
		want[addressOf(env)] = env
	}
	if len(got) != len(targets) {
		return fmt.Errorf("%d sends emitted %d Envelopes", len(targets), len(got))
	}
	seen := make(map[string]bool, len(got))
	for _, e := range got {
		a := addressOf(e)
		w, ok := want[a]
		switch {
		case !ok:
			return fmt.Errorf("emitted an Envelope to %q that no send asked for", a)
		case seen[a]:
			return fmt.Errorf("the send to %q was emitted twice", a)
		}
		seen[a] = true
		if err := compare(w, e); err != nil {
			return fmt.Errorf("the send to %q: %w", a, err)
		}
	}
	for a := range want {
		if !seen[a] {
			return fmt.Errorf("the send to %q was lost", a)
		}
	}
	return nil
}

// addressOf names where an Envelope went: its tags in canonical form, or its
// handles.
func addressOf(e push.Envelope) string {
	if len(e.Devices) > 0 {
		return fmt.Sprint(e.Devices)
	}
	return canonicalTags(e.Tags)
}
