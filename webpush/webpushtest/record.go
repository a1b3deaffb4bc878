package webpushtest

import (
	"net/http"
	"slices"
	"time"

	"github.com/pushwire/push"
)

// Message is one push request the emulator received, accepted or refused,
// and what the browser read of it.
type Message struct {
	// Endpoint is the endpoint the request was posted to.
	Endpoint string
	// Subscription is the subscription of Endpoint; zero when the emulator
	// does not know the endpoint.
	Subscription push.BrowserSubscription
	// Time is when the emulator received the request, on its clock.
	Time time.Time
	// Status is the status the emulator answered with; 0 when an injected
	// fault dropped the connection instead.
	Status int
	// Refusal says why the emulator refused the request; "" when it accepted
	// it (Status 201 or 202).
	Refusal string
	// ID is the push message's ID, the last segment of the Location of an
	// accepted request; "" when refused.
	ID string
	// Header holds the request's headers, Authorization excepted (see VAPID).
	Header http.Header
	// TTL is the TTL the emulator applied: the request's, at most WithMaxTTL;
	// -1 when the request had none that parses, or was refused before its
	// TTL was read.
	TTL int64
	// VAPID is what the request's VAPID authorization said, once it parsed;
	// zero when it had none.
	VAPID VAPID
	// Body is the request's body as received: the encrypted message.
	Body []byte
	// Plaintext is what the browser's service worker reads: Body decrypted
	// with the subscription's private key and authentication secret. nil
	// when Body is empty (a push without payload), when the endpoint is
	// unknown, or when decryption failed.
	Plaintext []byte
	// DecryptErr says why Body could not be decrypted; nil when it was, or
	// when there was nothing to decrypt. A message that does not decrypt is
	// still accepted, as a push service (which cannot read it) would.
	DecryptErr error
	// Superseded reports that a later accepted message to the same
	// subscription with the same Topic replaced this one before delivery.
	Superseded bool
}

// Accepted reports whether the emulator accepted the message (201 or 202).
func (m Message) Accepted() bool {
	return m.Status == http.StatusCreated || m.Status == http.StatusAccepted
}

// Envelope returns the message read back as the push.Envelope a push.Sender
// renders for it: platform push.Browser with its JSON content type, the
// Web Push headers a notification carries (Ttl, Urgency, Topic) as received,
// the decrypted body, and the endpoint as the one device handle with its
// subscription. A message that did not decrypt keeps Body nil.
func (m Message) Envelope() push.Envelope {
	e := push.Envelope{Platform: push.Browser, ContentType: push.ContentTypeJSON, Body: slices.Clone(m.Plaintext), Devices: []string{m.Endpoint}}
	for _, k := range []string{"Ttl", "Urgency", "Topic"} {
		if v, ok := m.Header[k]; ok {
			if e.Header == nil {
				e.Header = http.Header{}
			}
			e.Header[k] = slices.Clone(v)
		}
	}
	if m.Subscription != (push.BrowserSubscription{}) {
		e.Subscriptions = []push.BrowserSubscription{m.Subscription}
	}
	return e
}

func (m Message) clone() Message {
	m.Header = m.Header.Clone()
	m.Body = slices.Clone(m.Body)
	m.Plaintext = slices.Clone(m.Plaintext)
	return m
}

// Messages returns a copy of every push request the emulator received, in
// order of arrival, refused ones included.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneMessages(s.state.messages)
}

// Delivered returns a copy of the messages the emulator accepted for the
// subscription of endpoint, in order: what its browser receives (superseded
// ones included; see Message.Superseded).
func (s *Server) Delivered(endpoint string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.state.messages {
		if m.Endpoint == endpoint && m.Accepted() {
			out = append(out, m.clone())
		}
	}
	return out
}

// Reset forgets the recorded messages. Subscriptions, faults and the hook
// stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.messages = nil
}

// OnRequest sets a function the emulator calls with the endpoint of each
// push request it receives, on the goroutine that serves it, before it
// answers; nil removes it. f must return quickly and may be called
// concurrently.
func (s *Server) OnRequest(f func(endpoint string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.hook = f
}

func cloneMessages(in []Message) []Message {
	out := make([]Message, len(in))
	for i, m := range in {
		out[i] = m.clone()
	}
	return out
}

// record appends a message; an accepted one with a Topic supersedes the
// earlier accepted messages of its subscription with the same Topic.
func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if topic := m.Header.Get("Topic"); topic != "" && m.Accepted() {
		for i := range s.state.messages {
			old := &s.state.messages[i]
			if old.Endpoint == m.Endpoint && old.Accepted() && old.Header.Get("Topic") == topic {
				old.Superseded = true
			}
		}
	}
	s.state.messages = append(s.state.messages, m)
}
