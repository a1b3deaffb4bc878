package nhtest

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/pushwire/push"
)

// Send is one send request the emulator accepted.
type Send struct {
	// Kind is the kind of send.
	Kind Kind
	// ID is the notification ID: the last path segment of the Location header
	// (recorded even on tiers that return no Location). For a scheduled send it is
	// the ID that cancels it.
	ID string
	// TrackingID is the TrackingId of the answer (the client's, when it sent one).
	TrackingID string
	// Envelope is the request read back with ReadEnvelope.
	Envelope push.Envelope
	// Time is when the emulator received it, on its clock.
	Time time.Time
	// Matched holds the IDs of the installations and registrations the send
	// reaches, installations first, each sorted: by platform and tag expression,
	// or for a direct or batch send by handle. For a scheduled send, as of the
	// request.
	Matched []string
	// Payloads holds, for a template send, what each device it reaches receives:
	// one entry per matching template, in Matched order, then by template name.
	// nil for other sends, and for a template send that reaches no device.
	//
	// An installation's template matches when its own tags, together with the
	// installation's tags and implicit tags, match the send's expression (every
	// template does, for a broadcast); a template registration has one template.
	// The properties are the send's body, a JSON object of strings. Templates are
	// compiled when the installation or registration is written (see
	// push.CompiledTemplate for the expression language); their headers are not
	// expanded. A test send has them too, and a scheduled send has them as of the
	// request.
	Payloads []Payload

	// devices is what Matched names, for the test send's outcome and the
	// notification's details.
	devices []reached
}

// clone returns a deep copy of s.
func (s Send) clone() Send {
	s.Envelope = s.Envelope.Clone()
	s.Matched = slices.Clone(s.Matched)
	s.Payloads = clonePayloads(s.Payloads)
	s.devices = slices.Clone(s.devices)
	return s
}

// state is what the emulator remembers; Server.mu guards it.
type state struct {
	installations map[string]*stored
	registrations map[string]*storedRegistration
	issued        map[string]bool // registration IDs handed out by POST /registrationIDs
	regSeq        int64           // the creation sequence of registrations, for listing in order
	sends         []Send
	scheduled     []Send                // pending scheduled sends, in order of arrival
	warnings      []string              // what the service would do silently, and loses data
	dead          map[string]bool       // handles the push services answer are dead (Unregister)
	jobs          []*Job                // in order of submission
	feedback      map[string][]Feedback // PnsFeedback records by blob name
	feedbackKey   []byte                // signs feedback container URLs; made on first use
}

func newState() state {
	return state{installations: make(map[string]*stored), registrations: make(map[string]*storedRegistration),
		issued: make(map[string]bool), feedback: make(map[string][]Feedback)}
}

// stored is an installation as the emulator keeps it: never modified once stored,
// with what matching needs computed once.
type stored struct {
	in        Installation
	format    string          // the send format that reaches it
	matchTags []string        // in.MatchTags()
	templates []namedTemplate // in.Templates compiled, by name
}

// Sends returns a copy of every send the emulator accepted, in order of arrival:
// sends, test sends, direct and batch sends, and scheduled sends (recorded when
// they are scheduled, and kept when cancelled). Refused requests are not
// recorded. With WithSendLimit, only the last sends are kept.
func (s *Server) Sends() []Send {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneSends(s.state.sends)
}

// Scheduled returns a copy of the scheduled sends that are pending: accepted and
// not cancelled. The emulator never delivers them; they stay pending until
// cancelled or Reset.
func (s *Server) Scheduled() []Send {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneSends(s.state.scheduled)
}

// Reset forgets the recorded sends and the pending scheduled sends (and so
// their notification details), and the warnings. Installations,
// registrations, jobs, feedback, rules and faults stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.sends, s.state.scheduled, s.state.warnings = nil, nil, nil
}

// maxWarnings bounds the warnings a Server keeps; later ones are dropped.
const maxWarnings = 1000

// Warnings returns a copy of what the emulator did, as the service would,
// that probably lost data a client meant to write: a registration element
// written out of the order of the data contract, or twice, which the
// service's reader skips without a word (the registration is stored without
// it). Each says which request and which element; a test that expects none
// can check that the list is empty. At most the first 1000 are kept.
func (s *Server) Warnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.state.warnings)
}

// warn records a warning about request r, and logs it at level Warn.
func (s *Server) warn(r *http.Request, msg string) {
	msg = r.Method + " " + r.URL.Path + ": " + msg
	s.mu.Lock()
	if len(s.state.warnings) < maxWarnings {
		s.state.warnings = append(s.state.warnings, msg)
	}
	s.mu.Unlock()
	if s.logger != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelWarn, "nhtest warning", slog.String("warning", msg))
	}
}

func cloneSends(in []Send) []Send {
	out := make([]Send, len(in))
	for i, s := range in {
		out[i] = s.clone()
	}
	return out
}

// record appends an accepted send; a scheduled one also becomes pending.
// With a send limit, the oldest sends beyond it are forgotten, and so are
// the oldest pending scheduled sends.
func (s *Server) record(send Send) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.sends = keepLast(append(s.state.sends, send), s.sendLimit)
	if send.Kind == KindScheduled {
		s.state.scheduled = keepLast(append(s.state.scheduled, send), s.sendLimit)
	}
}

// keepLast returns the last limit sends of sends (all of them when limit is
// 0). It copies them to a slice of their own once the forgotten ones are as
// many as the kept ones, so that forgetting costs O(1) a send, amortized, and
// nothing forgotten stays reachable for long.
func keepLast(sends []Send, limit int) []Send {
	if limit <= 0 || len(sends) <= limit {
		return sends
	}
	if len(sends) < 2*limit {
		clear(sends[:len(sends)-limit]) // forgotten now, for the collector
		return sends[len(sends)-limit:]
	}
	return append(make([]Send, 0, limit), sends[len(sends)-limit:]...)
}

// cancelScheduled removes a pending scheduled send; false if there is none.
func (s *Server) cancelScheduled(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, send := range s.state.scheduled {
		if send.ID == id {
			s.state.scheduled = slices.Delete(s.state.scheduled, i, i+1)
			return true
		}
	}
	return false
}
