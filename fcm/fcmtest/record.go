package fcmtest

import (
	"encoding/json"
	"maps"
	"slices"
	"time"
)

// Request is one send request the emulator received, accepted or refused.
type Request struct {
	// Time is when it arrived, on the Server's clock.
	Time time.Time
	// Path is the request's URL path: /v1/projects/ID/messages:send.
	Path string
	// ContentType is its Content-Type header.
	ContentType string
	// Body is the body as received.
	Body []byte
	// ValidateOnly reports a dry run: checked, not delivered.
	ValidateOnly bool
	// Target is the message's target, as far as the body could be read.
	Target Target
	// Message is the message object decoded (its target fields included),
	// nil when the body did not hold one.
	Message map[string]any
	// Status is the status of the answer: 200 when accepted.
	Status int
	// Code is the FCM error code of a refused request (the FcmError detail's,
	// else the status, such as UNAUTHENTICATED); "" when accepted.
	Code string
	// Error is the message of a refused request's answer.
	Error string
	// Name is the message name of an accepted request.
	Name string
	// Dropped reports that the connection was closed without an answer
	// (Fault.Drop): the client cannot know that the message was accepted.
	Dropped bool
}

// Accepted reports whether the emulator accepted the message (or, for a dry
// run, found it valid).
func (r Request) Accepted() bool { return r.Status == 200 }

// Target is the target of a message: exactly one field is set in a valid
// one.
type Target struct {
	Token     string
	Topic     string
	Condition string
	FID       string
}

// clone returns a deep copy of r.
func (r Request) clone() Request {
	r.Body = slices.Clone(r.Body)
	r.Message = cloneJSON(r.Message)
	return r
}

// cloneJSON deep-copies a decoded JSON object.
func cloneJSON(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return maps.Clone(m)
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return maps.Clone(m)
	}
	return out
}

// state is what the emulator remembers; Server.mu guards it.
type state struct {
	accounts map[string]*account     // by client_email
	access   map[string]*accessGrant // issued access tokens
	issued   int                     // access tokens issued, ever
	tokens   map[string]TokenState   // registration tokens with a state
	known    map[string]bool         // registration tokens NewToken issued
	seq      int64                   // message names
	requests []Request
	watchers []func(Request)
}

func newState() state {
	return state{accounts: map[string]*account{}, access: map[string]*accessGrant{}, tokens: map[string]TokenState{}, known: map[string]bool{}}
}

// Requests returns a copy of every send request received, accepted and
// refused, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.state.requests))
	for i, r := range s.state.requests {
		out[i] = r.clone()
	}
	return out
}

// Messages returns a copy of the requests the emulator accepted and
// delivered: not refused, not dry runs.
func (s *Server) Messages() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Accepted() && !r.ValidateOnly {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets the recorded requests. Service accounts, access tokens,
// registration tokens and faults stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.requests = nil
}

// Watch makes the emulator call f with each send request it receives from
// now on, as it will be recorded, on the goroutine that serves it, before it
// answers: a test can cancel a client's context part way through a large
// send. f must return quickly and be safe for concurrent use.
func (s *Server) Watch(f func(Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.watchers = append(s.state.watchers, f)
}

// record keeps r and tells the watchers.
func (s *Server) record(r Request) {
	s.mu.Lock()
	s.state.requests = append(s.state.requests, r)
	watchers := slices.Clip(s.state.watchers)
	s.mu.Unlock()
	for _, f := range watchers {
		f(r.clone())
	}
}
