package nhtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"time"
)

// Fault makes the emulator misbehave for requests of a route, so that a client's
// handling of throttling, failures, slowness and lost answers can be tested:
//
//	s.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: 503, Times: 3})           // fail the next 3 sends
//	s.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: 429, RetryAfter: 2 * time.Second}) // throttle every send
//	s.Fail(nhtest.Fault{Route: nhtest.RouteInstallations, Delay: time.Second, Times: 1})   // slow down one call
//	s.Fail(nhtest.Fault{Route: nhtest.RouteSend, Drop: true, Times: 1})               // lose one answer
//
// A fault applies to a matching request once it passed authentication (a
// request whose token is refused gets its 401, and leaves the fault for the
// next), before anything else is checked (api-version, body). In order: Delay waits, in real time; if the request's
// context or the Server is done first, the connection is closed unanswered; Drop lets the request
// take effect (a send is recorded, an installation written) and then closes the
// connection without an answer, the case where a client cannot know whether its
// request succeeded; Status answers with that status and an Error body, plus a
// Retry-After header when RetryAfter is set, and the request takes no effect. A
// fault with only a Delay then lets the request proceed normally.
type Fault struct {
	// Route selects the requests; RouteAny matches all.
	Route Route
	// Times is how many matching requests the fault applies to; 0 means every one,
	// until ClearFaults.
	Times int
	// Status is the status to answer with, e.g. 429, 500, 503; 0 for none.
	Status int
	// RetryAfter sets the Retry-After header, in whole seconds rounded up.
	RetryAfter time.Duration
	// Delay is how long to wait before handling the request.
	Delay time.Duration
	// Drop closes the connection after the request took effect, without answering.
	Drop bool
	// Detail is the Error body's detail; empty for a default that names the fault.
	Detail string
}

// Fail adds a fault. Faults are tried in the order they were added: a request
// gets the first one whose Route matches and that has applications left. Safe for
// concurrent use.
func (s *Server) Fail(f Fault) { s.faults.Add(f, f.Times) }

// ClearFaults removes every fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// takeFault returns the fault for a request of route rt and uses one of its
// applications.
func (s *Server) takeFault(rt Route) (Fault, bool) {
	return s.faults.Take(func(f Fault) bool { return f.Route == RouteAny || f.Route == rt })
}

// applyFault applies f to a request and reports whether it answered (or dropped)
// it, so that the caller stops there. next serves the request normally.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, x *exchange, f Fault, next http.HandlerFunc) bool {
	if f.Delay > 0 && !s.wait(r.Context(), f.Delay) {
		x.outcome = "ended during an injected delay"
		panic(http.ErrAbortHandler) // the client is gone or the Server is closing: no answer
	}
	switch {
	case f.Drop:
		next(httptest.NewRecorder(), r)
		x.outcome = "dropped by an injected fault"
		panic(http.ErrAbortHandler) // closes the connection without an answer; the server logs nothing
	case f.Status != 0:
		x.outcome = "injected fault"
		s.writeError(w, x, &apiError{status: f.Status, detail: faultDetail(f), retryAfter: f.RetryAfter})
		return true
	}
	return false
}

// wait waits for d in real time, or until ctx or the Server is done; it reports
// whether the whole wait passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

// faultDetail is the detail of an injected error.
func faultDetail(f Fault) string {
	if f.Detail != "" {
		return f.Detail
	}
	text := http.StatusText(f.Status)
	if text == "" {
		text = "Error"
	}
	return text + " (injected by nhtest)."
}
