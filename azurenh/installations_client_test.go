package azurenh

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// mgmtCase is a management call whose requests are compared, byte for byte,
// with testdata/mgmtwire/NAME.golden: method, URL, every header (the
// Authorization value checked again by HMAC math written in the tests), body.
type mgmtCase struct {
	name string
	// answer is the service's answer to the n-th request; nil answers 200 with
	// no body.
	answer func(n int, c captured) (*http.Response, error)
	// call makes the call and checks what it returned.
	call func(t *testing.T, ctx context.Context, c *Client)
	// debug turns on test sends and a debug logger, whose dump joins the golden
	// file; secret must then appear nowhere in it.
	debug  bool
	secret string
}

// runMgmtWire runs the cases, one subtest each.
func runMgmtWire(t *testing.T, cases []mgmtCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			answer := tc.answer
			if answer == nil {
				answer = answerStatus(http.StatusOK, "")
			}
			rec, mock := newRecorder(answer)
			var log bytes.Buffer
			var opts []Option
			if tc.debug {
				opts = append(opts, WithTestSend(true), WithLogger(debugLogger(&log)))
			}
			c, _ := newTestClient(t, mock, opts...)
			tc.call(t, context.Background(), c)
			reqs := rec.requests()
			require.NotEmpty(t, reqs)
			for _, r := range reqs {
				checkSAS(t, r.header.Get("Authorization"), clientStart.Add(tokenLifetime))
			}
			golden := wireText(reqs)
			if tc.debug {
				require.NotEmpty(t, log.String())
				golden += "\n==== log ====\n" + log.String()
			}
			if tc.secret != "" {
				assert.NotContains(t, log.String(), tc.secret, "the debug dump shows a secret")
			}
			checkGolden(t, filepath.Join("mgmtwire", tc.name+".golden"), golden)
		})
	}
}

// answerStatus answers every request with status and body, echoing the
// client's TrackingId as the service does.
func answerStatus(status int, body string, header ...string) func(int, captured) (*http.Response, error) {
	return func(_ int, c captured) (*http.Response, error) {
		h := map[string]string{"TrackingId": c.header.Get("TrackingId")}
		for i := 0; i+1 < len(header); i += 2 {
			h[header[i]] = header[i+1]
		}
		return respond(status, body, h)
	}
}

// answers answers the n-th request with the n-th answer (the last one after).
func answers(as ...func(int, captured) (*http.Response, error)) func(int, captured) (*http.Response, error) {
	return func(n int, c captured) (*http.Response, error) {
		return as[min(n, len(as))-1](n, c)
	}
}

// appleInstallation is an installation of every field a request carries.
func appleInstallation() Installation {
	return Installation{
		ID: "iphone-3f9c2a", UserID: "ada", Platform: InstallationAPNS, PushChannel: HandleChannel(apnsToken),
		Tags:          []string{"sports", "city_Boston"},
		PushVariables: map[string]string{"team": "RedSox"},
		Templates: map[string]InstallationTemplate{
			"goal": {Body: `{"aps":{"alert":"$(team) scored!"}}`, Headers: map[string]string{"apns-push-type": "alert"}, Tags: []string{"goals"}},
		},
	}
}

