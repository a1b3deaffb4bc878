package memory

import (
	"slices"
	"time"

	"github.com/pushwire/push"
)

// Delivery is one notification the Sender accepted: what push.Render (or
// push.RenderAt) produced, as a deep copy, how the Sender answered, which
// registered devices it reached and, for a Template notification, what their
// templates expand to. A Delivery returned by any method is the caller's copy,
// Payloads included.
type Delivery struct {
	// Envelope is exactly the Envelope push.Render or push.RenderAt produced.
	Envelope push.Envelope
	// Target is the target the notification was sent to (immutable, shared).
	Target push.Target
	// Receipt is what Send or Schedule returned.
	Receipt push.Receipt
	// Time is the clock's now when Send accepted it, or the ScheduleTime of a
	// scheduled send.
	Time time.Time
	// Reached lists the handles of the registered devices (see Register) the
	// send reached, in registration order; nil when none, or when no device is
	// registered.
	Reached []string
	// Payloads holds, for a Template notification, what each reached device's
	// templates expand to with the notification's properties: one per template,
	// in Reached order, then by template name. nil for native notifications.
	// Like Reached, it is computed when the Delivery is made: at Send, or when
	// a scheduled send falls due.
	Payloads []Payload
}

// Reaches reports whether the delivery reached the registered device with the
// given handle.
func (d Delivery) Reaches(handle string) bool { return slices.Contains(d.Reached, handle) }

// clone returns a deep copy of d.
func (d Delivery) clone() Delivery {
	d.Envelope = d.Envelope.Clone()
	d.Reached = slices.Clone(d.Reached)
	d.Payloads = clonePayloads(d.Payloads)
	d.Receipt = d.Receipt.Clone()
	return d
}

// Deliveries returns copies of every Delivery kept so far, in order of
// delivery.
func (s *Sender) Deliveries() []Delivery {
	return s.Filter(func(Delivery) bool { return true })
}

// Take returns the Deliveries kept so far, in order, and forgets them: the
// next Take or Deliveries returns only what is delivered after. Pending
// scheduled sends stay pending.
func (s *Sender) Take() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	out := make([]Delivery, 0, s.deliveries.len())
	s.deliveries.each(s.deliveries.len(), func(e *entry) bool {
		out = append(out, e.delivery())
		return true
	})
	s.deliveries = deliveryLog{}
	return out
}

// Len returns the number of Deliveries kept.
func (s *Sender) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	return s.deliveries.len()
}

// Filter returns copies of the Deliveries for which keep returns true, in
// order. keep is called with the Sender's lock held and must not call the
// Sender.
func (s *Sender) Filter(keep func(Delivery) bool) []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	var out []Delivery
	s.deliveries.each(s.deliveries.len(), func(e *entry) bool {
		if d := e.delivery(); keep(d) {
			out = append(out, d.clone())
		}
		return true
	})
	return out
}

// ByPlatform returns copies of the Deliveries of platform p, in order.
func (s *Sender) ByPlatform(p push.Platform) []Delivery {
	return s.Filter(func(d Delivery) bool { return d.Envelope.Platform == p })
}

// ByTag returns copies of the Deliveries whose tag expression mentions tag, in
// order: tag is one of the expression's tags, whatever the operators around it
// (so "a && !b" mentions both a and b). Broadcasts and direct sends mention no
// tag. To ask which devices a send actually reached, Register devices and use
// ByDevice or Delivery.Reached.
func (s *Sender) ByTag(tag string) []Delivery {
	return s.Filter(func(d Delivery) bool { return slices.Contains(d.Target.Expr().Tags(), tag) })
}

// ByDevice returns copies of the Deliveries that went to the device handle, in
// order: direct sends naming it (push.Device, push.Devices,
// push.BrowserDevice), and sends that reached a registered device with that
// handle (see Delivery.Reached).
func (s *Sender) ByDevice(handle string) []Delivery {
	return s.Filter(func(d Delivery) bool {
		return slices.Contains(d.Envelope.Devices, handle) || slices.Contains(d.Reached, handle)
	})
}
