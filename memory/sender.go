package memory

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushwire/push"
)

// Sender is an in-memory push.Sender and push.Scheduler for tests. It renders
// every notification with push.Render (push.RenderAt for Schedule) exactly as a
// network provider does, and keeps what it accepted as Deliveries instead of
// sending it anywhere. It is safe for concurrent use by multiple goroutines;
// every method returns copies, never its internals. The zero Sender is not
// usable: make one with New.
type Sender struct {
	caps    push.Capabilities
	clock   push.Clock
	ids     func() string
	latency atomic.Int64 // time.Duration

	mu         sync.Mutex
	seq        uint64
	deliveries deliveryLog
	pending    []entry   // scheduled sends, by ScheduleTime, then by order of Schedule
	devices    []*device // in registration order
	failNext   []failNext
	failWhen   []failWhen
	failures   int
	// deviceFailures holds what FailDevice and MarkUnregistered set, by handle.
	deviceFailures map[string]deviceFailure
	observe        func(push.Envelope) // set by Observe
	counterIDs     bool                // ids is the default counter
	changed        chan struct{}       // closed when deliveries grow; nil while nobody waits
}

var (
	_ push.Sender    = (*Sender)(nil)
	_ push.Scheduler = (*Sender)(nil)
	_ push.Capable   = (*Sender)(nil)
)

// defaultCapabilities is what a Sender made without WithCapabilities
// declares: what Notification Hubs delivers, the hub it fakes by default.
// Every platform to every target kind (a template to tags and broadcasts),
// scheduled and test sends included, device lists in batches of
// push.MaxBatchDevices with no per-device results.
func defaultCapabilities() push.Capabilities {
	c := push.Capabilities{Provider: "memory", Platforms: make(map[push.Platform]push.Support)}
	for _, p := range push.Platforms() {
		s := push.Support{Targets: push.AllTargets, Schedule: true, TestSend: true, BatchSize: push.MaxBatchDevices}
		if p == push.Template {
			s.Targets, s.BatchSize = push.HubTargets, 0
		}
		c.Platforms[p] = s
	}
	return c
}

// New returns an empty Sender configured by opts.
func New(opts ...Option) *Sender {
	s := &Sender{clock: push.SystemClock(), caps: defaultCapabilities(), counterIDs: true}
	s.ids = s.counterID
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// counterID is the default receipt ID source; called with s.mu held.
func (s *Sender) counterID() string {
	s.seq++
	var buf [32]byte
	return string(strconv.AppendUint(append(buf[:0], "memory-"...), s.seq, 10))
}

// Send renders n for to with push.Render and keeps the result as a Delivery
// whose Time is the clock's now.
//
// In order: bad input returns push.Render's error (matching
// push.ErrInvalidNotification, push.ErrPayloadTooLarge or
// push.ErrInvalidTarget) before anything else happens; then Send waits the
// injected latency, if any, on the clock, and returns an error matching
// ctx.Err() if ctx ends first (or was already done); then an injected failure
// (FailNext, FailWhen) is returned as is, and no Delivery is kept. Otherwise
// Send keeps a deep copy of the Envelope (it retains nothing of n or to's
// slices) and returns a Receipt with a fresh ID (see WithIDs).
func (s *Sender) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if err := push.CheckContext(ctx, "memory: send"); err != nil {
		return push.Receipt{}, err
	}
	if err := s.caps.CheckSend("memory: send", n.Platform, to.Kind()); err != nil {
		return push.Receipt{}, err
	}
	env, err := push.Render(n, to)
	if err != nil {
		return push.Receipt{}, err
	}
	if err := s.wait(ctx, "memory: send"); err != nil {
		return push.Receipt{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.deliverDue(now)
	if len(env.Devices) > 0 {
		return s.sendDevices(ctx, env, to, now)
	}
	if s.observe != nil {
		s.observe(env)
	}
	if err := s.injected(env, "memory: send"); err != nil {
		return push.Receipt{}, err
	}
	r := push.Receipt{ID: s.ids()}
	e := s.deliveries.next()
	s.deliveries.copyEnvelope(&e.envelope, env)
	e.target, e.id, e.time = to, r.ID, now
	s.delivered(e)
	return r, nil
}

// wait waits the injected latency on the clock, or checks ctx when there is
// none. Its error wraps ctx's.
func (s *Sender) wait(ctx context.Context, op string) error {
	d := time.Duration(s.latency.Load())
	if d <= 0 {
		if err := ctx.Err(); err != nil {
			return &push.Error{Op: op, Detail: "the context ended before the call", Err: err}
		}
		return nil
	}
	if err := s.clock.Sleep(ctx, d); err != nil {
		return &push.Error{Op: op, Detail: "the context ended during the injected latency of " + d.String(), Err: err}
	}
	return nil
}

// delivered completes the entry just kept, computing the devices it reached
// and, for a Template notification, what their templates expand to; then it
// wakes WaitFor. Called with s.mu held.
func (s *Sender) delivered(e *entry) {
	if len(s.devices) > 0 {
		e.reached, e.payloads = s.reach(e.envelope, e.target)
	}
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}
