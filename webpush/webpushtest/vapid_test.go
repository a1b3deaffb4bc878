package webpushtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example of RFC 8292, section 3.1: a token for https://push.example.net
// that expires at 2016-01-23T04:36:08Z.
const (
	rfcToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1haWx0bzpwdXNoQGV4YW1wbGUuY29tIn0.i3CYb7t4xfxCDquptFOepC9GAu_HLGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA"
	rfcKey   = "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs"
	rfcAud   = "https://push.example.net"
)

var rfcExp = time.Unix(1453523768, 0).UTC()

// TestVerifyRFC8292 verifies the RFC's example token with the emulator's own
// verification, on a clock frozen before its expiry.
func TestVerifyRFC8292(t *testing.T) {
	a, err := parseVAPIDHeader("vapid t=" + rfcToken + ", k=" + rfcKey)
	require.NoError(t, err)
	v, err := verifyVAPID(a, rfcAud, rfcExp.Add(-time.Hour))
	require.NoError(t, err)
	assert.Equal(t, VAPID{Audience: rfcAud, Expiry: rfcExp, Subject: "mailto:push@example.com", Key: rfcKey}, v)

	_, err = verifyVAPID(a, rfcAud, rfcExp)
	assert.ErrorContains(t, err, "expired", "a token is not valid at its exp")
	_, err = verifyVAPID(a, rfcAud, rfcExp.Add(-25*time.Hour))
	assert.ErrorContains(t, err, "more than 24 hours", "a token may not be valid for more than 24 hours")
	_, err = verifyVAPID(a, "https://push.example.net:8443", rfcExp.Add(-time.Hour))
	assert.ErrorContains(t, err, "origin")
}

func TestParseVAPIDHeader(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		want         vapidAuth
		err          string
	}{
		{"RFC form", "vapid t=a.b.c, k=KEY", vapidAuth{"a.b.c", "KEY"}, ""},
		{"no space, k first", "vapid k=KEY,t=a.b.c", vapidAuth{"a.b.c", "KEY"}, ""},
		{"spaces everywhere", "  Vapid   t = a.b.c ,  k = KEY  ", vapidAuth{"a.b.c", "KEY"}, ""},
		{"unknown parameter", "vapid t=a.b.c, x=1, k=KEY", vapidAuth{"a.b.c", "KEY"}, ""},
		{"empty", "", vapidAuth{}, "no Authorization"},
		{"draft WebPush", "WebPush a.b.c", vapidAuth{}, "draft-era"},
		{"bearer", "Bearer a.b.c", vapidAuth{}, "not vapid"},
		{"no t", "vapid k=KEY", vapidAuth{}, "no t"},
		{"no k", "vapid t=a.b.c", vapidAuth{}, "no k"},
		{"t twice", "vapid t=a, t=b, k=KEY", vapidAuth{}, "twice"},
		{"empty t", "vapid t=, k=KEY", vapidAuth{}, "empty"},
		{"no =", "vapid t, k=KEY", vapidAuth{}, "name=value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseVAPIDHeader(tc.header)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// signer signs VAPID tokens for the tests with its own key.
type signer struct {
	key *ecdsa.PrivateKey
	pub string
}

func newSigner(t testing.TB) signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	pub, err := k.PublicKey.Bytes()
	require.NoError(t, err)
	return signer{key: k, pub: b64url(pub)}
}

// token signs header and claims (JSON text) as ES256 with R‖S.
func (s signer) token(t testing.TB, header, claims string) string {
	input := b64url([]byte(header)) + "." + b64url([]byte(claims))
	d := sha256.Sum256([]byte(input))
	r, ss, err := ecdsa.Sign(rand.Reader, s.key, d[:])
	require.NoError(t, err)
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	ss.FillBytes(sig[32:])
	return input + "." + b64url(sig)
}

const es256 = `{"typ":"JWT","alg":"ES256"}`

func TestVerifyVAPIDRefusals(t *testing.T) {
	s := newSigner(t)
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	claims := func(aud string, exp int64) string {
		return `{"aud":"` + aud + `","exp":` + itoa(exp) + `,"sub":"mailto:ops@example.com"}`
	}
	good := claims("https://push.example.net", now.Add(time.Hour).Unix())
	der := func() string { // a DER signature where R‖S belongs
		tok := s.token(t, es256, good)
		input := tok[:strings.LastIndexByte(tok, '.')]
		d := sha256.Sum256([]byte(input))
		sig, err := ecdsa.SignASN1(rand.Reader, s.key, d[:])
		require.NoError(t, err)
		return input + "." + b64url(sig)
	}
	other := newSigner(t)
	for _, tc := range []struct {
		name, token, key, err string
	}{
		{"good", s.token(t, es256, good), s.pub, ""},
		{"padded key", s.token(t, es256, good), s.pub + "=", ""},
		{"alg none", s.token(t, `{"typ":"JWT","alg":"none"}`, good), s.pub, "alg"},
		{"alg HS256", s.token(t, `{"alg":"HS256"}`, good), s.pub, "alg"},
		{"another key's signature", other.token(t, es256, good), s.pub, "does not verify"},
		{"DER signature", der(), s.pub, "64 bytes"},
		{"two parts", "a.b", s.pub, "3"},
		{"no aud", s.token(t, es256, `{"exp":1893553445}`), s.pub, "no aud"},
		{"no exp", s.token(t, es256, `{"aud":"https://push.example.net"}`), s.pub, "no exp"},
		{"exp a string", s.token(t, es256, `{"aud":"https://push.example.net","exp":"1893553445"}`), s.pub, "whole number"},
		{"exp a fraction", s.token(t, es256, `{"aud":"https://push.example.net","exp":1893553445.5}`), s.pub, "whole number"},
		{"aud with a path", s.token(t, es256, claims("https://push.example.net/push/1", now.Add(time.Hour).Unix())), s.pub, "origin"},
		{"aud with a trailing slash", s.token(t, es256, claims("https://push.example.net/", now.Add(time.Hour).Unix())), s.pub, "origin"},
		{"expired", s.token(t, es256, claims("https://push.example.net", now.Add(-time.Second).Unix())), s.pub, "expired"},
		{"25 hours", s.token(t, es256, claims("https://push.example.net", now.Add(25*time.Hour).Unix())), s.pub, "24 hours"},
		{"k off the curve", s.token(t, es256, good), "B" + strings.Repeat("A", 86), "curve"},
		{"k short", s.token(t, es256, good), "BAAA", "65-byte"},
		{"k not base64", s.token(t, es256, good), "B!", "base64url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := verifyVAPID(vapidAuth{token: tc.token, key: tc.key}, "https://push.example.net", now)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "mailto:ops@example.com", v.Subject)
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
