package fcm_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// testAccessToken is the access token of the wire tests: a static source,
// so that no token endpoint is needed.
const testAccessToken = "ya29.wire-test-access-token"

// captured is what a mock transport received.
type captured struct {
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
}

func (c *captured) add(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs = append(c.reqs, r)
	c.body = append(c.body, b)
}

func (c *captured) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.reqs)
}

// mockClient returns a Client on an httpmock transport that answers each
// request with respond, and what it captured.
func mockClient(t *testing.T, respond func(*http.Request) (*http.Response, error), opts ...fcm.Option) (*fcm.Client, *captured) {
	cap := &captured{}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		cap.add(r)
		return respond(r)
	})
	base := []fcm.Option{
		fcm.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testAccessToken, TokenType: "Bearer"})),
		fcm.WithHTTPClient(&http.Client{Transport: mt}),
	}
	c, err := fcm.New(t.Context(), "my-project", append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, cap
}

func accept(*http.Request) (*http.Response, error) {
	return httpmock.NewStringResponse(http.StatusOK, `{"name":"projects/my-project/messages/0:1500415314455276%31bd1c9631bd1c96"}`), nil
}

// dump writes a request as the golden files hold it: the request line, the
// headers sorted, a blank line, the body.
func dump(r *http.Request, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL)
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range r.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(body)
	b.WriteString("\n")
	return b.String()
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./fcm -update to write it")
	assert.Equal(t, string(want), got, "differs from %s (go test ./fcm -update rewrites it; review the diff)", path)
}

const wireToken = "cXkX0wU1T0m:APA91bGolden_token-1"

// wireCases are the sends whose requests are checked byte for byte.
var wireCases = []struct {
	name   string
	to     push.Target
	dryRun bool
}{
	{"wire-token", push.Device(wireToken), false},
	{"wire-topic", push.Tags("sports"), false},
	{"wire-topic-installation", push.Installation("2b0f0e2c-8d3c-4a55-9d5e-0f4f1c2e9a11"), false},
	{"wire-condition", push.Expression("(follows_RedSox || follows_Cardinals) && location_Boston && !muted"), false},
	{"wire-dry-run-token", push.Device(wireToken), true},
	{"wire-dry-run-condition", push.Tags("sports", "politics"), true},
}

// TestWire checks each kind of send on the wire against its golden file,
// then makes it against the emulator, which must accept it and read it back
// as the Envelope the core rendered.
func TestWire(t *testing.T) {
	for _, tt := range wireCases {
		t.Run(tt.name, func(t *testing.T) {
			c, cap := mockClient(t, accept, fcm.WithDryRun(tt.dryRun))
			rec, err := c.Send(t.Context(), alert(), tt.to)
			require.NoError(t, err)
			assert.Equal(t, "projects/my-project/messages/0:1500415314455276%31bd1c9631bd1c96", rec.ID)
			require.Equal(t, 1, cap.count())
			wire := dump(cap.reqs[0], cap.body[0])
			golden(t, tt.name, strings.ReplaceAll(wire, testAccessToken, "ACCESS_TOKEN"))

			srv := newServer(t, fcmtestProject("my-project"))
			ec := newClient(t, srv, fcm.WithDryRun(tt.dryRun))
			_, err = ec.Send(t.Context(), alert(), tt.to)
			require.NoError(t, err)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			require.True(t, reqs[0].Accepted(), reqs[0].Error)
			assert.Equal(t, tt.dryRun, reqs[0].ValidateOnly)
			assert.Equal(t, string(cap.body[0]), string(reqs[0].Body), "the emulator received the bytes of the golden file")
			got, err := readEnvelope(reqs[0])
			require.NoError(t, err)
			want, err := push.Render(alert(), tt.to)
			require.NoError(t, err)
			assert.Equal(t, string(want.Body), string(got.Body), "the body is the core's bytes plus the target")
			assert.Equal(t, want.Devices, got.Devices)
			assert.Equal(t, canonical(t, want.Tags), canonical(t, got.Tags))
			if tt.dryRun {
				assert.Empty(t, srv.Messages(), "a dry run delivers nothing")
			}
		})
	}
}

func canonical(t *testing.T, expr string) string {
	if expr == "" {
		return ""
	}
	e, err := push.ParseExpression(expr)
	require.NoError(t, err)
	return e.String()
}

