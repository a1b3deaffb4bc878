package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// testKey is the emulator key of these tests; it must never appear in output.
const testKey = "send-test-key-41b7"

const (
	apnsBody  = `{"aps":{"alert":"Hello"}}`
	toastBody = `<toast><visual><binding template="ToastText01"><text id="1">Hi</text></binding></visual></toast>`
	realCS    = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Send;SharedAccessKey=" + testKey
)

func noEnv(string) string { return "" }

// demoSubscriptionJSON is the demo browser's subscription, as a browser's
// PushSubscription.toJSON() writes it.
var demoSubscriptionJSON = `{"endpoint":"` + demoSubscription.Endpoint + `","expirationTime":null,"keys":{"p256dh":"` +
	demoSubscription.P256DH + `","auth":"` + demoSubscription.Auth + `"}}`

func TestParseFlags(t *testing.T) {
	at := time.Date(2030, 1, 2, 15, 4, 5, 0, time.UTC)
	vars := map[string]string{envConnectionString: realCS, envHubName: "envhub"}
	getenv := func(k string) string { return vars[k] }
	base := []string{"-platform", "apple", "-payload", apnsBody}
	tests := []struct {
		name   string
		args   []string
		getenv func(string) string
		check  func(t *testing.T, c config)
		errHas string
	}{
		{name: "broadcast from the environment", args: base, getenv: getenv, check: func(t *testing.T, c config) {
			assert.Equal(t, push.Apple, c.platform)
			assert.Equal(t, push.TargetBroadcast, c.target().Kind())
			assert.Equal(t, realCS, c.connectionString)
			assert.Equal(t, "envhub", c.hub)
		}},
		{name: "flags win over the environment", args: append(base, "-connection-string", realCS+";EntityPath=x", "-hub", "x"), getenv: getenv, check: func(t *testing.T, c config) {
			assert.Equal(t, "x", c.hub)
		}},
		{name: "tags as a comma list", args: append(base, "-dry-run", "-tags", "sports, politics"), getenv: noEnv, check: func(t *testing.T, c config) {
			assert.Equal(t, "sports || politics", c.target().Expression())
		}},
		{name: "expression", args: append(base, "-dry-run", "-expr", "a && !b"), getenv: noEnv, check: func(t *testing.T, c config) {
			assert.Equal(t, "a && !b", c.target().Expression())
		}},
		{name: "one device: a direct send", args: append(base, "-dry-run", "-device", "tok1"), getenv: noEnv, check: func(t *testing.T, c config) {
			assert.Equal(t, push.TargetDevice, c.target().Kind())
		}},
		{name: "devices repeated and listed: a batch", args: append(base, "-dry-run", "-device", "t1,t2", "-device", "t3"), getenv: noEnv, check: func(t *testing.T, c config) {
			assert.Equal(t, []string{"t1", "t2", "t3"}, c.target().Devices())
		}},
		{name: "schedule", args: append(base, "-emulator", "-at", "2030-01-02T15:04:05Z"), getenv: noEnv, check: func(t *testing.T, c config) {
			assert.True(t, at.Equal(c.at))
		}},
		{name: "headers and platform case", args: []string{"-platform", "Windows", "-file", "-", "-header", "X-WNS-TTL: 60", "-emulator"}, getenv: noEnv, check: func(t *testing.T, c config) {
			assert.Equal(t, push.Windows, c.platform)
			assert.Equal(t, "60", c.header.Get("X-Wns-Ttl"))
		}},
		{name: "no platform", args: []string{"-payload", apnsBody, "-emulator"}, getenv: noEnv, errHas: "-platform is required"},
		{name: "unknown platform", args: []string{"-platform", "ios", "-payload", apnsBody, "-emulator"}, getenv: noEnv, errHas: `-platform "ios" is not one of apple, fcmv1`},
		{name: "no body", args: []string{"-platform", "apple", "-emulator"}, getenv: noEnv, errHas: "-payload BODY or -file PATH"},
		{name: "two bodies", args: append(base, "-file", "x", "-emulator"), getenv: noEnv, errHas: "use one"},
		{name: "two targets", args: append(base, "-tags", "a", "-device", "b", "-emulator"), getenv: noEnv, errHas: "at most one"},
		{name: "bad time", args: append(base, "-at", "tomorrow", "-emulator"), getenv: noEnv, errHas: "RFC 3339"},
		{name: "test of a schedule", args: append(base, "-test", "-at", "2030-01-02T15:04:05Z", "-emulator"), getenv: noEnv, errHas: "-test and -at"},
		{name: "test of a direct send", args: append(base, "-test", "-device", "d", "-emulator"), getenv: noEnv, errHas: "-test goes to tags or a broadcast"},
		{name: "browser subscription", args: []string{"-platform", "browser", "-payload", "{}", "-dry-run", "-subscription", demoSubscriptionJSON}, getenv: noEnv, check: func(t *testing.T, c config) {
			assert.Equal(t, push.TargetDevice, c.target().Kind())
			assert.Equal(t, []push.BrowserSubscription{demoSubscription}, c.target().Subscriptions())
		}},
		{name: "subscription of another platform", args: append(base, "-dry-run", "-subscription", demoSubscriptionJSON), getenv: noEnv, errHas: "with -platform browser"},
		{name: "subscription not JSON", args: []string{"-platform", "browser", "-payload", "{}", "-dry-run", "-subscription", "https://push.example/1"}, getenv: noEnv, errHas: "want the JSON of a PushSubscription"},
		{name: "subscription without keys", args: []string{"-platform", "browser", "-payload", "{}", "-dry-run", "-subscription", `{"endpoint":"https://push.example/1"}`}, getenv: noEnv, errHas: "keys.p256dh"},
		{name: "test of a subscription", args: []string{"-platform", "browser", "-payload", "{}", "-emulator", "-test", "-subscription", demoSubscriptionJSON}, getenv: noEnv, errHas: "-test goes to tags or a broadcast"},
		{name: "verbose without test", args: append(base, "-v", "-emulator"), getenv: noEnv, errHas: "add -test"},
		{name: "no hub", args: base, getenv: noEnv, errHas: "no hub"},
		{name: "hub without connection", args: append(base, "-hub", "h"), getenv: noEnv, errHas: "a hub name without a connection string"},
		{name: "emulator and a hub", args: append(base, "-emulator", "-hub", "h"), getenv: noEnv, errHas: "-emulator starts its own hub"},
		{name: "bad header", args: append(base, "-header", "novalue", "-emulator"), getenv: noEnv, errHas: `want "Name: value"`},
		{name: "stray argument", args: append(base, "-emulator", "extra"), getenv: noEnv, errHas: "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseFlags(tt.args, tt.getenv, io.Discard)
			if tt.errHas != "" {
				require.Error(t, err)
				assert.IsType(t, usageError(""), err)
				assert.Contains(t, err.Error(), tt.errHas)
				return
			}
			require.NoError(t, err)
			tt.check(t, c)
		})
	}
}

