package fcmtest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
)

// The scopes an access token for FCM may carry.
const (
	scopeMessaging = "https://www.googleapis.com/auth/firebase.messaging"
	scopeCloud     = "https://www.googleapis.com/auth/cloud-platform"
)

const (
	jwtBearerGrant   = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	maxAssertionLife = time.Hour
	// clockSkew is how far before its iat an assertion is accepted.
	clockSkew = 5 * time.Minute
	maxForm   = 64 << 10
)

// accessGrant is an access token the emulator issued.
type accessGrant struct {
	account *account
	scopes  []string
	expiry  time.Time
}

// oauthError is an error answer of the token endpoint (RFC 6749 §5.2).
type oauthError struct {
	code        string
	description string
}

func (e *oauthError) Error() string { return e.code + ": " + e.description }

var (
	errBadSignature = &oauthError{"invalid_grant", "Invalid JWT Signature."}
	errAudience     = &oauthError{"invalid_grant", "Invalid JWT: Failed audience check."}
	errLifetime     = &oauthError{"invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}
	errNoAccount    = &oauthError{"invalid_grant", "Invalid grant: account not found"}
	errMalformed    = &oauthError{"invalid_grant", "Invalid JWT: the assertion is not a signed JWT (header.claims.signature, base64url)."}
	errNoScope      = &oauthError{"invalid_scope", "Empty or missing scope not allowed."}
	errScope        = &oauthError{"invalid_scope", "Invalid OAuth scope or ID token audience provided."}
)

// serveToken is the token endpoint: POST /token with
// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, http.StatusMethodNotAllowed, &oauthError{"invalid_request", "The token endpoint takes POST."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, &oauthError{"invalid_request", "The request body is not a form."})
		return
	}
	if g := r.PostForm.Get("grant_type"); g != jwtBearerGrant {
		writeOAuthError(w, http.StatusBadRequest, &oauthError{"unsupported_grant_type", "Invalid grant_type: " + clip(g, 80)})
		return
	}
	grant, err := s.checkAssertion(r.PostForm.Get("assertion"))
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, err)
		return
	}
	token := "ya29.fcmtest_" + base64.RawURLEncoding.EncodeToString(randomBytes(48))
	s.mu.Lock()
	s.state.access[token] = grant
	s.state.issued++
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token, "expires_in": int64(s.tokenLifetime / time.Second), "token_type": "Bearer",
	})
}

// jwtHeader and jwtClaims are the parts of an assertion the emulator reads.
type jwtHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid"`
}

type jwtClaims struct {
	Iss   string `json:"iss"`
	Scope string `json:"scope"`
	Aud   string `json:"aud"`
	Iat   int64  `json:"iat"`
	Exp   int64  `json:"exp"`
	Sub   string `json:"sub"`
}

// checkAssertion verifies a JWT assertion as Google does, and returns the
// grant it earns: an RS256 signature by the key of a known service account,
// the token URL as audience, a life of at most an hour that includes now,
// and known scopes.
func (s *Server) checkAssertion(assertion string) (*accessGrant, *oauthError) {
	h, c, signed, sig, err := parseJWT(assertion)
	if err != nil {
		return nil, errMalformed
	}
	s.mu.Lock()
	a := s.state.accounts[c.Iss]
	s.mu.Unlock()
	switch {
	case a == nil:
		return nil, errNoAccount
	case h.Alg != "RS256" || (h.Kid != "" && h.Kid != a.keyID):
		return nil, errBadSignature
	}
	digest := sha256.Sum256([]byte(signed))
	if rsa.VerifyPKCS1v15(&a.key.PublicKey, crypto.SHA256, digest[:], sig) != nil {
		return nil, errBadSignature
	}
	if c.Aud != s.TokenURL() {
		return nil, errAudience
	}
	iat, exp, now := time.Unix(c.Iat, 0), time.Unix(c.Exp, 0), s.clock.Now()
	if c.Iat == 0 || c.Exp <= c.Iat || exp.Sub(iat) > maxAssertionLife || now.Before(iat.Add(-clockSkew)) || now.After(exp) {
		return nil, errLifetime
	}
	scopes := strings.Fields(c.Scope)
	if len(scopes) == 0 {
		return nil, errNoScope
	}
	for _, sc := range scopes {
		if !strings.HasPrefix(sc, "https://www.googleapis.com/auth/") {
			return nil, errScope
		}
	}
	return &accessGrant{account: a, scopes: scopes, expiry: now.Add(s.tokenLifetime)}, nil
}

// parseJWT splits a compact JWS and decodes its header and claims; signed
// is the part the signature covers.
func parseJWT(s string) (h jwtHeader, c jwtClaims, signed string, sig []byte, err error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return h, c, "", nil, errors.New("not three parts")
	}
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	cb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err := errors.Join(err1, err2, err3); err != nil {
		return h, c, "", nil, err
	}
	if err := errors.Join(json.Unmarshal(hb, &h), json.Unmarshal(cb, &c)); err != nil {
		return h, c, "", nil, err
	}
	return h, c, parts[0] + "." + parts[1], sig, nil
}

// writeOAuthError answers {"error":...,"error_description":...}.
func writeOAuthError(w http.ResponseWriter, status int, e *oauthError) {
	writeJSON(w, status, map[string]string{"error": e.code, "error_description": e.description})
}

// checkBearer checks a send's Authorization header: an unexpired access
// token the emulator issued, with a scope for FCM, of a service account of
// the project sent to.
func (s *Server) checkBearer(r *http.Request, project string) *apiError {
	auth := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if auth == "" {
		return &apiError{status: http.StatusUnauthorized, message: msgMissingCredentials}
	}
	s.mu.Lock()
	var g accessGrant
	gp, known := s.state.access[token]
	if known {
		g = *gp
	}
	s.mu.Unlock()
	if !ok || !strings.EqualFold(scheme, "Bearer") || !known || !s.clock.Now().Before(g.expiry) {
		return &apiError{status: http.StatusUnauthorized, message: msgInvalidCredentials}
	}
	if !hasScope(g.scopes) {
		return &apiError{status: http.StatusForbidden, message: "Request had insufficient authentication scopes."}
	}
	if g.account.project != project {
		return &apiError{status: http.StatusForbidden, message: "Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/" +
			clip(project, 100) + "' (or it may not exist)."}
	}
	return nil
}

func hasScope(scopes []string) bool {
	for _, sc := range scopes {
		if sc == scopeMessaging || sc == scopeCloud {
			return true
		}
	}
	return false
}

// AccessTokensIssued returns how many access tokens the token endpoint has
// issued.
func (s *Server) AccessTokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.issued
}

// ExpireAccessTokens makes every access token issued so far expired: the
// next send with one gets 401 UNAUTHENTICATED, as after an hour at FCM.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	for _, g := range s.state.access {
		g.expiry = now
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("fcmtest: the random source failed: " + err.Error())
	}
	return b
}

// clip cuts s to n bytes for a message.
func clip(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "") + "..."
	}
	return strings.ToValidUTF8(s, "?")
}
