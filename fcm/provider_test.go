package fcm_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/provider"
)

func TestProviderOpensAClient(t *testing.T) {
	srv := newServer(t)
	path := filepath.Join(t.TempDir(), "sa.json")
	require.NoError(t, os.WriteFile(path, srv.ServiceAccountJSON(), 0o600))
	s, err := provider.Open(t.Context(), "fcm://"+srv.Project()+"?credentials_file="+path+"&endpoint="+srv.URL()+"&dry_run=true&concurrency=7",
		provider.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	defer s.Close()
	c, ok := s.(*fcm.Client)
	require.True(t, ok)
	assert.Contains(t, c.String(), "dry run")
	_, err = s.Send(t.Context(), alert(), push.Device(srv.NewToken()))
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.True(t, reqs[0].ValidateOnly)
}

func TestProviderReadsTheKeyFromTheEnvironment(t *testing.T) {
	srv := newServer(t)
	t.Setenv("FCM_TEST_SA", string(srv.ServiceAccountJSON()))
	s, err := provider.Open(t.Context(), "fcm://?credentials_env=FCM_TEST_SA&endpoint="+srv.URL(), provider.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, srv.Project(), s.(*fcm.Client).Project(), "the project of the key file")
}

func TestProviderRefusesBadURLs(t *testing.T) {
	tests := []struct{ url, want string }{
		{"fcm://p?credentials=inline", "credentials_file"},
		{"fcm://p?credentials_env=FCM_TEST_UNSET_VARIABLE", "not set"},
		{"fcm://p?colour=blue", "unknown parameter"},
		{"fcm://p?concurrency=0", "positive"},
		{"fcm://p/path", "no path"},
	}
	for _, tt := range tests {
		_, err := provider.Open(t.Context(), tt.url)
		require.Error(t, err, tt.url)
		assert.Contains(t, err.Error(), tt.want, tt.url)
		assert.NotContains(t, err.Error(), "inline", "no value in the error")
	}
}
