package apnstest

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// device is what the Server knows of a device token.
type device struct {
	topic        string    // the bundle ID it was registered for; "" for any
	bad          bool      // BadDeviceToken
	unregistered time.Time // non-zero: 410 Unregistered since then
	expired      bool      // 410 ExpiredToken
}

// NewDevice returns a new device token (32 random bytes, in hex) registered
// for topic (a bundle ID; "" for any of the team's).
func (s *Server) NewDevice(topic string) string {
	var b [32]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	s.setDevice(token, func(d *device) { d.topic = topic })
	return token
}

// RegisterDevice registers token for topic (a bundle ID): a push to it on
// another topic is refused with DeviceTokenNotForTopic. Tokens the Server
// was never told of are accepted on any topic of the team.
func (s *Server) RegisterDevice(token, topic string) {
	s.setDevice(token, func(d *device) { d.topic = topic })
}

// Unregister makes the Server answer 410 Unregistered for token from now on,
// with at as the timestamp (in milliseconds, as Apple sends it): the time
// APNs last knew the token valid.
func (s *Server) Unregister(token string, at time.Time) {
	if at.IsZero() {
		at = s.clock.Now()
	}
	s.setDevice(token, func(d *device) { d.unregistered = at })
}

// Expire makes the Server answer 410 ExpiredToken for token from now on.
func (s *Server) Expire(token string) {
	s.setDevice(token, func(d *device) { d.expired = true })
}

// MarkBad makes the Server answer 400 BadDeviceToken for token from now on,
// as APNs does for a token of the other environment.
func (s *Server) MarkBad(token string) {
	s.setDevice(token, func(d *device) { d.bad = true })
}

func (s *Server) setDevice(token string, f func(*device)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.devices[token]
	f(&d)
	s.devices[token] = d
}

func (s *Server) device(token string) device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.devices[token]
}

// ExpireTokens makes the Server answer 403 ExpiredProviderToken, from now
// on, to every provider token it has accepted so far, as APNs does to a
// token whose iat is an hour old: the client must sign a new one. A
// connection whose token was refused as expired may take a new one at
// once, without the 20-minute wait.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.seen {
		s.expired[t] = true
	}
}

// burst counts a device token's pushes in the current window.
type burst struct {
	start time.Time
	n     int
}

// overBurst counts a push to token and reports whether it is over the
// burst limit.
func (s *Server) overBurst(token string, now time.Time) bool {
	if s.burst == 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bursts[token]
	if b.start.IsZero() || now.Sub(b.start) >= s.window {
		b = burst{start: now}
	}
	b.n++
	s.bursts[token] = b
	return b.n > s.burst
}
