package apns_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/provider"
	"github.com/pushwire/push/pushtest"
)

func TestProviderOpensAClientOnTheEmulator(t *testing.T) {
	clock := pushtest.NewClock(t0)
	srv := apnstest.NewServer(apnstest.WithClock(clock))
	defer srv.Close()
	k := srv.Key()
	keyFile := filepath.Join(t.TempDir(), "AuthKey_"+k.KeyID+".p8")
	require.NoError(t, os.WriteFile(keyFile, k.PEM, 0o600))

	url := "apns://" + srv.Addr() + "?key_file=" + keyFile + "&key_id=" + k.KeyID + "&team_id=" + k.TeamID +
		"&topic=" + apnstest.DefaultTopic + "&concurrency=8"
	s, err := provider.Open(t.Context(), url, provider.WithHTTPClient(srv.Client()), provider.WithClock(clock))
	require.NoError(t, err)
	defer s.Close()
	c, ok := s.(*apns.Client)
	require.True(t, ok)
	assert.Equal(t, apns.Sandbox, c.Environment())
	_, err = s.Send(t.Context(), alert(), push.Devices(devices(3)...))
	require.NoError(t, err)
	assert.Len(t, srv.Accepted(), 3)
}

func TestProviderURLs(t *testing.T) {
	srv := apnstest.NewServer()
	defer srv.Close()
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.p8")
	require.NoError(t, os.WriteFile(keyFile, srv.Key().PEM, 0o600))
	t.Setenv("APNS_TEST_KEY", string(srv.Key().PEM))
	t.Setenv("APNS_TEST_P12_PASSWORD", "test-password")
	token := "&key_id=KEY0000001&team_id=TEAM000001&topic=com.example.app"
	tests := []struct {
		url  string
		env  apns.Environment
		host string
		err  string
	}{
		{"apns://production?key_file=" + keyFile + token, apns.Production, "api.push.apple.com", ""},
		{"apns://sandbox?key_env=APNS_TEST_KEY" + token, apns.Sandbox, "api.sandbox.push.apple.com", ""},
		{"apns://127.0.0.1:8443?env=production&key_env=APNS_TEST_KEY" + token, apns.Production, "127.0.0.1:8443", ""},
		{"apns://production?p12_file=testdata/cert-aes.p12&p12_password_env=APNS_TEST_P12_PASSWORD", apns.Production, "api.push.apple.com", ""},
		{"apns://production?cert_file=testdata/cert.pem", apns.Production, "api.push.apple.com", ""},
		{"apns://?key_file=" + keyFile + token, 0, "", "name the environment"},
		{"apns://production?key=inline" + token, 0, "", "not written in the URL"},
		{"apns://production?key_file=" + keyFile + token + "&colour=blue", 0, "", `unknown parameter "colour"`},
		{"apns://production?topic=com.example.app", 0, "", "give a .p8 key"},
		{"apns://production/v3?key_file=" + keyFile + token, 0, "", "no path"},
		{"apns://production?key_file=" + keyFile + "&cert_file=testdata/cert.pem" + token, 0, "", "give one of"},
		{"apns://production?key_file=" + keyFile + "&key_id=KEY0000001&topic=com.example.app", 0, "", "team ID"},
		{"apns://production?key_file=" + keyFile + token + "&concurrency=0", 0, "", "concurrency"},
		{"apns://production?p12_file=testdata/cert-aes.p12", 0, "", "password"},
		{"apns://127.0.0.1:8443?env=staging&key_env=APNS_TEST_KEY" + token, 0, "", "production or sandbox"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			s, err := provider.Open(t.Context(), tt.url)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				assert.NotContains(t, err.Error(), "PRIVATE KEY")
				return
			}
			require.NoError(t, err)
			defer s.Close()
			c := s.(*apns.Client)
			assert.Equal(t, tt.env, c.Environment())
			assert.Contains(t, c.String(), tt.host)
		})
	}
}
