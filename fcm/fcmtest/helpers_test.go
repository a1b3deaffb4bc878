package fcmtest

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newTestServer(t *testing.T, opts ...Option) *Server {
	s := NewServer(append([]Option{WithKey(testKey())}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

// assertion signs a JWT the way x/oauth2 does, written here by hand so that
// each claim can be got wrong on purpose.
// It panics when it cannot sign (t may be nil).
func assertion(_ *testing.T, key *rsa.PrivateKey, header, claims map[string]any) string {
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signed := enc(header) + "." + enc(claims)
	digest := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		panic(err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// keyFile decodes a service account key file.
func keyFile(t *testing.T, b []byte) map[string]string {
	var m map[string]string
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// goodClaims are the claims of a valid assertion for s's service account.
func goodClaims(s *Server, now time.Time) (map[string]any, map[string]any) {
	return map[string]any{"alg": "RS256", "typ": "JWT", "kid": s.account.keyID},
		map[string]any{"iss": s.account.email, "scope": "https://www.googleapis.com/auth/firebase.messaging",
			"aud": s.TokenURL(), "iat": now.Add(-10 * time.Second).Unix(), "exp": now.Add(time.Hour - 10*time.Second).Unix()}
}

// exchange posts an assertion to the token endpoint.
func exchange(t *testing.T, s *Server, grant, jwt string) (int, map[string]any) {
	form := url.Values{"grant_type": {grant}, "assertion": {jwt}}
	resp, err := s.Client().Post(s.TokenURL(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// accessToken gets an access token for s's service account.
func accessToken(t *testing.T, s *Server) string {
	h, c := goodClaims(s, time.Now())
	status, out := exchange(t, s, jwtBearerGrant, assertion(t, testKey(), h, c))
	require.Equal(t, http.StatusOK, status, out)
	return out["access_token"].(string)
}

// send posts body to s's send endpoint with token; it returns the status
// and the decoded answer.
func send(t *testing.T, s *Server, token, body string) (int, map[string]any) {
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/v1/projects/"+s.Project()+"/messages:send", bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// errorOf returns the error object of an answer.
func errorOf(out map[string]any) map[string]any {
	e, _ := out["error"].(map[string]any)
	return e
}

// fcmCode returns the FcmError code of an error answer, or "".
func fcmCode(out map[string]any) string {
	details, _ := errorOf(out)["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		if m["@type"] == "type.googleapis.com/google.firebase.fcm.v1.FcmError" {
			s, _ := m["errorCode"].(string)
			return s
		}
	}
	return ""
}
