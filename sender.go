package push

import (
	"context"
	"slices"
	"time"
)

// Sender sends notifications. It is the one interface every provider implements.
//
// Send renders n for to (see Render) and hands the result to the push service.
// Bad input is reported before any I/O, with an error matching
// ErrInvalidNotification, ErrPayloadTooLarge or ErrInvalidTarget; what the
// Sender cannot deliver at all (see Capabilities) with an error matching
// ErrUnsupported. A nil error means the service accepted the notification for
// delivery; it does not mean any device received it (the service fans out
// asynchronously; a test send reports per-device outcomes in Receipt.Outcome).
// A non-nil error is, or wraps, a *Error; for a send split into several
// requests it may come with a Receipt listing the parts that were accepted.
//
// A send to device handles (Device, Devices, BrowserDevice, BrowserDevices)
// through a Sender that learns what happened to each handle (its Capabilities
// say PerDevice) returns one Result per handle in Receipt.Results, in the
// order of the target's handles, and a non-nil error when any handle failed:
// the handle's own error for a target of one handle, a *DevicesError
// otherwise. errors.Is on it finds each kind that occurred, ErrUnregistered
// (delete the handle) among them.
//
// Implementations must be safe for concurrent use by multiple goroutines, must
// not retain n, to or their slices and maps after Send returns, and must honour
// ctx's cancellation and deadline.
type Sender interface {
	Send(ctx context.Context, n Notification, to Target) (Receipt, error)
}

// Scheduler is implemented by Senders that can deliver a notification later.
//
// Schedule checks its input as RenderAt does (tags or broadcast only; at no
// earlier than now and at most MaxScheduleAhead ahead) and returns a Receipt whose
// ID identifies the scheduled notification for Cancel. Cancel of an unknown or
// already delivered ID returns an error matching ErrNotFound.
type Scheduler interface {
	Sender
	Schedule(ctx context.Context, n Notification, to Target, at time.Time) (Receipt, error)
	Cancel(ctx context.Context, id string) error
}

// Receipt is what a provider learned when it handed a notification over.
type Receipt struct {
	// ID identifies the notification at the service (for telemetry or Cancel). It
	// may be empty: Notification Hubs' Free and Basic tiers return none.
	ID string
	// TrackingID identifies the request in the service's logs.
	TrackingID string
	// CorrelationID correlates the request across the service's components.
	CorrelationID string
	// Outcome holds the per-device results of a test send; nil otherwise.
	Outcome *Outcome
	// Parts holds one Receipt per request when the send took several (a batch of
	// more than MaxBatchDevices handles), in order; the fields above then repeat
	// the first part's. Nil for a send of one request.
	Parts []Receipt
	// Results holds one Result per device handle of a send to device handles,
	// in the order of the target's handles, when the Sender learns what
	// happened to each (Capabilities.PerDevice); nil otherwise. For a target of
	// one handle, ID repeats the Result's.
	Results []Result
}

// Outcome is the result of a test send: how many devices the service tried, and
// what happened at each (Notification Hubs reports at most 10).
type Outcome struct {
	Success int
	Failure int
	Results []DeviceResult
}

// DeviceResult is what happened to one device in a test send.
type DeviceResult struct {
	// Platform is the registration's platform as the service names it
	// ("apple", "fcmv1", "windows", ...).
	Platform string
	// Handle is the device's PNS handle.
	Handle string
	// RegistrationID identifies the registration or installation.
	RegistrationID string
	// Outcome is the service's words, e.g. "The Notification was successfully
	// sent to the Push Notification System".
	Outcome string
}

// Clone returns a deep copy of r: its own Outcome, Parts and Results. It
// allocates only when r has one of them.
func (r Receipt) Clone() Receipt {
	if r.Outcome != nil {
		o := *r.Outcome
		o.Results = slices.Clone(o.Results)
		r.Outcome = &o
	}
	if r.Parts != nil {
		parts := make([]Receipt, len(r.Parts))
		for i, p := range r.Parts {
			parts[i] = p.Clone()
		}
		r.Parts = parts
	}
	r.Results = slices.Clone(r.Results)
	return r
}
