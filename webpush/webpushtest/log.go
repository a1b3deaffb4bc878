package webpushtest

import (
	"encoding/base64"
)

// log logs a message at level Info, when the Server has a logger: the
// endpoint, the status, why it was refused, and what the browser read. It
// never logs the Authorization header.
func (s *Server) log(m Message) {
	if s.cfg.logger == nil {
		return
	}
	attrs := []any{"endpoint", m.Endpoint, "status", m.Status}
	if m.Refusal != "" {
		attrs = append(attrs, "refusal", m.Refusal)
	}
	switch {
	case m.DecryptErr != nil:
		attrs = append(attrs, "undecryptable", m.DecryptErr.Error())
	case m.Plaintext != nil:
		attrs = append(attrs, "plaintext", clip(string(m.Plaintext), 200))
	}
	s.cfg.logger.Info("webpushtest: push", attrs...)
}

// clip cuts s to at most n bytes, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// b64url encodes b in URL-safe base64 without padding.
func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