// runWith runs the command and returns the exit code, standard output and
// standard error.
func runWith(t *testing.T, stdin string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, args, e)
	assertNoSecret(t, out.String()+errOut.String())
	return code, out.String(), errOut.String()
}

func assertNoSecret(t *testing.T, s string) {
	t.Helper()
	assert.NotContains(t, s, testKey)
	assert.NotContains(t, s, "sig=")
	assert.NotContains(t, s, "SharedAccessKey=placeholder")
}

func TestDryRunPrintsTheRequest(t *testing.T) {
	code, out, errOut := runWith(t, "", nil, "-emulator", "-emulator-key", testKey, "-dry-run",
		"-platform", "apple", "-payload", apnsBody, "-header", "apns-priority: 5", "-tags", "sports,politics")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `^POST https://127\.0\.0\.1:\d+/hub/messages\?api-version=2020-06\n`, out)
	for _, line := range []string{
		"Authorization: SharedAccessSignature REDACTED\n",
		"Content-Type: application/json;charset=utf-8\n",
		"Apns-Priority: 5\n",
		"Servicebusnotification-Format: apple\n",
		"Servicebusnotification-Tags: sports || politics\n",
		"\n\n" + apnsBody + "\n",
	} {
		assert.Contains(t, out, line)
	}
	assert.Contains(t, errOut, "dry run: the request above was not sent")
}

func TestDryRunWithoutHub(t *testing.T) {
	code, out, errOut := runWith(t, "", nil, "-dry-run", "-test", "-platform", "windows", "-payload", toastBody)
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "POST https://NAMESPACE.servicebus.windows.net/HUB/messages?api-version=2020-06&test\n"), out)
	assert.Contains(t, out, "X-Wns-Type: wns/toast\n")
	assert.Contains(t, errOut, "placeholder namespace")
}

