package nhtest

import (
	"slices"
	"strings"

	"github.com/pushwire/push"
)

// reached is an installation or a registration a send reaches, as much of it as
// the answer, the record and the payloads need.
type reached struct {
	id     string
	format string // the send format of its platform ("apple", ...), also for a template
	handle string
	// templates are, for a template send, the device's templates that match, by
	// name; nil for other sends. Shared with the stored form: never modified.
	templates []namedTemplate
}

// matchDevices returns the installations a send reaches (see
// matchInstallations), then the registrations (see matchRegistrations).
// The result has the length and capacity of what was reached: the record of a
// send holds it.
func (s *Server) matchDevices(platform push.Platform, kind Kind, expr *push.Expr, handles []string) []reached {
	ins := s.matchInstallations(platform, kind, expr, handles)
	regs := s.matchRegistrations(platform, kind, expr, handles)
	if len(ins)+len(regs) == 0 {
		return nil
	}
	return append(append(make([]reached, 0, len(ins)+len(regs)), ins...), regs...)
}

// matchInstallations returns, sorted by ID, the installations a send reaches:
//
//   - a direct or batch send: those of the send's format whose push channel is one
//     of the handles;
//   - a template send: those with a template whose tags, together with the
//     installation's tags and implicit tags, match the expression (any template,
//     for a broadcast), with those templates;
//   - any other send: those of the send's format whose tags and implicit tags
//     match the expression (all of them, for a broadcast).
//
// expr is nil for a broadcast.
func (s *Server) matchInstallations(platform push.Platform, kind Kind, expr *push.Expr, handles []string) []reached {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []reached
	for _, st := range s.state.installations {
		if r, ok := st.reachedBy(platform, kind, expr, handles); ok {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b reached) int { return strings.Compare(a.id, b.id) })
	return out
}

// reachedBy reports whether a send reaches the installation, and how; see
// matchInstallations.
func (st *stored) reachedBy(platform push.Platform, kind Kind, expr *push.Expr, handles []string) (reached, bool) {
	r := reached{id: st.in.InstallationID, format: st.format, handle: st.in.PushChannel.Handle}
	switch {
	case kind == KindDirect || kind == KindBatch:
		return r, st.format == string(platform) && slices.Contains(handles, st.in.PushChannel.Handle)
	case platform == push.Template:
		r.templates = st.matchingTemplates(expr)
		return r, len(r.templates) > 0
	}
	return r, st.format == string(platform) && (expr == nil || expr.Match(st.matchTags))
}

// matchingTemplates returns, by name, the installation's templates whose own
// tags, together with the installation's tags and implicit tags, match expr
// (every template, for a broadcast). It returns st.templates itself, not a
// copy, when every template matches.
func (st *stored) matchingTemplates(expr *push.Expr) []namedTemplate {
	var some []namedTemplate // nil while every template so far matched
	filtered := false
	for i, t := range st.templates {
		match := st.templateMatches(t, expr)
		switch {
		case match && filtered:
			some = append(some, t)
		case !match && !filtered:
			some, filtered = slices.Clone(st.templates[:i]), true
		}
	}
	if !filtered {
		return st.templates
	}
	return some
}

// templateMatches reports whether expr (nil for a broadcast) matches the
// template's tags together with the installation's.
func (st *stored) templateMatches(t namedTemplate, expr *push.Expr) bool {
	if expr == nil {
		return true
	}
	return expr.MatchFunc(func(tag string) bool { return slices.Contains(st.matchTags, tag) || slices.Contains(t.tags, tag) })
}

// reachedIDs returns the IDs of rs, in order.
func reachedIDs(rs []reached) []string {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.id
	}
	return ids
}