func TestInstallationsWire(t *testing.T) {
	stored := appleInstallation()
	stored.LastUpdate = new(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	storedJSON := string(must(marshalNoEscape(stored)))
	runMgmtWire(t, []mgmtCase{
		{name: "put_installation", call: func(t *testing.T, ctx context.Context, c *Client) {
			in := appleInstallation()
			in.LastUpdate = new(clientStart) // read-only: not sent
			require.NoError(t, c.PutInstallation(ctx, in))
		}},
		{name: "put_installation_browser", call: func(t *testing.T, ctx context.Context, c *Client) {
			require.NoError(t, c.PutInstallation(ctx, Installation{ID: "browser-7d1e", Platform: InstallationBrowser,
				PushChannel: BrowserChannel(push.BrowserSubscription{Endpoint: "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91",
					P256DH: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA", Auth: "tBHItJI5svbpez7KI4CCXg"}),
				Tags: []string{"news"}}))
		}},
		{name: "get_installation", answer: answerStatus(http.StatusOK, storedJSON, "Content-Type", "application/json"),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				got, err := c.GetInstallation(ctx, "iphone-3f9c2a")
				require.NoError(t, err)
				assert.Equal(t, stored, got)
			}},
		{name: "delete_installation", answer: answerStatus(http.StatusNoContent, ""), call: func(t *testing.T, ctx context.Context, c *Client) {
			require.NoError(t, c.DeleteInstallation(ctx, "iphone-3f9c2a"))
		}},
		{name: "patch_installation", call: func(t *testing.T, ctx context.Context, c *Client) {
			require.NoError(t, c.PatchInstallation(ctx, "iphone-3f9c2a", AddTag("breaking_news"), RemoveTag("sports"),
				SetUserID("grace"), AddTemplate("score", InstallationTemplate{Body: `{"aps":{"alert":"$(score)"}}`})))
		}},
		{name: "get_installation_escaped_id", answer: answerStatus(http.StatusOK, `{"installationId":"a b/c","platform":"fcmv1","pushChannel":"tok"}`),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				// An ID another SDK wrote: read it, path-escaped.
				got, err := c.GetInstallation(ctx, "a:b#c?d%e")
				require.NoError(t, err)
				assert.Equal(t, "a b/c", got.ID)
			}},
	})
}

func TestInstallationErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("invalid installations are refused before any I/O", func(t *testing.T) {
		rec, mock := newRecorder(nil)
		c, _ := newTestClient(t, mock)
		bad := appleInstallation()
		bad.Tags = append(bad.Tags, "$InstallationId:{x}")
		require.ErrorIs(t, c.PutInstallation(ctx, bad), push.ErrInvalidTarget)
		require.ErrorIs(t, c.PutInstallation(ctx, Installation{}), push.ErrInvalidTarget)
		_, err := c.GetInstallation(ctx, "")
		require.ErrorIs(t, err, push.ErrInvalidTarget)
		assert.Equal(t, opGetInstallation, pushError(t, err).Op)
		require.ErrorIs(t, c.DeleteInstallation(ctx, "a b"), push.ErrInvalidTarget)
		require.ErrorIs(t, c.PatchInstallation(ctx, "x"), push.ErrInvalidTarget, "an empty patch")
		require.ErrorIs(t, c.PatchInstallation(ctx, "x", AddTag("a b")), push.ErrInvalidTarget)
		require.ErrorIs(t, c.PatchInstallation(ctx, "", AddTag("a")), push.ErrInvalidTarget)
		assert.Empty(t, rec.requests())
	})
	t.Run("a missing installation is push.ErrNotFound", func(t *testing.T) {
		_, mock := newRecorder(func(int, captured) (*http.Response, error) {
			return errorResponse(http.StatusNotFound, "Installation not found.", nil)
		})
		c, _ := newTestClient(t, mock)
		_, err := c.GetInstallation(ctx, "gone")
		require.ErrorIs(t, err, push.ErrNotFound)
		e := pushError(t, err)
		assert.Equal(t, "azurenh: get installation", e.Op)
		assert.Equal(t, http.StatusNotFound, e.StatusCode)
		require.ErrorIs(t, c.PatchInstallation(ctx, "gone", AddTag("a")), push.ErrNotFound)
	})
	t.Run("an answer that does not parse", func(t *testing.T) {
		_, mock := newRecorder(answerStatus(http.StatusOK, `{"installationId":`))
		c, _ := newTestClient(t, mock)
		_, err := c.GetInstallation(ctx, "x")
		e := pushError(t, err)
		assert.Nil(t, e.Kind)
		assert.Equal(t, http.StatusOK, e.StatusCode)
		assert.Contains(t, e.Error(), "answer does not parse")
	})
	t.Run("writes are retried when their outcome is unknown", func(t *testing.T) {
		rec, mock := newRecorder(answers(answerStatus(http.StatusBadGateway, ""), answerStatus(http.StatusOK, "")))
		c, clock := newTestClient(t, mock, WithRetry(steadyRetry))
		require.NoError(t, c.PutInstallation(ctx, appleInstallation()))
		require.NoError(t, c.PatchInstallation(ctx, "x", AddTag("a")))
		require.NoError(t, c.DeleteInstallation(ctx, "x"))
		assert.Len(t, rec.requests(), 4)
		assert.Equal(t, []time.Duration{time.Second}, clock.Sleeps())
	})
}

// FuzzDecodeInstallation reads any answer of GET /installations/ID as the
// Client does: it must not panic, and what it reads writes out and reads back
// the same.
func FuzzDecodeInstallation(f *testing.F) {
	f.Add(`{"installationId":"a","platform":"Apns","pushChannel":"ab","tags":["x"],"lastUpdate":"2030-01-02T03:04:05.1234567"}`)
	f.Add(`{"installationId":"b","platform":"browser","pushChannel":{"endpoint":"https://e","p256dh":"k","auth":"a"},"pushChannelExpired":true}`)
	f.Add(`{"installationId":"c","platform":"wns","pushChannel":null,"templates":{"t":{"body":"<toast/>","headers":{"X-WNS-Type":"wns/toast"}}},"expirationTime":"9999-12-31T23:59:59.9999999Z"}`)
	f.Add(`{"pushChannel":1}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in Installation
		if json.Unmarshal([]byte(body), &in) != nil {
			return
		}
		out, err := marshalNoEscape(in)
		if err != nil {
			return // a time outside the years JSON can carry
		}
		var again Installation
		require.NoError(t, json.Unmarshal(out, &again), "%s", out)
		out2, err := marshalNoEscape(again)
		require.NoError(t, err)
		require.Equal(t, string(out), string(out2))
	})
}

// cannedTransport answers every request with 200 and the same body, without
// recording it.
type cannedTransport struct{ body string }

func newCannedTransport(body string) *cannedTransport { return &cannedTransport{body: body} }

func (t *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, ContentLength: int64(len(t.body)),
		Body: io.NopCloser(strings.NewReader(t.body)), Request: req}, nil
}

// BenchmarkPutInstallation validates, encodes and writes an installation.
func BenchmarkPutInstallation(b *testing.B) {
	c, _ := newTestClient(b, newCannedTransport(""))
	in := appleInstallation()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.PutInstallation(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
