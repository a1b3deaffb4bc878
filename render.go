package push

import (
	"fmt"
	"time"
)

// MaxScheduleAhead is how far ahead a scheduled send may be due.
const MaxScheduleAhead = 7 * 24 * time.Hour

// Render turns a notification and a target into the Envelope a provider sends.
// It is pure: no I/O, no clock, no randomness; the same input always gives the
// same Envelope. It returns an error matching ErrInvalidNotification,
// ErrPayloadTooLarge or ErrInvalidTarget when the input cannot be sent:
// everything is checked here, before any provider does I/O.
//
// A platform and a target must suit each other: a Template notification cannot
// go to a device handle (templates live in registrations), and a Browser direct
// send needs BrowserDevice, which carries the subscription keys.
func Render(n Notification, to Target) (Envelope, error) {
	if err := n.Validate(); err != nil {
		return Envelope{}, err
	}
	if err := checkTargetFor(n.Platform, to); err != nil {
		return Envelope{}, err
	}
	env := Envelope{
		Platform:      n.Platform,
		ContentType:   n.EffectiveContentType(),
		Header:        n.Header,
		Body:          n.Body,
		Devices:       to.devices,
		Subscriptions: to.subs,
	}
	if to.expr != nil {
		env.Tags = to.expr.Text()
	}
	return env, nil
}

// RenderAt renders a scheduled send due at `at`, as seen from now. Besides
// Render's checks, the target must be tags or a broadcast (Notification Hubs
// cannot schedule a direct send) and `at` must be no earlier than now and at most
// MaxScheduleAhead after it, or the error matches ErrInvalidSchedule. The
// Envelope's ScheduleTime is `at` in UTC, truncated to whole seconds.
func RenderAt(n Notification, to Target, at, now time.Time) (Envelope, error) {
	env, err := Render(n, to)
	if err != nil {
		return Envelope{}, err
	}
	if to.kind != TargetBroadcast && to.kind != TargetTags {
		return Envelope{}, invalid(ErrInvalidTarget, "a scheduled send goes to tags or a broadcast; Notification Hubs cannot schedule a direct send")
	}
	if err := checkScheduleTime(at, now); err != nil {
		return Envelope{}, err
	}
	env.ScheduleTime = at.UTC().Truncate(time.Second)
	return env, nil
}

func checkScheduleTime(at, now time.Time) error {
	switch {
	case at.IsZero():
		return invalid(ErrInvalidSchedule, "the schedule time is zero")
	case at.Before(now.Truncate(time.Second)):
		return invalid(ErrInvalidSchedule, fmt.Sprintf("the schedule time %s is in the past (now is %s)", at.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
	case at.Sub(now) > MaxScheduleAhead:
		return invalid(ErrInvalidSchedule, fmt.Sprintf("the schedule time %s is more than 7 days after now (%s)", at.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
	}
	return nil
}

// checkTargetFor checks that to is valid and can carry a notification of platform p.
func checkTargetFor(p Platform, to Target) error {
	if err := to.Err(); err != nil {
		return err
	}
	direct := to.kind == TargetDevice || to.kind == TargetDevices
	switch {
	case direct && p == Template:
		return invalid(ErrInvalidTarget, "a template notification cannot go to a device handle: templates live in registrations; send to tags instead")
	case to.subs != nil && p != Browser:
		return invalid(ErrInvalidTarget, fmt.Sprintf("push.BrowserDevice takes a browser notification, not %s", p))
	case direct && p == Browser && to.subs == nil:
		return invalid(ErrInvalidTarget, "a browser direct send needs the subscription keys: use push.BrowserDevice")
	}
	return nil
}
