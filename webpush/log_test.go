package webpush_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/webpush"
	"github.com/pushwire/push/webpush/webpushtest"
)

// TestLogs checks what the Client logs: a token signed at Debug, a refused
// token at Warn, nothing per message at Info, and never a token or key.
func TestLogs(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, nil, webpush.WithLogger(logger))
	_, err := e.send(t, browser(t, hello, nil), e.subscribe())
	require.NoError(t, err)
	other := e.srv.NewSubscription(webpushtest.WithApplicationServerKey("BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs"))
	_, err = e.client.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(other))
	require.ErrorIs(t, err, push.ErrUnauthorized)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2, buf.String())
	assert.Contains(t, lines[0], `"level":"DEBUG","msg":"webpush: signed a VAPID token","aud":"`+e.srv.URL()+`"`)
	assert.Contains(t, lines[1], `"level":"WARN","msg":"webpush: the push service refused the VAPID token","origin":"`+e.srv.URL()+`","status":403`)
	assert.NotContains(t, buf.String(), "eyJ")
	assert.NotContains(t, buf.String(), testKeyText)
}

// TestOtherHeadersForwarded checks that the notification's headers reach
// the push service as they are: here Prefer, which asks for a receipt.
func TestOtherHeadersForwarded(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	r, err := e.send(t, browser(t, hello, map[string][]string{"Prefer": {"respond-async"}}), sub)
	require.NoError(t, err)
	m := e.srv.Messages()[0]
	assert.Equal(t, 202, m.Status)
	assert.Equal(t, e.srv.URL()+"/message/"+m.ID, r.ID)
}
