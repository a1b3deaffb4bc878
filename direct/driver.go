package direct

import (
	"context"

	"github.com/pushwire/push"
)

// Driver sends a rendered notification to one device handle. It is the part
// of a direct provider that knows the wire.
type Driver interface {
	// Send makes one attempt to deliver env to the handle env.Devices[i] (for
	// a browser, with the subscription env.Subscriptions[i]) and says what
	// happened: on success a Result with the service's message ID, otherwise
	// a Result whose Err is a *push.Error classified with the push sentinels
	// (push.ErrUnregistered for a dead handle, push.ErrThrottled with
	// RetryAfter, push.ErrUnavailable for what may be retried, ...). The
	// Sender fills Handle. Send does not retry: the Sender does, under its
	// push.RetryPolicy, for errors the policy calls retryable. A driver may
	// repeat a request itself only where the service asks it to (a refreshed
	// auth token after an expired one).
	//
	// env is shared by every handle of the send and by concurrent calls:
	// Send must not modify it, nor retain it after returning. Send is called
	// from several goroutines at once and must honour ctx.
	Send(ctx context.Context, env *push.Envelope, i int) push.Result
}

// Checker is implemented by Drivers that check what the service would refuse
// before any I/O: Check sees the rendered Envelope once per send (a topic,
// a size limit the core does not know), CheckHandle each handle (a token's
// shape). An error from Check refuses the whole send; an error from
// CheckHandle fails that handle alone, which is not sent. Both return a
// *push.Error (push.ErrInvalidNotification, push.ErrInvalidTarget, ...).
type Checker interface {
	Check(env *push.Envelope) error
	CheckHandle(env *push.Envelope, i int) error
}
