package telemetry

import (
	"context"
	"errors"

	"github.com/pushwire/push"
)

// class is an error class: an index into classes. classNone is success.
type class uint8

const (
	classNone     class = 0
	classCanceled class = iota + class(len(sentinels))
	classDeadline
	classOther
	numClasses
)

// sentinels maps each push sentinel to its class name, class i+1 for
// sentinels[i]. An error matching a sentinel placed before another is
// classed by the first: ErrPayloadTooLarge before ErrInvalidNotification
// and ErrOutcomeUnknown before ErrUnavailable, which they also match.
var sentinels = [...]struct {
	err  error
	name string
}{
	{push.ErrPayloadTooLarge, "payload_too_large"},
	{push.ErrInvalidNotification, "invalid_notification"},
	{push.ErrInvalidTarget, "invalid_target"},
	{push.ErrInvalidSchedule, "invalid_schedule"},
	{push.ErrUnauthorized, "unauthorized"},
	{push.ErrForbidden, "forbidden"},
	{push.ErrNotFound, "not_found"},
	{push.ErrConflict, "conflict"},
	{push.ErrThrottled, "throttled"},
	{push.ErrOutcomeUnknown, "outcome_unknown"},
	{push.ErrUnavailable, "unavailable"},
	{push.ErrUnregistered, "unregistered"},
	{push.ErrUnsupported, "unsupported"},
	{push.ErrNotAttempted, "not_attempted"},
}

// String returns the class's name as error.type reports it; "" for
// classNone.
func (c class) String() string {
	switch {
	case c == classNone:
		return ""
	case int(c) <= len(sentinels):
		return sentinels[c-1].name
	case c == classCanceled:
		return "canceled"
	case c == classDeadline:
		return "deadline_exceeded"
	}
	return "_OTHER"
}

// classOf classes err: by the Kind of the first *push.Error on its chain
// of wrapping (for a *push.DevicesError, the first failed handle's), else
// by the first sentinel it matches anywhere in its tree, else as the
// context's error, else classOther.
func classOf(err error) class {
	if err == nil {
		return classNone
	}
	if c := chainClass(err); c != classOther {
		return c
	}
	for i := range sentinels {
		if errors.Is(err, sentinels[i].err) {
			return class(i + 1)
		}
	}
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return kindClass(push.ErrUnsupported)
	case errors.Is(err, context.Canceled):
		return classCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return classDeadline
	}
	return classOther
}

// chainClass follows err's chain of single wrapping (fmt.Errorf with one
// %w, a Kind-less *push.Error's Err) to the first *push.Error with a Kind
// or *push.DevicesError, and returns its class; classOther when the chain
// has none. Unlike errors.As it allocates nothing: a *push.Error's and a
// *push.DevicesError's Unwrap make a slice.
func chainClass(err error) class {
	for err != nil {
		switch e := err.(type) {
		case *push.Error:
			if c := kindClass(e.Kind); c != classOther {
				return c
			}
			err = e.Err
		case *push.DevicesError:
			if len(e.Failed) == 0 {
				return classOther
			}
			return classOf(e.Failed[0].Err)
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		default:
			return classOther
		}
	}
	return classOther
}

// kindClass is the class of a *push.Error's Kind, classOther for a Kind
// that is no sentinel of the push package.
func kindClass(kind error) class {
	if kind == nil {
		return classOther
	}
	for i := range sentinels {
		if kind == sentinels[i].err {
			return class(i + 1)
		}
	}
	if kind == errors.ErrUnsupported { // what push.ErrUnsupported also matches
		return kindClass(push.ErrUnsupported)
	}
	return classOther
}
