package apnstest_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/pushtest"
)

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

const (
	token = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0"
	body  = `{"aps":{"alert":"Hello"}}`
)

// signJWT signs a provider token with key, written here apart from package
// apns and from the emulator.
func signJWT(t testing.TB, key apnstest.Key, kid, iss string, iat time.Time) string {
	t.Helper()
	block, _ := pem.Decode(key.PEM)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	enc := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(map[string]string{"alg": "ES256", "kid": kid}) + "." + enc(map[string]any{"iss": iss, "iat": iat.Unix()})
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, k.(*ecdsa.PrivateKey), digest[:])
	require.NoError(t, err)
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

type fixture struct {
	srv   *apnstest.Server
	clock *pushtest.Clock
	jwt   string // a valid token of the default key
}

func newFixture(t *testing.T, opts ...apnstest.Option) fixture {
	clock := pushtest.NewClock(t0)
	srv := apnstest.NewServer(append([]apnstest.Option{apnstest.WithClock(clock)}, opts...)...)
	t.Cleanup(srv.Close)
	k := srv.Key()
	return fixture{srv: srv, clock: clock, jwt: signJWT(t, k, k.KeyID, k.TeamID, t0)}
}

// request is a request to the emulator: a valid alert to token unless
// changed.
type request struct {
	method string
	path   string
	header http.Header
	body   string
}

func (f fixture) valid() request {
	return request{method: http.MethodPost, path: "/3/device/" + token, body: body, header: http.Header{
		"Authorization": {"bearer " + f.jwt}, "Apns-Topic": {apnstest.DefaultTopic}, "Apns-Push-Type": {"alert"},
	}}
}

type answer struct {
	status int
	reason string
	header http.Header
	body   string
}

func (f fixture) do(t testing.TB, r request) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), r.method, f.srv.URL()+r.path, strings.NewReader(r.body))
	require.NoError(t, err)
	for k, vs := range r.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := f.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var reason struct{ Reason string }
	if len(b) > 0 {
		require.NoError(t, json.NewDecoder(bytes.NewReader(b)).Decode(&reason), string(b))
	}
	return answer{status: resp.StatusCode, reason: reason.Reason, header: resp.Header, body: string(b)}
}

func (a answer) String() string { return fmt.Sprintf("%d %s", a.status, a.reason) }
