package conformance

import (
	"errors"
	"fmt"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
)

// Run runs the suite against the Senders newHarness makes, one subtest per
// case, in a fixed order. Each case gets a fresh Harness and a fresh clock
// reading 2030-01-02T03:04:05Z.
//
// The Sender must declare its capabilities (push.Capable), and the suite
// holds it to them: a case whose platform or target kind it does not
// declare must be refused before any I/O with push.ErrUnsupported, and so
// must Schedule and Cancel when it schedules nothing. A case that needs
// what the Sender legitimately lacks (push.Scheduler, per-device results,
// one of the optional harness interfaces) is skipped, saying why. A case
// that sends a platform to tags is sent to one device handle instead when
// the Sender delivers that platform to devices only (a direct provider), so
// that every provider is checked on every payload it takes.
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
	caps, ok := push.CapabilitiesOf(h.Sender())
	if !ok {
		return fmt.Errorf("the Sender (%T) does not declare what it delivers: it must implement push.Capable", h.Sender())
	}
	r := &runner{t: t, h: h, caps: caps, devices: newDevices(t, h)}
	switch c.op {
	case opSend:
		return r.send(c)
	case opConcurrent:
		return r.concurrent(c)
	case opSchedule, opCancel, opCancelUnknown:
		return r.schedule(c)
	}
	return r.perDevice(c)
}

// runner runs one case against one Harness.
type runner struct {
	t       *testing.T
	h       Harness
	caps    push.Capabilities
	devices *devices
}

// envelopes returns what the Sender emitted, with canonical handles.
func (r *runner) envelopes() []push.Envelope {
	got := r.h.Envelopes(r.t)
	out := make([]push.Envelope, len(got))
	for i, e := range got {
		out[i] = r.devices.canonical(e)
	}
	return out
}

// send runs an opSend case: it works out what the Sender must do with the
// case (deliver it, deliver it to one device instead of tags, or refuse it as
// unsupported), sends, and checks the error and what was emitted.
func (r *runner) send(c testCase) error {
	p, to := c.notification.Platform, c.target
	if c.devices > 0 {
		to = r.devices.target(p, c.devices, c.one)
	}
	want := c.err
	var retarget *push.Envelope
	switch {
	case r.supports(p, to.Kind()):
	case c.retarget && r.caps.Delivers(p, push.TargetDevice) && push.HubTargets.Has(to.Kind()):
		to = r.devices.target(p, 1, true)
		env, err := push.Render(c.notification, to)
		if err == nil {
			env = r.devices.canonical(env)
			retarget = &env
		}
	default:
		want = push.ErrUnsupported
	}
	_, err := r.h.Sender().Send(r.t.Context(), c.notification, to)
	if err := checkErr("the send", err, want); err != nil {
		return err
	}
	return r.checkEmitted(c, want, retarget)
}

// supports reports whether the Sender must take a notification of platform p
// to a target of kind k: it declares it, or the core itself refuses the
// input (an invalid platform, the zero Target, a template to a device).
func (r *runner) supports(p push.Platform, k push.TargetKind) bool {
	if !p.Valid() || k == 0 || (p == push.Template && push.DeviceTargets.Has(k)) {
		return true
	}
	return r.caps.Delivers(p, k)
}

// checkEmitted checks what was emitted after a send or schedule that failed
// with want (nothing) or succeeded (the golden file).
func (r *runner) checkEmitted(c testCase, want error, retarget *push.Envelope) error {
	got := mergeBatches(r.envelopes())
	if want != nil {
		if len(got) > 0 {
			return fmt.Errorf("it refused the input but emitted %d Envelope(s) first; bad input, and what the Sender cannot deliver, must be refused before any I/O", len(got))
		}
		return nil
	}
	return compareGolden(c.name, got, retarget)
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
