package fcmtest

import (
	"net/http"
	"time"
)

// Fault makes the emulator misbehave for send requests, so that a client's
// handling of quotas, failures and lost answers can be tested:
//
//	s.Fail(fcmtest.Fault{Status: 429, RetryAfter: 2 * time.Second, Times: 1}) // QUOTA_EXCEEDED once
//	s.Fail(fcmtest.Fault{Status: 503, Times: 3})                                // UNAVAILABLE three times
//	s.Fail(fcmtest.Fault{Status: 500})                                          // INTERNAL until ClearFaults
//	s.Fail(fcmtest.Fault{Drop: true, Times: 1})                                 // lose one answer
//
// A fault applies to a matching request after it was read and before it is
// checked (its access token included). Drop accepts the message (it is
// recorded as accepted) and closes the connection without an answer, the
// case where a client cannot know whether its request succeeded. Status
// answers with that status and FCM's error body, with Retry-After when
// RetryAfter is set, and nothing is delivered.
type Fault struct {
	// Token limits the fault to messages to this registration token ("":
	// every send).
	Token string
	// Times is how many matching requests the fault applies to; 0 means
	// every one, until ClearFaults.
	Times int
	// Status is the status to answer with: 429, 500, 503, ...
	Status int
	// Code is the FcmError code of the answer; "" for the one FCM gives with
	// Status: QUOTA_EXCEEDED for 429, INTERNAL for 500, UNAVAILABLE for 503,
	// none for 401 (an access token refused).
	Code string
	// RetryAfter sets the Retry-After header, in whole seconds rounded up.
	RetryAfter time.Duration
	// Drop closes the connection after the message was accepted, without
	// answering.
	Drop bool
}

// Fail adds a fault. Faults are tried in the order they were added: a
// request gets the first one that matches and has applications left.
func (s *Server) Fail(f Fault) { s.faults.Add(f, f.Times) }

// ClearFaults removes every fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// takeFault returns the fault for a request to token and uses one of its
// applications.
func (s *Server) takeFault(token string) (Fault, bool) {
	return s.faults.Take(func(f Fault) bool { return f.Token == "" || f.Token == token })
}

// faultError is the answer of an injected status.
func faultError(f Fault) *apiError {
	code := f.Code
	if code == "" {
		code = map[int]string{http.StatusTooManyRequests: "QUOTA_EXCEEDED", http.StatusInternalServerError: "INTERNAL",
			http.StatusServiceUnavailable: "UNAVAILABLE"}[f.Status]
	}
	e := &apiError{status: f.Status, fcmCode: code, retryAfter: f.RetryAfter}
	switch f.Status {
	case http.StatusTooManyRequests:
		e.message = "Quota exceeded for quota metric 'Messages' of service 'fcm.googleapis.com' (injected by fcmtest)."
	case http.StatusUnauthorized:
		e.message = msgInvalidCredentials
	default:
		e.message = http.StatusText(f.Status) + " (injected by fcmtest)."
	}
	return e
}
