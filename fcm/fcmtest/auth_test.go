package fcmtest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push/pushtest"
)

func TestTokenEndpointIssuesAnAccessToken(t *testing.T) {
	s := newTestServer(t)
	h, c := goodClaims(s, time.Now())
	status, out := exchange(t, s, jwtBearerGrant, assertion(t, testKey(), h, c))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "Bearer", out["token_type"])
	assert.EqualValues(t, 3599, out["expires_in"])
	assert.Regexp(t, `^ya29\.`, out["access_token"])
	assert.Equal(t, 1, s.AccessTokensIssued())
}

func TestTokenEndpointRefusesBadAssertions(t *testing.T) {
	s := newTestServer(t)
	other := newTestServer(t, WithProject("other"))
	now := time.Now()
	tests := []struct {
		name   string
		grant  string
		mutate func(h, c map[string]any)
		jwt    string
		code   string
		desc   string
	}{
		{"grant type", "client_credentials", nil, "", "unsupported_grant_type", "Invalid grant_type"},
		{"not a JWT", jwtBearerGrant, nil, "abc", "invalid_grant", "not a signed JWT"},
		{"unknown account", jwtBearerGrant, func(h, c map[string]any) { c["iss"] = "nobody@x.iam.gserviceaccount.com" }, "", "invalid_grant", "account not found"},
		{"wrong key id", jwtBearerGrant, func(h, c map[string]any) { h["kid"] = "0000" }, "", "invalid_grant", "Invalid JWT Signature."},
		{"HS256", jwtBearerGrant, func(h, c map[string]any) { h["alg"] = "HS256" }, "", "invalid_grant", "Invalid JWT Signature."},
		{"audience", jwtBearerGrant, func(h, c map[string]any) { c["aud"] = "https://oauth2.googleapis.com/token" }, "", "invalid_grant", "Failed audience check."},
		{"too long-lived", jwtBearerGrant, func(h, c map[string]any) { c["exp"] = now.Add(2 * time.Hour).Unix() }, "", "invalid_grant", "short-lived"},
		{"expired", jwtBearerGrant, func(h, c map[string]any) {
			c["iat"], c["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-time.Hour-time.Minute).Unix()
		}, "", "invalid_grant", "short-lived"},
		{"from the future", jwtBearerGrant, func(h, c map[string]any) {
			c["iat"], c["exp"] = now.Add(time.Hour).Unix(), now.Add(90*time.Minute).Unix()
		}, "", "invalid_grant", "short-lived"},
		{"no scope", jwtBearerGrant, func(h, c map[string]any) { c["scope"] = "" }, "", "invalid_scope", "Empty or missing scope"},
		{"unknown scope", jwtBearerGrant, func(h, c map[string]any) { c["scope"] = "email" }, "", "invalid_scope", "Invalid OAuth scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jwt := tt.jwt
			if jwt == "" {
				h, c := goodClaims(s, now)
				if tt.mutate != nil {
					tt.mutate(h, c)
				}
				jwt = assertion(t, testKey(), h, c)
			}
			status, out := exchange(t, s, tt.grant, jwt)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, tt.code, out["error"])
			assert.Contains(t, out["error_description"], tt.desc)
		})
	}
	t.Run("signed by another key", func(t *testing.T) {
		h, c := goodClaims(s, now)
		fresh := other.addAccount("other", nil) // a key s does not know
		status, out := exchange(t, s, jwtBearerGrant, assertion(t, fresh.key, h, c))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "Invalid JWT Signature.", out["error_description"])
	})
	assert.Zero(t, s.AccessTokensIssued())
}

func TestSendChecksTheBearer(t *testing.T) {
	clock := pushtest.NewClock(time.Now())
	s := newTestServer(t, WithClock(clock))
	body := `{"message":{"topic":"news","data":{"a":"b"}}}`
	status, out := send(t, s, "", body)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "UNAUTHENTICATED", errorOf(out)["status"])
	assert.Contains(t, errorOf(out)["message"], "missing required authentication credential")

	status, _ = send(t, s, "ya29.made-up", body)
	assert.Equal(t, http.StatusUnauthorized, status)

	tok := accessToken(t, s)
	status, out = send(t, s, tok, body)
	require.Equal(t, http.StatusOK, status, out)

	clock.Advance(DefaultTokenLifetime)
	status, out = send(t, s, tok, body)
	assert.Equal(t, http.StatusUnauthorized, status, "expired on the Server's clock")
	assert.Empty(t, fcmCode(out), "a bad bearer has no FcmError detail")
}

func TestSendRefusesAnotherProjectsAccount(t *testing.T) {
	s := newTestServer(t)
	key := keyFile(t, s.NewServiceAccount("elsewhere"))
	assert.Equal(t, "elsewhere", key["project_id"])
	assert.Equal(t, s.TokenURL(), key["token_uri"])
	a := s.state.accounts[key["client_email"]]
	h, c := goodClaims(s, time.Now())
	h["kid"], c["iss"] = a.keyID, a.email
	status, out := exchange(t, s, jwtBearerGrant, assertion(t, a.key, h, c))
	require.Equal(t, http.StatusOK, status, out)
	status, out = send(t, s, out["access_token"].(string), `{"message":{"topic":"news"}}`)
	assert.Equal(t, http.StatusForbidden, status)
	assert.Equal(t, "PERMISSION_DENIED", errorOf(out)["status"])
}