func TestDryRunRedactsBrowserAuth(t *testing.T) {
	var out bytes.Buffer
	req, err := http.NewRequest(http.MethodPost, "https://ns/hub/messages?direct", strings.NewReader("{}"))
	require.NoError(t, err)
	req.Header.Set("Auth", "browser-secret")
	req.Header.Set("P256dh", "public-key")
	resp, err := (&dryRun{w: &out}).RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Contains(t, out.String(), "Auth: REDACTED\n")
	assert.Contains(t, out.String(), "P256dh: public-key\n")
	assert.NotContains(t, out.String(), "browser-secret")
}

func TestSendToEmulator(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{name: "test send to an expression",
			args: []string{"-test", "-platform", "windows", "-payload", toastBody, "-expr", "sports && politics"},
			want: []string{"test send: 1 succeeded, 0 failed\n", "  windows  carol-pc ", "emulator: the send reached carol-pc\n"}},
		{name: "template from standard input", stdin: `{"greeting_en":"Hi"}`,
			args: []string{"-platform", "template", "-file", "-"},
			want: []string{"accepted: notification ID ", "emulator: the send reached dana-pc\n"}},
		{name: "batch to two handles",
			args: []string{"-platform", "fcmv1", "-payload", `{"message":{"data":{"k":"v"}}}`, "-device", "fcm-token-bob-pixel,other"},
			want: []string{"accepted: notification ID ", "emulator: the send reached bob-pixel\n"}},
		{name: "nobody matches",
			args: []string{"-test", "-platform", "apple", "-payload", apnsBody, "-tags", "weather"},
			want: []string{"test send: 0 succeeded, 0 failed\n", "no device matched", "emulator: the send reached none of the demo devices\n"}},
		{name: "browser subscription",
			args: []string{"-platform", "browser", "-payload", `{"title":"Goal!"}`, "-subscription", demoSubscriptionJSON},
			want: []string{"accepted: notification ID ", "emulator: the send reached erin-firefox\n"}},
		{name: "scheduled",
			args: []string{"-platform", "apple", "-payload", apnsBody, "-tags", "sports", "-at", time.Now().Add(time.Hour).UTC().Format(time.RFC3339)},
			want: []string{"scheduled for ", "emulator: the send reached alice-iphone\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-emulator", "-emulator-key", testKey}, tt.args...)
			code, out, errOut := runWith(t, tt.stdin, nil, args...)
			require.Equal(t, exitOK, code, errOut)
			for _, w := range tt.want {
				assert.Contains(t, out, w)
			}
			assert.Contains(t, errOut, "Demo devices")
		})
	}
}

func TestPayloadFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "toast.xml")
	require.NoError(t, os.WriteFile(path, []byte(toastBody), 0o600))
	code, out, errOut := runWith(t, "", nil, "-dry-run", "-platform", "windows", "-file", path)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, toastBody)

	code, _, errOut = runWith(t, "", nil, "-dry-run", "-platform", "windows", "-file", filepath.Join(t.TempDir(), "missing.xml"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "-file: open ")
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		vars   map[string]string
		code   int
		errHas string
	}{
		{name: "help", args: []string{"-h"}, code: exitOK},
		{name: "unknown flag", args: []string{"-nope"}, code: exitUsage, errHas: "flag provided but not defined"},
		{name: "invalid JSON", args: []string{"-dry-run", "-platform", "apple", "-payload", "{"}, code: exitUsage, errHas: "invalid notification"},
		{name: "WNS root it does not know", args: []string{"-dry-run", "-platform", "windows", "-payload", "<note/>"}, code: exitUsage, errHas: "invalid notification"},
		{name: "invalid tag", args: []string{"-dry-run", "-platform", "apple", "-payload", apnsBody, "-tags", "no spaces"}, code: exitUsage, errHas: "invalid target"},
		{name: "schedule in the past", args: []string{"-dry-run", "-platform", "apple", "-payload", apnsBody, "-at", "2001-01-01T00:00:00Z"}, code: exitUsage, errHas: "in the past"},
		{name: "template to a device", args: []string{"-dry-run", "-platform", "template", "-payload", `{"a":"b"}`, "-device", "d"}, code: exitUsage, errHas: "cannot go to a device handle"},
		{name: "bad connection string", args: []string{"-platform", "apple", "-payload", apnsBody, "-connection-string", "SharedAccessKey=" + testKey, "-hub", "h"}, code: exitUsage, errHas: "Endpoint is missing"},
		{name: "hub unreachable", args: []string{"-platform", "apple", "-payload", apnsBody, "-timeout", "2s"},
			vars: map[string]string{envConnectionString: "Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=Send;SharedAccessKey=" + testKey, envHubName: "h"},
			code: exitFailed, errHas: "send: azurenh: send"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runWith(t, "", tt.vars, tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, errOut, tt.errHas)
		})
	}
}
