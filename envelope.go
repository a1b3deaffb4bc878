package push

import (
	"net/http"
	"slices"
	"time"
)

// Headers of a Web Push subscription, which Notification Hubs takes on a
// browser direct send. A notification may not carry them: they come from the
// target.
const (
	headerP256DH = "P256dh"
	headerAuth   = "Auth"
)

// Envelope is what leaves a Sender, provider-neutral: the rendered notification and
// its addressing. Every provider turns the same Notification and Target into the
// same Envelope; the conformance suite compares them.
//
// An Envelope returned by Render shares Header, Body and Devices with the
// Notification and Target it came from: treat it as read-only, and Clone it to keep
// it beyond the call.
type Envelope struct {
	Platform    Platform
	ContentType string
	// Header holds the platform headers.
	Header http.Header
	Body   []byte
	// Tags is the tag expression as its author wrote it (see Expr.Text); "" for
	// a broadcast or a direct send.
	Tags string
	// Devices holds the handles of a direct (one) or batch (several) send.
	Devices []string
	// Subscriptions holds the Web Push subscriptions of a browser direct send,
	// one per handle of Devices, in the same order (Devices[i] is
	// Subscriptions[i].Endpoint); nil for other sends.
	Subscriptions []BrowserSubscription
	// ScheduleTime is when a scheduled send is due, in UTC and whole seconds; zero
	// means now.
	ScheduleTime time.Time
}

// Clone returns a deep copy of e.
func (e Envelope) Clone() Envelope {
	e.Header = e.Header.Clone()
	e.Body = slices.Clone(e.Body)
	e.Devices = slices.Clone(e.Devices)
	e.Subscriptions = slices.Clone(e.Subscriptions)
	return e
}

// IsDirect reports whether e goes to device handles rather than to tags.
func (e Envelope) IsDirect() bool { return len(e.Devices) > 0 }
