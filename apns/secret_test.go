package apns_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

// hostile is an HTTP/2 server that echoes the provider token back wherever
// an answer can carry text: the reason, apns-id, apns-unique-id.
func hostile(t *testing.T, status int) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		jwt := strings.TrimPrefix(r.Header.Get("Authorization"), "bearer ")
		w.Header().Set("apns-id", jwt)
		w.Header().Set("apns-unique-id", r.Header.Get("Authorization"))
		w.Header().Set("Location", "https://evil.example/"+jwt[strings.LastIndexByte(jwt, '.')+1:])
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"reason":%q,"detail":%q}`, r.Header.Get("Authorization"), jwt)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestAHostileServerNeverSeesItsEchoInErrorsOrLogs(t *testing.T) {
	for _, status := range []int{200, 307, 400, 403, 410, 500} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := hostile(t, status)
			emu := apnstest.NewServer()
			defer emu.Close()
			k := emu.Key()
			key, err := apns.ParseKey(k.PEM)
			require.NoError(t, err)
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, err := apns.New(apns.Production, apns.Token(key, k.KeyID, k.TeamID), apns.WithTopic("com.example.app"),
				apns.WithEndpoint(srv.URL), apns.WithHTTPClient(srv.Client()), apns.WithLogger(logger),
				apns.WithRetry(push.RetryPolicy{MaxAttempts: 2}))
			require.NoError(t, err)
			r, err := c.Send(t.Context(), alert(), push.Devices(device(1), device(2)))
			jwt := apns.CurrentToken(c)
			sig := jwt[strings.LastIndexByte(jwt, '.')+1:]
			var outputs []string
			for _, verb := range []string{"%v", "%+v", "%#v"} {
				outputs = append(outputs, fmt.Sprintf(verb, err), fmt.Sprintf(verb, r), fmt.Sprintf(verb, c))
			}
			outputs = append(outputs, logs.String())
			for _, o := range outputs {
				assert.NotContains(t, o, sig)
			}
			for _, res := range r.Results {
				assert.NotContains(t, res.ID+res.TrackingID, sig)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTransportErrorsAreScrubbed makes the transport fail with an error that
// quotes the token, as a GOAWAY's debug data could.
func TestTransportErrorsAreScrubbed(t *testing.T) {
	f := newFixture(t)
	echo := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("http2: server sent GOAWAY; debug=" + r.Header.Get("Authorization"))
	})
	c := newClient(t, f.srv, f.clock, apns.WithHTTPClient(&http.Client{Transport: echo}), apns.WithRetry(push.RetryPolicy{MaxAttempts: 1}))
	_, err := c.Send(t.Context(), alert(), push.Device(device(1)))
	require.ErrorIs(t, err, push.ErrUnavailable)
	jwt := apns.CurrentToken(c)
	assert.NotContains(t, err.Error(), jwt[strings.LastIndexByte(jwt, '.')+1:])
	assert.Contains(t, err.Error(), "debug=bearer REDACTED")
	assert.NotContains(t, fmt.Sprintf("%#v", err), jwt[strings.LastIndexByte(jwt, '.')+1:])
}
