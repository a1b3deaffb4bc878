package apnstest

// Fault makes the Server misbehave for the next requests (to one device
// token, or to any), so that a client's handling of throttling, failures,
// lost answers and dead connections can be tested:
//
//	s.Fail(apnstest.Fault{Status: 429, Times: 2})                   // TooManyRequests, twice
//	s.Fail(apnstest.Fault{Status: 503, Reason: "Shutdown", Times: 1}) // a server going away
//	s.Fail(apnstest.Fault{GoAway: true, Times: 1})                  // GOAWAY after this request
//	s.Fail(apnstest.Fault{Drop: true, Times: 1})                    // read the request, then cut the connection
//	s.Fail(apnstest.Fault{Stall: true, Times: 1})                   // never answer
//	s.Fail(apnstest.Fault{Freeze: true, Times: 1})                  // the connection goes silent: pings unanswered
//
// A fault applies to a matching request before anything is checked, after
// its headers and body are read (and the Watch hook called). Status answers
// with that status and reason and nothing else happens. Drop, Stall and
// Freeze leave the request unanswered: Drop closes the connection at once;
// Stall waits until the client gives up or the Server closes, with the
// connection otherwise working; Freeze makes the connection stop reading
// and writing, as a peer that vanished, until the client closes it. GoAway
// lets the request be handled (or answered with Status) and then ends its
// connection gracefully: a GOAWAY frame, the streams already received
// answered, later ones refused, so that the client opens a new connection.
type Fault struct {
	// Token limits the fault to requests to this device token; "" matches
	// every request.
	Token string
	// Times is how many requests the fault applies to; 0 means every one,
	// until ClearFaults.
	Times int
	// Status is the status to answer with (429, 500, 503, ...); 0 for none.
	Status int
	// Reason is the reason of a Status: by default TooManyRequests for 429,
	// InternalServerError for 500, ServiceUnavailable for 503, Unregistered
	// for 410, PayloadTooLarge for 413, Forbidden for 403; none (an empty
	// body) for other statuses.
	Reason string
	// GoAway ends the connection after the request.
	GoAway bool
	// Drop closes the connection instead of answering.
	Drop bool
	// Stall never answers.
	Stall bool
	// Freeze makes the connection go silent and never answers.
	Freeze bool
}

// Fail adds a fault. Faults apply in the order they were added; a request
// takes the first that matches.
func (s *Server) Fail(f Fault) { s.faults.Add(f, f.Times) }

// ClearFaults removes every fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// takeFault returns the fault that applies to a request to token, if any,
// and counts it.
func (s *Server) takeFault(token string) (Fault, bool) {
	return s.faults.Take(func(f Fault) bool { return f.Token == "" || f.Token == token })
}

// defaultReason is the reason of a fault's status when it names none.
func defaultReason(status int) string {
	switch status {
	case 429:
		return reasonTooManyRequests
	case 500:
		return reasonInternalServerError
	case 503:
		return reasonServiceUnavailable
	case 410:
		return reasonUnregistered
	case 403:
		return reasonForbidden
	case 404:
		return reasonBadPath
	case 405:
		return reasonMethodNotAllowed
	case 413:
		return reasonPayloadTooLarge
	}
	return ""
}
