package direct

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/pushwire/push"
)

// DefaultConcurrency is how many requests one send to a device list keeps in
// flight unless told otherwise: enough to fill an HTTP/2 connection's
// streams (APNs allows 1000 a connection, FCM about 100) without opening
// many more connections.
const DefaultConcurrency = 100

// Config is what a Sender needs besides its Driver.
type Config struct {
	// Op names the send in errors: "apns: send".
	Op string
	// Capabilities declares what the provider delivers. Send refuses
	// anything else before any I/O (push.ErrUnsupported); device targets are
	// reported per handle whatever PerDevice says.
	Capabilities push.Capabilities
	// Retry is how each handle is retried (push.DefaultRetryPolicy when
	// zero: a zero RetryPolicy tries once, so set MaxAttempts to 1 to mean
	// it).
	Retry push.RetryPolicy
	// Clock is what retries wait on (push.SystemClock when nil).
	Clock push.Clock
	// Concurrency bounds the requests one send to a device list keeps in
	// flight (DefaultConcurrency when 0 or less). Each Send call has its
	// own bound.
	Concurrency int
	// ContinueAfterUnauthorized keeps a device list going after a handle
	// fails with push.ErrUnauthorized. By default the send stops there: one
	// service refused the credentials, and it would refuse them for every
	// handle. A provider whose handles span many services (Web Push: each
	// browser's own push service) sets it, since one refusal says nothing of
	// the others.
	ContinueAfterUnauthorized bool
}

// Sender is the push.Sender a direct provider exposes. It is safe for
// concurrent use; make one with New.
type Sender struct {
	d           Driver
	check       Checker // nil when the Driver checks nothing
	op          string
	caps        push.Capabilities
	retry       push.RetryPolicy
	clock       push.Clock
	concurrency int
	// stopOnUnauthorized: see Config.ContinueAfterUnauthorized.
	stopOnUnauthorized bool
}

var (
	_ push.Sender  = (*Sender)(nil)
	_ push.Capable = (*Sender)(nil)
)

// New returns a Sender that sends through d as c says.
func New(d Driver, c Config) *Sender {
	s := &Sender{d: d, op: c.Op, caps: c.Capabilities.Clone(), retry: c.Retry, clock: c.Clock, concurrency: c.Concurrency,
		stopOnUnauthorized: !c.ContinueAfterUnauthorized}
	s.check, _ = d.(Checker)
	if s.retry == (push.RetryPolicy{}) {
		s.retry = push.DefaultRetryPolicy()
	}
	if s.clock == nil {
		s.clock = push.SystemClock()
	}
	if s.concurrency <= 0 {
		s.concurrency = DefaultConcurrency
	}
	return s
}

// Capabilities returns what the Sender delivers: Config.Capabilities.
func (s *Sender) Capabilities() push.Capabilities { return s.caps.Clone() }

// Send renders n for to and sends it to each device handle of to.
//
// In order, before any I/O: a nil ctx is refused; a platform or target kind
// the Capabilities do not declare gets an error matching
// push.ErrUnsupported; bad input gets push.Render's error; the Driver's
// Check, when it has one, may refuse the send. Then each handle is sent,
// concurrently up to the Concurrency bound, and retried under the policy.
//
// The Receipt holds one Result per handle, in the order of to's handles
// (ID repeats the Result's for a target of one handle). The error is nil
// when every handle was accepted, the handle's own error for a target of
// one handle, and a *push.DevicesError otherwise.
//
// When ctx ends, handles not yet sent fail with push.ErrNotAttempted and
// Send returns once the requests in flight have returned: it leaves no
// goroutine behind. A handle that fails with push.ErrUnauthorized stops the
// send too, unless Config.ContinueAfterUnauthorized: the same credentials
// would fail for every other handle, and a service may block a sender that
// keeps trying them.
func (s *Sender) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if err := push.CheckContext(ctx, s.op); err != nil {
		return push.Receipt{}, err
	}
	if err := s.caps.CheckSend(s.op, n.Platform, to.Kind()); err != nil {
		return push.Receipt{}, err
	}
	st := &sendState{}
	var err error
	if st.env, err = push.Render(n, to); err != nil {
		return push.Receipt{}, err
	}
	env := &st.env
	if s.check != nil {
		if err := s.check.Check(env); err != nil {
			return push.Receipt{}, err
		}
	}
	var results []push.Result
	if len(env.Devices) == 1 {
		results = st.one[:]
		results[0] = s.sendOne(ctx, env, 0)
	} else {
		results = make([]push.Result, len(env.Devices))
		s.sendEach(ctx, env, results)
	}
	r := push.Receipt{Results: results}
	if len(results) == 1 {
		r.ID = results[0].ID
	}
	return r, push.ResultsError(s.op, results)
}

// sendState is what one Send allocates: the Envelope the Driver sees (a
// pointer to it escapes through the Driver interface) and, for a target of
// one handle, the Results.
type sendState struct {
	env push.Envelope
	one [1]push.Result
}

// sendEach sends env to each of its handles, filling results: workers take
// the next index until none is left, the context ends or a handle fails
// with push.ErrUnauthorized.
func (s *Sender) sendEach(ctx context.Context, env *push.Envelope, results []push.Result) {
	var (
		next    atomic.Int64
		stopped atomic.Pointer[push.Result] // the result that stopped the send
		wg      sync.WaitGroup
	)
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(results) {
				return
			}
			if stop := stopped.Load(); stop != nil || ctx.Err() != nil {
				results[i] = s.notAttempted(ctx, env, i, stop)
				continue
			}
			results[i] = s.sendOne(ctx, env, i)
			if s.stopOnUnauthorized && isUnauthorized(results[i].Err) {
				stopped.CompareAndSwap(nil, &results[i])
			}
		}
	}
	for range min(s.concurrency, len(results)) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// sendOne sends env to handle i, retrying under the policy.
func (s *Sender) sendOne(ctx context.Context, env *push.Envelope, i int) push.Result {
	if s.check != nil {
		if err := s.check.CheckHandle(env, i); err != nil {
			return push.Result{Handle: env.Devices[i], Err: err}
		}
	}
	var res push.Result
	err := s.retry.Do(ctx, s.clock, func(ctx context.Context) error {
		res = s.d.Send(ctx, env, i)
		return res.Err
	})
	res.Handle, res.Err = env.Devices[i], err
	return res
}

// notAttempted is the Result of handle i, not sent because ctx ended or
// stop failed first.
func (s *Sender) notAttempted(ctx context.Context, env *push.Envelope, i int, stop *push.Result) push.Result {
	e := &push.Error{Op: s.op, Kind: push.ErrNotAttempted}
	if stop != nil {
		e.Detail = "not sent: an earlier handle's credentials were refused, and they would be for every handle"
		e.Err = stop.Err
	} else {
		e.Detail = "not sent: the context ended before this handle's turn"
		e.Err = ctx.Err()
	}
	return push.Result{Handle: env.Devices[i], Err: e}
}

func isUnauthorized(err error) bool { return errors.Is(err, push.ErrUnauthorized) }
