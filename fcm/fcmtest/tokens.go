package fcmtest

import (
	"crypto/rand"
	"encoding/base64"
)

// TokenState is what the emulator answers for a registration token.
type TokenState uint8

// The states of a registration token.
const (
	// TokenValid tokens are accepted (every well-formed token, unless
	// WithStrictTokens).
	TokenValid TokenState = iota
	// TokenUnregistered tokens get 404 NOT_FOUND "Requested entity was not
	// found." with FcmError UNREGISTERED: the app was uninstalled, or the
	// token expired.
	TokenUnregistered
	// TokenOtherSender tokens get 403 PERMISSION_DENIED with FcmError
	// SENDER_ID_MISMATCH: they belong to another Firebase project.
	TokenOtherSender
	// TokenNoThirdPartyAuth tokens get 401 UNAUTHENTICATED with FcmError
	// THIRD_PARTY_AUTH_ERROR: an iOS or web token of a project whose APNs or
	// Web Push credentials are missing or invalid.
	TokenNoThirdPartyAuth
)

// maxTokenLength is the longest registration token the emulator takes.
const maxTokenLength = 4096

// NewToken returns a fresh registration token of the shape FCM issues
// (INSTANCE:APA91b...), which the emulator accepts, WithStrictTokens too.
func (s *Server) NewToken() string {
	b := make([]byte, 105)
	if _, err := rand.Read(b); err != nil {
		panic("fcmtest: the random source failed: " + err.Error())
	}
	enc := base64.RawURLEncoding.EncodeToString(b)
	tok := enc[:22] + ":APA91b" + enc[22:]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.known[tok] = true
	return tok
}

// SetToken sets what the emulator answers for token from now on.
func (s *Server) SetToken(token string, st TokenState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st == TokenValid {
		delete(s.state.tokens, token)
		return
	}
	s.state.tokens[token] = st
}

// Unregister makes token unregistered: SetToken(token, TokenUnregistered).
func (s *Server) Unregister(token string) { s.SetToken(token, TokenUnregistered) }

// tokenState returns the state of token, and whether it is well formed.
func (s *Server) tokenState(token string) (TokenState, bool) {
	if !wellFormedToken(token) {
		return TokenValid, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.strict && !s.state.known[token] {
		return TokenValid, false
	}
	return s.state.tokens[token], true
}

// wellFormedToken reports whether token is of FCM's alphabet: letters,
// digits, '-', '_' and ':', at most 4096 bytes.
func wellFormedToken(token string) bool {
	if token == "" || len(token) > maxTokenLength {
		return false
	}
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !(isWordByte(c) || c == '-' || c == ':') {
			return false
		}
	}
	return true
}
