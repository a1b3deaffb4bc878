package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), nil, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Empty(t, errOut.String())

	o := out.String()
	assert.Regexp(t, `^Using the embedded Notification Hubs emulator at https://127\.0\.0\.1:\d+\n`, o)
	for _, line := range []string{
		"  apple    accepted, reached alice-iphone\n",
		"  fcmv1    accepted, reached alice-pixel\n",
		"  windows  accepted, reached alice-surface\n",
		`  windows  <toast launch="myshop://orders/1234" activationType="protocol">`,
	} {
		assert.Contains(t, o, line)
	}
	assert.NotContains(t, o, "reached bob-iphone", "the alert goes to alice's devices only")
	assert.True(t, strings.HasSuffix(o, "alert: 3 platforms, all accepted\n"))
}

// A platform that fails is reported, and the others still go out.
func TestPlayReportsAFailedPlatform(t *testing.T) {
	srv := nhtest.NewServer()
	t.Cleanup(srv.Close)
	srv.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: 403, Times: 1, Detail: "The Send claim is missing."})

	var out bytes.Buffer
	err := play(context.Background(), options{}, srv, &out, io.Discard)

	require.Error(t, err)
	assert.ErrorIs(t, err, push.ErrForbidden)
	assert.Contains(t, err.Error(), "fan-out failed on 1 of 3 platforms")
	assert.Equal(t, 1, strings.Count(out.String(), "FAILED: azurenh: send: forbidden"))
	assert.Equal(t, 2, strings.Count(out.String(), "accepted, reached alice-"))
	assert.NotContains(t, out.String(), "all accepted")
	assert.Len(t, srv.Sends(), 2)
}

func TestVerboseLogIsRedacted(t *testing.T) {
	var out, log bytes.Buffer
	code := run(context.Background(), []string{"-v", "-no-color"}, &out, &log)
	require.Equal(t, 0, code, log.String())
	assert.Equal(t, 3, strings.Count(log.String(), "azurenh: request "))
	assert.Contains(t, log.String(), `header.Authorization="SharedAccessSignature REDACTED"`)
	assert.NotContains(t, log.String(), "sig=")
}

func TestFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"-x"}, &out, &errOut))
	assert.Equal(t, 2, run(context.Background(), []string{"now"}, &out, &errOut))
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &out, &errOut))
}

func TestAlertRendersOnEveryPlatform(t *testing.T) {
	for _, p := range platforms() {
		_, err := orderShipped().Notification(p)
		assert.NoError(t, err, p)
	}
}

// TestNoColorWhenNotATerminal checks that the -v log written to something
// other than a terminal has no colour, even without -no-color.
func TestNoColorWhenNotATerminal(t *testing.T) {
	var out, log bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"-v"}, &out, &log), log.String())
	require.NotEmpty(t, log.String())
	assert.NotContains(t, log.String(), "\x1b[", "ANSI colour codes in a log that is not a terminal")
}
