package azurenh

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestNewHubName(t *testing.T) {
	tests := []struct {
		name    string
		conn    string
		hub     string
		want    string
		wantErr string
	}{
		{name: "argument", conn: clientConn, hub: "myhub", want: "myhub"},
		{name: "EntityPath", conn: clientConn + ";EntityPath=newshub", want: "newshub"},
		{name: "both, same", conn: clientConn + ";EntityPath=NewsHub", hub: "newshub", want: "newshub"},
		{name: "both, different", conn: clientConn + ";EntityPath=newshub", hub: "sportshub", wantErr: `differs from the connection string's EntityPath "newshub"`},
		{name: "neither", conn: clientConn, wantErr: "no hub name"},
		{name: "bad name", conn: clientConn, hub: "my hub/x", wantErr: "is not a notification hub name"},
		{name: "bad connection string", conn: "Endpoint=sb://x/;SharedAccessKey=" + clientKey, hub: "h", wantErr: "SharedAccessKeyName is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.conn, tt.hub)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), clientKey)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.Hub())
		})
	}
}

func TestOptionErrors(t *testing.T) {
	tests := map[string]Option{
		"nil http client": WithHTTPClient(nil),
		"nil logger":      WithLogger(nil),
		"bad version":     WithAPIVersion("2020/06"),
		"empty version":   WithAPIVersion(""),
		"negative delay":  WithRetry(push.RetryPolicy{BaseDelay: -time.Second}),
		"nil clock":       WithClock(nil),
		"nil ids":         WithIDs(nil),
	}
	for name, opt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := New(clientConn, clientHub, opt)
			require.Error(t, err)
			assert.Equal(t, opNew, pushError(t, err).Op)
		})
	}
}

func TestAPIVersions(t *testing.T) {
	for _, v := range []string{"2020-06", "2013-10", "2017-04-preview"} {
		assert.True(t, validAPIVersion(v), v)
	}
	for _, v := range []string{"2020-6", "2020-06-", "2020-06x", "20-06", "2020-06-Preview", "2020-06&test"} {
		assert.False(t, validAPIVersion(v), v)
	}
}

func TestAPIVersionOnTheWire(t *testing.T) {
	rec, mock := newRecorder(nil)
	c, _ := newTestClient(t, mock, WithAPIVersion("2015-01"))
	_, err := c.Send(context.Background(), appleNote(), push.Broadcast())
	require.NoError(t, err)
	req := rec.requests()[0]
	assert.Equal(t, "https://contoso.servicebus.windows.net/myhub/messages?api-version=2015-01", req.url)
	assert.Equal(t, "2015-01", req.header.Get("x-ms-version"))
}

func TestDefaultHTTPClientIsOwn(t *testing.T) {
	c, err := New(clientConn, clientHub)
	require.NoError(t, err)
	hc := c.cfg.httpClient
	require.NotNil(t, hc)
	assert.NotSame(t, http.DefaultClient, hc)
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok, "the default client has a transport of its own")
	assert.NotSame(t, http.DefaultTransport, tr)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 256)
	assert.NotZero(t, tr.TLSHandshakeTimeout)
	assert.NotZero(t, tr.ResponseHeaderTimeout)
	assert.NotNil(t, hc.CheckRedirect, "a redirect would turn a send into a GET elsewhere")
}

// TestClientPrintsNoKey checks that no fmt verb shows the key, or a signature,
// of a Client or its config, even after the Client signed a token.
func TestClientPrintsNoKey(t *testing.T) {
	_, mock := newRecorder(nil)
	c, _ := newTestClient(t, mock)
	_, err := c.Send(context.Background(), appleNote(), push.Broadcast())
	require.NoError(t, err)
	sig := c.authorization()[0]
	sig = sig[strings.Index(sig, "sig=")+4:]
	sig = sig[:strings.IndexByte(sig, '&')]

	for _, v := range []any{c, c.cfg, &c.cfg, c.tokens, c.urls} {
		out := fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
		assert.NotContains(t, out, clientKey)
		assert.NotContains(t, out, sig)
	}
}

func TestTokenSignedOncePerWindow(t *testing.T) {
	_, mock := newRecorder(nil)
	c, clock := newTestClient(t, mock)
	var signings atomic.Int64
	sign := c.tokens.sign
	c.tokens.sign = func(audience, keyName string, key Key, expiry time.Time) string {
		signings.Add(1)
		return sign(audience, keyName, key, expiry)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := c.Send(ctx, appleNote(), push.Broadcast())
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, signings.Load(), "one token serves every send until it nears expiry")

	clock.Advance(tokenLifetime - tokenRefreshMargin)
	_, err := c.Send(ctx, appleNote(), push.Broadcast())
	require.NoError(t, err)
	assert.EqualValues(t, 2, signings.Load(), "a token near its expiry is replaced")
}

func TestCachedAuthorizationAllocatesNothing(t *testing.T) {
	c, _ := newTestClient(t, roundTripFunc(nil))
	c.authorization()
	allocs := testing.AllocsPerRun(1000, func() { c.authorization() })
	assert.Zero(t, allocs)
}

func TestLoggingLevels(t *testing.T) {
	tests := []struct {
		name     string
		level    slog.Level
		test     bool
		wantMsgs []string
	}{
		{name: "info: nothing per send", level: slog.LevelInfo, test: true},
		{name: "debug without test send: nothing", level: slog.LevelDebug},
		{name: "debug with test send: dump", level: slog.LevelDebug, test: true, wantMsgs: []string{"azurenh: request", "azurenh: response"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
				return respond(http.StatusCreated, testOutcome, createdHeader(n, c))
			})
			var h recordHandler
			h.level = tt.level
			c, _ := newTestClient(t, mock, WithLogger(slog.New(&h)), WithTestSend(tt.test))
			_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
			require.NoError(t, err)
			assert.Equal(t, tt.wantMsgs, h.messages())
		})
	}
}

func TestWarnsOnRetry(t *testing.T) {
	_, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
		if n == 1 {
			return errorResponse(http.StatusServiceUnavailable, "Busy.", nil)
		}
		return created(n, c)
	})
	var h recordHandler
	h.level = slog.LevelInfo
	c, _ := newTestClient(t, mock, WithLogger(slog.New(&h)), WithRetry(steadyRetry))
	_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.NoError(t, err)
	require.Equal(t, []string{"azurenh: retrying"}, h.messages())
	attrs := h.records[0]
	assert.Equal(t, slog.LevelWarn, attrs.Level)
	assert.Contains(t, h.text(), "attempt=2")
	assert.Contains(t, h.text(), "HTTP 503")
}

// recordHandler is a slog.Handler that keeps the records at or above level.
type recordHandler struct {
	level   slog.Level
	mu      sync.Mutex
	records []slog.Record
}

func (h *recordHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }
func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}
func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordHandler) WithGroup(string) slog.Handler      { return h }

func (h *recordHandler) messages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.records {
		out = append(out, r.Message)
	}
	return out
}

func (h *recordHandler) text() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var b strings.Builder
	for _, r := range h.records {
		r.Attrs(func(a slog.Attr) bool {
			b.WriteString(a.String() + " ")
			return true
		})
	}
	return b.String()
}
