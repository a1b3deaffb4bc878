package apns_test

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/internal/httpx"
)

func TestNewRefuses(t *testing.T) {
	srv := apnstest.NewServer()
	defer srv.Close()
	key, err := apns.ParseKey(srv.Key().PEM)
	require.NoError(t, err)
	good := apns.Token(key, "KEY0000001", "TEAM000001")
	tests := []struct {
		name  string
		env   apns.Environment
		creds apns.Credentials
		opts  []apns.Option
		err   string
	}{
		{"no environment", 0, good, nil, "apns.Production"},
		{"no credentials", apns.Production, apns.Credentials{}, nil, "no credentials"},
		{"bad key ID", apns.Production, apns.Token(key, "KEY 1", "TEAM000001"), nil, "key ID"},
		{"bad team ID", apns.Production, apns.Token(key, "KEY0000001", `TEAM"`), nil, "team ID"},
		{"empty certificate", apns.Production, apns.Certificate(tls.Certificate{}), nil, "private key"},
		{"bad topic", apns.Production, good, []apns.Option{apns.WithTopic("com example")}, "WithTopic"},
		{"bad endpoint", apns.Production, good, []apns.Option{apns.WithEndpoint("http://127.0.0.1:1")}, "https"},
		{"endpoint with path", apns.Production, good, []apns.Option{apns.WithEndpoint("https://127.0.0.1:1/3/device")}, "no path"},
		{"nil HTTP client", apns.Production, good, []apns.Option{apns.WithHTTPClient(nil)}, "non-nil"},
		{"nil logger", apns.Production, good, []apns.Option{apns.WithLogger(nil)}, "non-nil"},
		{"nil clock", apns.Production, good, []apns.Option{apns.WithClock(nil)}, "non-nil"},
		{"nil roots", apns.Production, good, []apns.Option{apns.WithRootCAs(nil)}, "non-nil"},
		{"negative delay", apns.Production, good, []apns.Option{apns.WithRetry(push.RetryPolicy{BaseDelay: -1})}, "negative"},
		{"zero concurrency", apns.Production, good, []apns.Option{apns.WithConcurrency(0)}, "positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := apns.New(tt.env, tt.creds, tt.opts...)
			require.ErrorContains(t, err, tt.err)
			assert.Contains(t, err.Error(), "apns: new client")
		})
	}
}

func TestClientPrintsSafely(t *testing.T) {
	f := newFixture(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.Equal(t, "apns sandbox "+f.srv.URL(), fmt.Sprintf(verb, f.client), verb)
	}
	assert.Equal(t, "api.push.apple.com", apns.Production.Host())
	assert.Equal(t, "api.sandbox.push.apple.com", apns.Sandbox.Host())
}

func TestCapabilities(t *testing.T) {
	f := newFixture(t)
	caps := f.client.Capabilities()
	assert.Equal(t, "apns", caps.Provider)
	assert.Equal(t, map[push.Platform]push.Support{
		push.Apple: {Targets: push.KindsOf(push.TargetDevice, push.TargetDevices), PerDevice: true, BatchSize: 1},
	}, caps.Platforms)
	caps.Platforms[push.FCMV1] = push.Support{}
	assert.Len(t, f.client.Capabilities().Platforms, 1, "a copy")
}

// TestDefaultTransport checks the HTTP client a Client makes for itself:
// HTTP/2 with ping health checks, and no redirects.
func TestDefaultTransport(t *testing.T) {
	srv := apnstest.NewServer()
	defer srv.Close()
	key, err := apns.ParseKey(srv.Key().PEM)
	require.NoError(t, err)
	c, err := apns.New(apns.Sandbox, apns.Token(key, "KEY0000001", "TEAM000001"), apns.WithTopic(apnstest.DefaultTopic),
		apns.WithEndpoint(srv.URL()), apns.WithRootCAs(srv.RootCAs()))
	require.NoError(t, err)
	defer c.Close()
	tr, ok := apns.Transport(c).(*http.Transport)
	require.True(t, ok)
	assert.True(t, tr.ForceAttemptHTTP2)
	require.NotNil(t, tr.HTTP2)
	assert.Equal(t, httpx.PingAfter, tr.HTTP2.SendPingTimeout)
	assert.Equal(t, httpx.PingTimeout, tr.HTTP2.PingTimeout)
	assert.Equal(t, uint16(tls.VersionTLS12), tr.TLSClientConfig.MinVersion)
	assert.Zero(t, tr.IdleConnTimeout, "idle connections are kept while they answer pings")

	_, err = c.Send(t.Context(), alert(), push.Device(device(1)))
	require.NoError(t, err, "over HTTP/2 to the emulator, which speaks nothing else")
}

func TestCloseLeavesAGivenHTTPClientAlone(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.client.Close())
	require.NoError(t, f.client.Close())
	_, err := f.srv.Client().Get(f.srv.URL() + "/3/device/" + device(1))
	require.NoError(t, err, "the emulator's client still works")
}