// TestWireInsertsTheTargetIntoAnyMessage checks bodies the core accepts in
// other shapes than push.FCMMessage writes: spaces, an empty message,
// whitespace before the object, in a send and in a dry run. The emulator
// must accept each.
func TestWireInsertsTheTargetIntoAnyMessage(t *testing.T) {
	tests := []struct {
		body, want string
		dryRun     bool
	}{
		{`{"message":{}}`, `{"message":{"token":"t1"}}`, false},
		{`{ "message" : { "data" : {"a":"b"} } }`, `{ "message" : {"token":"t1", "data" : {"a":"b"} } }`, false},
		{"{\n  \"message\": {\n  }\n}", "{\n  \"message\": {\"token\":\"t1\"\n  }\n}", false},
		{`{"\u006dessage":{"data":{}}}`, `{"\u006dessage":{"token":"t1","data":{}}}`, false},
		{` {"message":{}}`, ` {"message":{"token":"t1"}}`, false},
		{`{"message":{}}`, `{"validate_only":true,"message":{"token":"t1"}}`, true},
		{"\n\t {\"message\":{}}", "\n\t {\"validate_only\":true,\"message\":{\"token\":\"t1\"}}", true},
		{`{ "message" : {"data":{}} }`, `{"validate_only":true, "message" : {"token":"t1","data":{}} }`, true},
	}
	for _, tt := range tests {
		n := must(push.NewNotification(push.FCMV1, []byte(tt.body), nil))
		c, cap := mockClient(t, accept, fcm.WithDryRun(tt.dryRun))
		_, err := c.Send(t.Context(), n, push.Device("t1"))
		require.NoError(t, err, tt.body)
		assert.Equal(t, tt.want, string(cap.body[0]))

		srv := newServer(t, fcmtestProject("my-project"))
		ec := newClient(t, srv, fcm.WithDryRun(tt.dryRun))
		_, err = ec.Send(t.Context(), n, push.Device("t1"))
		require.NoError(t, err, "the emulator refused %q", tt.want)
		require.Len(t, srv.Requests(), 1)
		assert.Equal(t, tt.dryRun, srv.Requests()[0].ValidateOnly, tt.want)
	}
}

func TestWireRefusesAMessageThatNamesItsTarget(t *testing.T) {
	for _, body := range []string{
		`{"message":{"token":"x","data":{}}}`,
		`{"message":{"data":{},"topic":"news"}}`,
		`{"message":{"condition":"'a' in topics"}}`,
		`{"message":{"fid":"f"}}`,
		`{"message":{"data":{}},"message":{"data":{}}}`,
		`{"message":null}`,
	} {
		c, cap := mockClient(t, accept)
		_, err := c.Send(t.Context(), must(push.NewNotification(push.FCMV1, []byte(body), nil)), push.Device("t1"))
		assert.ErrorIs(t, err, push.ErrInvalidNotification, body)
		assert.Zero(t, cap.count(), "refused before any I/O")
	}
}

func TestWireRefusesPlatformHeaders(t *testing.T) {
	c, cap := mockClient(t, accept)
	n := must(push.NewNotification(push.FCMV1, []byte(alertBody), http.Header{"X-Custom": {"1"}}))
	_, err := c.Send(t.Context(), n, push.Device("t1"))
	assert.ErrorIs(t, err, push.ErrInvalidNotification)
	assert.Zero(t, cap.count())
}

func TestWireRefusesATopicMessageOverTheTopicLimit(t *testing.T) {
	c, cap := mockClient(t, accept)
	big := `{"message":{"data":{"a":"` + strings.Repeat("x", fcm.MaxTopicMessageSize) + `"}}}`
	n := must(push.NewNotification(push.FCMV1, []byte(big), nil))
	_, err := c.Send(t.Context(), n, push.Tags("news"))
	assert.ErrorIs(t, err, push.ErrPayloadTooLarge)
	assert.Zero(t, cap.count())
	_, err = c.Send(t.Context(), n, push.Device("t1"))
	assert.NoError(t, err, "a token takes up to 4096 bytes")
}

func TestWireRefusesABroadcast(t *testing.T) {
	c, cap := mockClient(t, accept)
	_, err := c.Send(t.Context(), alert(), push.Broadcast())
	require.ErrorIs(t, err, push.ErrUnsupported)
	assert.Contains(t, err.Error(), "topic")
	_, err = c.Send(t.Context(), must(push.AppleNotification(`{"aps":{}}`)), push.Device("t1"))
	assert.ErrorIs(t, err, push.ErrUnsupported, "FCM takes fcmv1 only")
	assert.Zero(t, cap.count())
}

func TestWireSendsEachTokenOnce(t *testing.T) {
	c, cap := mockClient(t, accept, fcm.WithConcurrency(3))
	tokens := []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7"}
	rec, err := c.Send(t.Context(), alert(), push.Devices(tokens...))
	require.NoError(t, err)
	require.Len(t, rec.Results, len(tokens))
	var sent []string
	for i, b := range cap.body {
		require.True(t, bytes.HasPrefix(b, []byte(`{"message":{"token":"`)), "request %d: %s", i, b)
		sent = append(sent, string(b[len(`{"message":{"token":"`):bytes.IndexByte(b[len(`{"message":{"token":"`):], '"')+len(`{"message":{"token":"`)]))
	}
	slices.Sort(sent)
	assert.Equal(t, tokens, sent)
	for i, r := range rec.Results {
		assert.Equal(t, tokens[i], r.Handle)
		assert.NotEmpty(t, r.ID)
	}
}
