package fcm_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
)

func TestNewRefusesBadOptions(t *testing.T) {
	key := newServer(t).ServiceAccountJSON()
	tests := []struct {
		name    string
		project string
		opts    []fcm.Option
		want    string
	}{
		{"no project", "", []fcm.Option{fcm.WithTokenSource(staticSource())}, "no project ID"},
		{"bad project", "My Project", []fcm.Option{fcm.WithTokenSource(staticSource())}, "lower-case"},
		{"two credentials", "p", []fcm.Option{fcm.WithCredentialsJSON(key), fcm.WithTokenSource(staticSource())}, "both give credentials"},
		{"not a key file", "p", []fcm.Option{fcm.WithCredentialsJSON([]byte(`{"type":"authorized_user"}`))}, "not a service account key file"},
		{"bad key", "p", []fcm.Option{fcm.WithCredentialsJSON([]byte(`{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}`))}, "not an RSA private key"},
		{"missing file", "p", []fcm.Option{fcm.WithCredentialsFile(filepath.Join(t.TempDir(), "nope.json"))}, "does not exist"},
		{"nil http client", "p", []fcm.Option{fcm.WithHTTPClient(nil)}, "non-nil"},
		{"nil logger", "p", []fcm.Option{fcm.WithLogger(nil)}, "non-nil"},
		{"nil clock", "p", []fcm.Option{fcm.WithClock(nil)}, "non-nil"},
		{"nil token source", "p", []fcm.Option{fcm.WithTokenSource(nil)}, "non-nil"},
		{"zero concurrency", "p", []fcm.Option{fcm.WithConcurrency(0)}, "positive"},
		{"negative delay", "p", []fcm.Option{fcm.WithRetry(push.RetryPolicy{BaseDelay: -1})}, "negative"},
		{"endpoint with query", "p", []fcm.Option{fcm.WithEndpoint("https://x?y=1")}, "no query"},
		{"endpoint not http", "p", []fcm.Option{fcm.WithEndpoint("ftp://x")}, "http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fcm.New(t.Context(), tt.project, tt.opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "PRIVATE KEY")
		})
	}
}

func TestNewTakesTheProjectFromTheKeyFile(t *testing.T) {
	srv := newServer(t)
	path := filepath.Join(t.TempDir(), "sa.json")
	require.NoError(t, os.WriteFile(path, srv.ServiceAccountJSON(), 0o600))
	c, err := fcm.New(t.Context(), "", fcm.WithCredentialsFile(path), fcm.WithEndpoint(srv.URL()), fcm.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, srv.Project(), c.Project())
	_, err = c.Send(t.Context(), alert(), push.Tags("news"))
	require.NoError(t, err)
}

func TestClientPrintsNoSecret(t *testing.T) {
	srv := newServer(t)
	var logs strings.Builder
	c := newClient(t, srv, fcm.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Send(t.Context(), alert(), push.Device(srv.NewToken()))
	require.NoError(t, err)
	h, _ := fcmCachedToken(c)
	printed := fmt.Sprintf("%v %+v %#v %s", c, c, c, c) + logs.String()
	assert.Contains(t, printed, "fcm.Client{project fcmtest-project, endpoint "+srv.URL()+"}")
	assert.NotContains(t, printed, "PRIVATE KEY")
	assert.NotContains(t, printed, strings.TrimPrefix(h, "Bearer "))
	assert.Contains(t, logs.String(), "fetched an access token")
}

func TestCapabilities(t *testing.T) {
	c, _ := mockClient(t, accept)
	caps := c.Capabilities()
	assert.Equal(t, "fcm", caps.Provider)
	assert.Equal(t, map[push.Platform]push.Support{push.FCMV1: {
		Targets:  push.KindsOf(push.TargetTags, push.TargetDevice, push.TargetDevices),
		TestSend: true, PerDevice: true, BatchSize: 1,
	}}, caps.Platforms)
	caps.Platforms[push.Apple] = push.Support{}
	assert.NotContains(t, c.Capabilities().Platforms, push.Apple, "a copy")
}

func TestCloseIsSafeTwice(t *testing.T) {
	c, err := fcm.New(t.Context(), "p", fcm.WithTokenSource(staticSource()), fcm.WithHTTPClient(&http.Client{}))
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, c.Close())
}

func fcmCachedToken(c *fcm.Client) (string, bool) {
	h, ok := fcm.CachedAuthorization(c)
	if !ok {
		return "", false
	}
	return h[0], true
}
