package webpushtest

import "time"

// Fault makes the emulator misbehave, so that a client's handling of
// throttling, failures and lost answers can be tested:
//
//	s.Fail(webpushtest.Fault{Status: 429, RetryAfter: 2 * time.Second, Times: 1}) // throttle the next message
//	s.Fail(webpushtest.Fault{Status: 503, Times: 3})                              // fail the next 3
//	s.Fail(webpushtest.Fault{Drop: true, Times: 1, Endpoint: sub.Endpoint})      // lose one answer
//
// A fault applies to a matching push request before anything else is
// checked. Status answers with that status (and a Retry-After header when
// RetryAfter is set) and the message is not delivered; Drop reads the whole
// request and then breaks the connection (resets the HTTP/2 stream) without
// an answer, the case where a client cannot know whether its message was
// taken. Either way the request is recorded, with its Refusal saying so.
type Fault struct {
	// Endpoint selects the requests to one subscription; "" matches all.
	Endpoint string
	// Times is how many matching requests the fault applies to; 0 means
	// every one, until ClearFaults.
	Times int
	// Status is the status to answer with: 429, 500, 503, ...
	Status int
	// RetryAfter sets the Retry-After header, in whole seconds rounded up.
	RetryAfter time.Duration
	// Drop breaks the connection without answering.
	Drop bool
}

// Fail adds a fault. Faults are tried in the order they were added: a
// request gets the first one that matches it and has applications left.
func (s *Server) Fail(f Fault) { s.faults.Add(f, f.Times) }

// ClearFaults removes every fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// takeFault returns the fault for a request to endpoint, using one of its
// applications.
func (s *Server) takeFault(endpoint string) (Fault, bool) {
	return s.faults.Take(func(f Fault) bool { return f.Endpoint == "" || f.Endpoint == endpoint })
}
