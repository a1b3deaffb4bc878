package nhtest

import (
	"slices"

	"github.com/pushwire/push"
)

// Unregister makes the push services answer, from now on, that handle will
// never work again, as they do for an app that was uninstalled: the service
// still accepts every send (a send's answer never says how a delivery went),
// then records what the push service said. Each later send that reaches an
// installation or a registration with this handle, or addresses it directly,
// adds a Feedback record to the feedback container (NotificationSystemError
// "ExpiredChannel" for WNS and MPNS, "InvalidToken" otherwise), and the
// installation reads back with pushChannelExpired set. This is what a
// client's pruning of dead devices (feedback, installations) is tested
// against. Safe for concurrent use.
func (s *Server) Unregister(handle string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.dead == nil {
		s.state.dead = make(map[string]bool)
	}
	s.state.dead[handle] = true
}

// reportDead records the feedback of a send with ID id whose deliveries
// reached devices, and that addressed handles directly: one record per dead
// handle.
func (s *Server) reportDead(id, format string, devices []reached, handles []string) {
	s.mu.Lock()
	if len(s.state.dead) == 0 {
		s.mu.Unlock()
		return
	}
	var records []Feedback
	reported := make(map[string]bool)
	for _, d := range devices {
		if !s.state.dead[d.handle] {
			continue
		}
		fb := Feedback{Error: deadHandleError(d.format), Platform: push.Platform(d.format), Handle: d.handle, NotificationID: id}
		if st, ok := s.state.installations[d.id]; ok && st.in.PushChannel.Handle == d.handle {
			fb.InstallationID = d.id
			s.expireLocked(st)
		} else {
			fb.RegistrationID = d.id
		}
		records = append(records, fb)
		reported[d.handle] = true
	}
	for _, h := range handles {
		if s.state.dead[h] && !reported[h] {
			records = append(records, Feedback{Error: deadHandleError(format), Platform: push.Platform(format), Handle: h, NotificationID: id})
			reported[h] = true
		}
	}
	s.mu.Unlock()
	s.AddFeedback(records...)
}

// expireLocked stores a copy of st whose push channel expired; s.mu is held.
func (s *Server) expireLocked(st *stored) {
	c := *st
	c.in = st.in.Clone()
	c.in.PushChannelExpired = true
	c.templates = slices.Clone(st.templates)
	c.matchTags = slices.Clone(st.matchTags)
	s.state.installations[st.in.InstallationID] = &c
}

// deadHandleError is the NotificationSystemError of a dead handle of a send
// format.
func deadHandleError(format string) string {
	switch format {
	case "windows", "windowsphone":
		return "ExpiredChannel"
	}
	return "InvalidToken"
}
