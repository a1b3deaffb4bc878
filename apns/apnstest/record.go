package apnstest

import (
	"net/http"
	"slices"
	"time"
)

// Request is one request the Server received, accepted or refused, with
// Apple's answer.
type Request struct {
	// Conn numbers the connection it came on, from 1 in order of arrival.
	Conn int
	// Time is when it arrived, on the Server's clock.
	Time time.Time
	// Method and Path are the request's :method and :path.
	Method, Path string
	// Token is the device token of the path, "" when there is none.
	Token string
	// Header holds the request's headers, authorization included.
	Header http.Header
	// Body is the payload.
	Body []byte
	// TeamID and KeyID are those of its provider token once verified; with
	// certificate auth TeamID is "" and Certificate is true.
	TeamID, KeyID string
	Certificate   bool

	// Status is the status of the answer: 200 when accepted; 0 when the
	// Server never answered (a dropped connection, a stall, a freeze).
	Status int
	// Reason is Apple's reason of a refusal; "" when accepted.
	Reason string
	// Timestamp is the time of a 410's timestamp.
	Timestamp time.Time
	// ID is the apns-id of the answer, UniqueID its apns-unique-id
	// (sandbox).
	ID, UniqueID string
}

// Accepted reports whether the Server accepted the notification.
func (r Request) Accepted() bool { return r.Status == http.StatusOK }

func (r Request) clone() Request {
	r.Header = r.Header.Clone()
	r.Body = slices.Clone(r.Body)
	return r
}

// Requests returns every request received so far, in order of arrival,
// refused and unanswered ones included.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.clone()
	}
	return out
}

// Accepted returns the notifications the Server accepted, in order of
// arrival.
func (s *Server) Accepted() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Accepted() {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets the recorded requests. Keys, devices and faults stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Watch makes the Server call f with each request it receives from now on,
// once its headers and body are read and before it answers, on the
// goroutine that serves it. f must return quickly and may be called
// concurrently; nil stops watching.
func (s *Server) Watch(f func(Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watch = f
}

// record appends r.
func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}
