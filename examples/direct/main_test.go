package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), nil, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Empty(t, errOut.String())
	o := out.String()
	for _, line := range []string{
		"Sending to alice's devices through router(apple: apns, fcmv1: fcm, browser: webpush)\n",
		"  apple    alice-iphone   accepted\n",
		"  apple    alice-old-ipad unregistered since 2030-01-02T03:04:05Z: deleting its token\n",
		"  fcmv1    alice-pixel    accepted\n",
		"  browser  alice-firefox  accepted\n",
		`  alice-firefox's service worker decrypted {"title":"Order shipped","body":"Arriving Tuesday","data":{"deepLink":"https://example.com/orders/42","order":"42"}}` + "\n",
		"Device store: 3 devices left\n",
	} {
		assert.Contains(t, o, line)
	}
	assert.True(t, strings.HasSuffix(o, "direct: 4 devices, 3 accepted, 1 unregistered and deleted\n"), o)
}

func TestRunFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &out, &errOut), "-h is not an error")
	assert.Equal(t, 2, run(context.Background(), []string{"extra"}, &out, &errOut))
}
