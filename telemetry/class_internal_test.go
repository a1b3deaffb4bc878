package telemetry

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/pushwire/push"
)

func TestClassOf(t *testing.T) {
	kind := func(k error) error { return &push.Error{Op: "x", Kind: k, Detail: "d"} }
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"invalid notification", kind(push.ErrInvalidNotification), "invalid_notification"},
		{"invalid target", kind(push.ErrInvalidTarget), "invalid_target"},
		{"invalid schedule", kind(push.ErrInvalidSchedule), "invalid_schedule"},
		{"payload too large, which is also invalid", kind(push.ErrPayloadTooLarge), "payload_too_large"},
		{"unauthorized", kind(push.ErrUnauthorized), "unauthorized"},
		{"forbidden", kind(push.ErrForbidden), "forbidden"},
		{"not found", kind(push.ErrNotFound), "not_found"},
		{"conflict", kind(push.ErrConflict), "conflict"},
		{"throttled", kind(push.ErrThrottled), "throttled"},
		{"unavailable", kind(push.ErrUnavailable), "unavailable"},
		{"outcome unknown, which is also unavailable", kind(push.ErrOutcomeUnknown), "outcome_unknown"},
		{"unregistered", kind(push.ErrUnregistered), "unregistered"},
		{"unsupported", kind(push.ErrUnsupported), "unsupported"},
		{"the standard library's unsupported as a Kind", kind(errors.ErrUnsupported), "unsupported"},
		{"the standard library's unsupported, bare", fmt.Errorf("no: %w", errors.ErrUnsupported), "unsupported"},
		{"not attempted", kind(push.ErrNotAttempted), "not_attempted"},
		{"a bare sentinel", push.ErrThrottled, "throttled"},
		{"wrapped by the caller", fmt.Errorf("publish: %w", kind(push.ErrForbidden)), "forbidden"},
		{"a Kind-less error around a classified one",
			&push.Error{Op: "outer", Err: kind(push.ErrThrottled)}, "throttled"},
		{"a cancelled context", &push.Error{Op: "x", Err: context.Canceled}, "canceled"},
		{"a deadline", fmt.Errorf("send: %w", context.DeadlineExceeded), "deadline_exceeded"},
		{"a Kind of no sentinel", kind(errors.New("mystery")), "_OTHER"},
		{"no *push.Error", errors.New("boom"), "_OTHER"},
		{"the first failed handle of several", push.ResultsError("x", []push.Result{
			{Handle: "a"},
			{Handle: "b", Err: kind(push.ErrNotAttempted)},
			{Handle: "c", Err: kind(push.ErrUnregistered)},
		}), "not_attempted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := classOf(tc.err).String(); got != tc.want {
				t.Errorf("classOf(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

// TestClassNames checks that every class has its own name.
func TestClassNames(t *testing.T) {
	seen := map[string]class{}
	for c := range numClasses {
		name := c.String()
		if prev, dup := seen[name]; dup {
			t.Errorf("classes %d and %d are both named %q", prev, c, name)
		}
		seen[name] = c
	}
}

func TestClassOfAllocatesNothing(t *testing.T) {
	if RaceEnabled {
		t.Skip("the race detector allocates")
	}
	failed := push.ResultsError("x", []push.Result{
		{Handle: "a", Err: &push.Error{Kind: push.ErrThrottled}},
		{Handle: "b", Err: &push.Error{Kind: push.ErrUnregistered}},
	})
	for _, err := range []error{
		&push.Error{Op: "x", Kind: push.ErrThrottled},
		fmt.Errorf("wrapped: %w", &push.Error{Op: "x", Kind: push.ErrThrottled}),
		failed,
		fmt.Errorf("wrapped: %w", failed),
	} {
		if n := testing.AllocsPerRun(100, func() { classOf(err) }); n != 0 {
			t.Errorf("classOf(%v) allocates %v times", err, n)
		}
	}
}
