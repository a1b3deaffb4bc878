package nhtest

import (
	"slices"
	"strings"

	"github.com/pushwire/push"
)

// reached is an installation or a registration a send reaches, as much of it as
// the answer and the record need.
type reached struct {
	id     string
	format string // the send format of its platform ("apple", ...), also for a template
	handle string
}

// matchDevices returns the installations a send reaches (see
// matchInstallations), then the registrations (see matchRegistrations).
func (s *Server) matchDevices(platform push.Platform, kind Kind, expr *push.Expr, handles []string) []reached {
	out := s.matchInstallations(platform, kind, expr, handles)
	return append(out, s.matchRegistrations(platform, kind, expr, handles)...)
}

// matchInstallations returns, sorted by ID, the installations a send reaches:
//
//   - a direct or batch send: those of the send's format whose push channel is one
//     of the handles;
//   - a template send: those with a template whose tags, together with the
//     installation's tags and implicit tags, match the expression (any template,
//     for a broadcast);
//   - any other send: those of the send's format whose tags and implicit tags
//     match the expression (all of them, for a broadcast).
//
// expr is nil for a broadcast.
func (s *Server) matchInstallations(platform push.Platform, kind Kind, expr *push.Expr, handles []string) []reached {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]reached, 0, len(s.state.installations))
	for _, st := range s.state.installations {
		if st.reachedBy(platform, kind, expr, handles) {
			out = append(out, reached{id: st.in.InstallationID, format: st.format, handle: st.in.PushChannel.Handle})
		}
	}
	slices.SortFunc(out, func(a, b reached) int { return strings.Compare(a.id, b.id) })
	return out
}

// reachedBy reports whether a send reaches the installation; see matchInstallations.
func (st *stored) reachedBy(platform push.Platform, kind Kind, expr *push.Expr, handles []string) bool {
	if kind == KindDirect || kind == KindBatch {
		return st.format == string(platform) && slices.Contains(handles, st.in.PushChannel.Handle)
	}
	if platform == push.Template {
		return st.reachedByTemplate(expr)
	}
	return st.format == string(platform) && (expr == nil || expr.Match(st.matchTags))
}

// reachedByTemplate reports whether one of the installation's templates matches.
func (st *stored) reachedByTemplate(expr *push.Expr) bool {
	for _, t := range st.in.Templates {
		has := func(tag string) bool { return slices.Contains(st.matchTags, tag) || slices.Contains(t.Tags, tag) }
		if expr == nil || expr.MatchFunc(has) {
			return true
		}
	}
	return false
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
