package conformance

import (
	"errors"
	"fmt"

	"github.com/pushwire/push"
)

// schedule runs a scheduling case. A Sender that neither declares scheduling
// nor implements push.Scheduler skips it; one that implements
// push.Scheduler but declares no scheduling for the platform (a decorator or
// router over a direct provider) must refuse with push.ErrUnsupported; one
// that declares scheduling must implement push.Scheduler and schedule.
func (r *runner) schedule(c testCase) error {
	declared := r.caps.CanSchedule()
	if c.op != opCancelUnknown {
		declared = r.caps.Platforms[c.notification.Platform].Schedule || !c.notification.Platform.Valid()
	}
	s, ok := r.h.Sender().(push.Scheduler)
	switch {
	case !ok && declared:
		return fmt.Errorf("its Capabilities say it schedules, but it does not implement push.Scheduler")
	case !ok:
		return fmt.Errorf("%w: the Sender does not schedule (its Capabilities say so, and it does not implement push.Scheduler)", errSkip)
	}
	want := c.err
	if !declared {
		want = push.ErrUnsupported
	}
	ctx := r.t.Context()
	switch c.op {
	case opCancelUnknown:
		return checkErr("Cancel", s.Cancel(ctx, "conformance-never-issued"), want)
	case opCancel:
		return r.scheduleThenCancel(s, c, want)
	}
	_, err := s.Schedule(ctx, c.notification, c.target, start.Add(c.after))
	if err := checkErr("the schedule", err, want); err != nil {
		return err
	}
	return r.checkEmitted(c, want, nil)
}

func (r *runner) scheduleThenCancel(s push.Scheduler, c testCase, want error) error {
	ctx := r.t.Context()
	rec, err := s.Schedule(ctx, c.notification, c.target, start.Add(c.after))
	if err := checkErr("the schedule", err, want); err != nil {
		return err
	}
	if err := r.checkEmitted(c, want, nil); err != nil || want != nil {
		return err
	}
	if rec.ID == "" {
		return errors.New("the schedule returned no Receipt.ID, so the send cannot be cancelled")
	}
	if err := s.Cancel(ctx, rec.ID); err != nil {
		return fmt.Errorf("Cancel(%q) of the scheduled send failed: %v", rec.ID, err)
	}
	return checkErr(fmt.Sprintf("a second Cancel(%q)", rec.ID), s.Cancel(ctx, rec.ID), push.ErrNotFound)
}
