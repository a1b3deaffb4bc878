package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// testKey is the emulator key of these tests; it must never appear in output.
const testKey = "quickstart-test-key-6d1f0c"

func TestChooseHub(t *testing.T) {
	const cs = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Send;SharedAccessKey=" + testKey
	tests := []struct {
		name     string
		vars     map[string]string
		emulated bool
		hub      string
		errHas   string
	}{
		{name: "neither set: the emulator", vars: nil, emulated: true},
		{name: "blank values count as unset", vars: map[string]string{envConnectionString: "  ", envHubName: ""}, emulated: true},
		{name: "both set: that hub", vars: map[string]string{envConnectionString: cs, envHubName: "myhub"}, hub: "myhub"},
		{name: "EntityPath names the hub", vars: map[string]string{envConnectionString: cs + ";EntityPath=news"}},
		{name: "hub name without connection string", vars: map[string]string{envHubName: "myhub"}, errHas: envConnectionString + " is not"},
		{name: "connection string without hub name", vars: map[string]string{envConnectionString: cs}, errHas: envHubName + " is not set"},
		{name: "malformed connection string", vars: map[string]string{envConnectionString: "SharedAccessKey=" + testKey, envHubName: "h"}, errHas: "Endpoint is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chooseHub(func(k string) string { return tt.vars[k] })
			if tt.errHas != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errHas)
				assert.NotContains(t, err.Error(), testKey)
				var u usageError
				assert.True(t, errors.As(err, &u), "a configuration error is a usage error (exit 2)")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.emulated, got.emulated())
			assert.Equal(t, tt.hub, got.hub)
		})
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    options
		wantErr bool
	}{
		{name: "defaults", args: nil, want: options{verbose: true, timeout: time.Minute}},
		{name: "quiet, no colour", args: []string{"-v=false", "-no-color"}, want: options{noColor: true, timeout: time.Minute}},
		{name: "key and timeout", args: []string{"-emulator-key", "k", "-timeout", "5s"}, want: options{verbose: true, timeout: 5 * time.Second, emulatorKey: "k"}},
		{name: "unknown flag", args: []string{"-x"}, wantErr: true},
		{name: "arguments", args: []string{"now"}, wantErr: true},
		{name: "zero timeout", args: []string{"-timeout", "0s"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args, io.Discard)
			if tt.wantErr {
				var u usageError
				assert.True(t, errors.As(err, &u), "err = %v, want a usage error", err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := parseFlags([]string{"-h"}, io.Discard)
	assert.ErrorIs(t, err, flag.ErrHelp)
}

// runWith runs the tutorial with the given variables and returns the exit code,
// standard output and the log.
func runWith(t *testing.T, vars map[string]string, e env, args ...string) (int, string, string) {
	t.Helper()
	var out, log bytes.Buffer
	e.getenv = func(k string) string { return vars[k] }
	e.out, e.log = &out, &log
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, args, e)
	return code, out.String(), log.String()
}

func TestRunEmulator(t *testing.T) {
	code, out, log := runWith(t, nil, env{}, "-emulator-key", testKey, "-no-color")
	require.Equal(t, exitOK, code, "log:\n%s", log)

	first, _, _ := strings.Cut(out, "\n")
	assert.Regexp(t, `^Using the embedded Notification Hubs emulator at https://127\.0\.0\.1:\d+$`, first)
	assert.Contains(t, out, "key:       REDACTED")
	assert.Contains(t, out, "SharedAccessKey=REDACTED")
	assert.Equal(t, 7, strings.Count(out, "  accepted: notification ID "))
	assert.Contains(t, out, "    windows  dana-pc ", "the template send reaches the device with a template")
	assert.Contains(t, out, `    dana-pc gets its template "greeting" filled in: <toast><visual><binding template="ToastText01"><text id="1">Hello</text></binding></visual></toast>`,
		"the emulator shows what the template expanded to")
	assert.True(t, strings.HasSuffix(out, "quickstart: 7 sends, all accepted\n"), "the last line is the CI line")

	assert.Contains(t, log, `header.Authorization="SharedAccessSignature REDACTED"`)
	assert.Equal(t, 7, strings.Count(log, "azurenh: response status=201"))
	for _, s := range []string{out, log} {
		assert.NotContains(t, s, testKey)
		assert.NotContains(t, s, "sig=")
	}
}

func TestRunQuiet(t *testing.T) {
	code, out, log := runWith(t, nil, env{}, "-v=false")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "quickstart: 7 sends, all accepted")
	assert.Empty(t, log, "without -v nothing is logged")
}

// An emulator plays the part of a real hub: the tutorial registers no devices
// there and sends to what the hub holds.
func TestRunRealHub(t *testing.T) {
	srv := nhtest.NewServer(nhtest.WithKey(testKey), nhtest.WithHub("myhub"))
	t.Cleanup(srv.Close)
	require.NoError(t, srv.PutInstallation(nhtest.Installation{
		InstallationID: "own-phone", Platform: push.Apple, Tags: []string{"sports"},
		PushChannel: nhtest.PushChannel{Handle: "0a1b2c3d"},
	}))
	vars := map[string]string{envConnectionString: srv.SendConnectionString(), envHubName: "myhub"}

	code, out, log := runWith(t, vars, env{httpClient: srv.Client()})
	require.Equal(t, exitOK, code, "log:\n%s", log)
	first, _, _ := strings.Cut(out, "\n")
	assert.Equal(t, "Using the Notification Hub myhub at "+srv.URL()+"/", first)
	assert.Contains(t, out, "On a real hub each device registers itself")
	assert.NotContains(t, out, "alice-iphone", "no demo device is registered on a real hub")
	assert.Contains(t, out, "no device matched")
	assert.NotContains(t, out, "filled in", "a real hub does not say what templates expand to")
	assert.Contains(t, out, "    apple    own-phone ")
	assert.Len(t, srv.Sends(), 7)
	assert.Len(t, srv.Installations(), 1)
	assert.NotContains(t, out+log, testKey)
}

func TestRunFailure(t *testing.T) {
	srv := nhtest.NewServer(nhtest.WithKey(testKey))
	t.Cleanup(srv.Close)
	srv.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: 403, Times: 2, Detail: "This operation is not available for your tier."})
	vars := map[string]string{envConnectionString: srv.SendConnectionString(), envHubName: srv.Hub()}

	code, out, log := runWith(t, vars, env{httpClient: srv.Client()})
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, 2, strings.Count(out, "  failed: azurenh: send: forbidden"))
	assert.Contains(t, log, "quickstart: 5 of 7 sends accepted")
	assert.NotContains(t, out, "all accepted")
}

func TestRunUsageErrors(t *testing.T) {
	code, _, log := runWith(t, map[string]string{envHubName: "myhub"}, env{})
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, log, "quickstart: NOTIFICATIONHUB_NAME is set but NOTIFICATIONHUB_CONNECTION_STRING is not")

	code, _, _ = runWith(t, nil, env{}, "-nope")
	assert.Equal(t, exitUsage, code)

	code, _, _ = runWith(t, nil, env{}, "-h")
	assert.Equal(t, exitOK, code)
}
