package azurenh

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
	"github.com/pushwire/push/pushtest"
	pushrecorder "github.com/pushwire/push/recorder"
)

// The tests of this file play a hostile or broken server: one that
// redirects, echoes the credentials, drips its answer, or serves a
// certificate nobody trusts.

// TestRedirectsAreNeverFollowed checks that a 3xx is an error naming where it
// pointed, whatever the caller's *http.Client would do with it, and that the
// request goes nowhere else.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusCreated)
	}))
	defer other.Close()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, jar := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d, jar %v", status, jar), func(t *testing.T) {
				srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					io.Copy(io.Discard, r.Body)
					w.Header().Set("Location", other.URL+"/elsewhere")
					w.WriteHeader(status)
				}))
				defer srv.Close()
				// A client that follows redirects, as http.Client does by
				// default; with a jar, requests go through it, not straight
				// to its transport.
				hc := &http.Client{Transport: srv.Client().Transport}
				if jar {
					hc.Jar, _ = cookiejar.New(nil)
				}
				defer hc.CloseIdleConnections()
				c, _ := serverClient(t, srv, WithHTTPClient(hc), WithRetry(steadyRetry))

				_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
				require.Error(t, err)
				e := pushError(t, err)
				assert.Equal(t, status, e.StatusCode)
				assert.Nil(t, e.Kind, "a redirect is a misconfigured endpoint: no sentinel, not retried")
				assert.Contains(t, e.Detail, other.URL+"/elsewhere", "the error names where the redirect pointed")
				assert.Zero(t, e.Attempts, "not retried")
				assert.Zero(t, elsewhere.Load(), "the request, and its Authorization, went nowhere else")
			})
		}
	}
}

// echoServer answers every request with status and an Error body, and
// headers, that repeat the request's Authorization header in several forms,
// the way a broken proxy or a hostile server might.
func echoServer(t *testing.T, status int) *httptest.Server {
	return httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		auth := r.Header.Get("Authorization")
		sig := signatureOf(auth)
		w.Header().Set("X-Echo", auth)
		w.Header().Set("TrackingId", "t-"+sig)
		w.Header().Set("Location", "https://"+r.Host+"/myhub/messages/"+url.PathEscape(sig)+"?api-version=2020-06")
		w.Header().Set("x-ms-correlation-request-id", sig)
		if status == http.StatusCreated { // a test send's outcome, naming the token as the handle
			w.WriteHeader(status)
			fmt.Fprintf(w, `<NotificationOutcome><Success>1</Success><Failure>0</Failure><Results><RegistrationResult>`+
				`<ApplicationPlatform>apple</ApplicationPlatform><PnsHandle>%s</PnsHandle><RegistrationId>%s</RegistrationId>`+
				`<Outcome>%s</Outcome></RegistrationResult></Results></NotificationOutcome>`, sig, url.QueryEscape(sig), xmlEscape(auth))
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		jsonSig := strings.NewReplacer("/", `\/`, "+", `\u002B`).Replace(sig)
		fmt.Fprintf(w, "<Error><Code>%d</Code><Detail>Bad token %s, also as %s and %s, key %s.\nTrackingId:%s,TimeStamp:1/2/2030 3:04:05 AM</Detail></Error>",
			status, xmlEscape(auth), url.QueryEscape(sig), jsonSig, clientKey, sig)
	}))
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// TestEchoedTokenCannotLeak checks that nothing the Client emits (the error,
// each retry's warning, the debug dump, the recorder's JSON lines, the
// Receipt) repeats the key or a token signature, whatever the server echoed.
func TestEchoedTokenCannotLeak(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusInternalServerError, http.StatusUnauthorized, http.StatusCreated} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := echoServer(t, status)
			defer srv.Close()
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, clock := serverClient(t, srv, WithRetry(steadyRetry), WithLogger(logger), WithTestSend(status == http.StatusCreated))
			var lines bytes.Buffer
			rec := pushrecorder.New(c, pushrecorder.WithJSONLines(&lines))

			sigs := []string{signatureOf(c.authorization()[0])}
			receipt, err := rec.Send(context.Background(), appleNote(), push.Tags("sports"))
			clock.Advance(time.Hour) // a new token: the old one's signature must stay hidden too
			sigs = append(sigs, signatureOf(c.authorization()[0]))
			receipt2, err2 := rec.Send(context.Background(), appleNote(), push.Tags("sports"))
			require.NotEqual(t, sigs[0], sigs[1])

			emitted := []string{logs.String(), lines.String(), fmt.Sprintf("%v %+v %#v", receipt, receipt, receipt), fmt.Sprintf("%+v", receipt2)}
			for _, err := range []error{err, err2} {
				if status == http.StatusCreated {
					require.NoError(t, err)
					continue
				}
				require.Error(t, err)
				e := pushError(t, err)
				emitted = append(emitted, err.Error(), fmt.Sprintf("%+v %#v", err, err), e.Detail, e.Code, e.TrackingID)
			}
			for _, out := range emitted {
				assertNoSecret(t, out, sigs...)
			}
			assert.Contains(t, logs.String()+lines.String()+emitted[len(emitted)-1], "REDACTED", "what was echoed shows where it was removed")
		})
	}
}

// TestClippedEchoCannotLeak answers with parts of the token's signature and
// of the key, as a server that clips what it echoes would: the error shows
// neither.
func TestClippedEchoCannotLeak(t *testing.T) {
	var sig atomic.Value
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		s := signatureOf(r.Header.Get("Authorization"))
		sig.Store(s)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "<Error><Code>401</Code><Detail>Token %s... or key %s... refused.</Detail></Error>", url.QueryEscape(s)[:20], clientKey[4:20])
	}))
	defer srv.Close()
	c, _ := serverClient(t, srv, WithRetry(push.RetryPolicy{MaxAttempts: 1}))
	_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	e := pushError(t, err)
	s := sig.Load().(string)
	for _, out := range []string{err.Error(), fmt.Sprintf("%+v %#v", err, err), e.Detail} {
		assert.NotContains(t, out, url.QueryEscape(s)[:httpx.MinFragment])
		assert.NotContains(t, out, clientKey[4:4+httpx.MinFragment])
	}
	assert.Contains(t, e.Detail, "Token REDACTED or key REDACTED refused.")
}

// assertNoSecret fails if text holds the test key or one of sigs, in any
// form an echo may take.
func assertNoSecret(t *testing.T, text string, sigs ...string) {
	t.Helper()
	for _, secret := range append([]string{clientKey}, sigs...) {
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ReplaceAll(secret, "/", `\/`)} {
			if strings.Contains(text, form) {
				t.Fatalf("%q shows a secret (%q)", text, form)
			}
		}
		alnum := longestRun(secret)
		assert.NotContains(t, text, alnum, "no part of a secret shows")
	}
}

func longestRun(s string) string {
	best, cur := "", ""
	for i := 0; i < len(s); i++ {
		if isAlnum(s[i]) {
			cur += s[i : i+1]
			if len(cur) > len(best) {
				best = cur
			}
		} else {
			cur = ""
		}
	}
	return best
}

// TestUntrustedCertificateFailsAtOnce checks that a certificate the client
// does not trust is a configuration error: not retried, no sentinel that
// says "try again", and a hint about trusting the emulator's certificate.
func TestUntrustedCertificateFailsAtOnce(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusCreated)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	defer srv.Close()
	conn := "Endpoint=sb://" + srv.Listener.Addr().String() + "/;SharedAccessKeyName=" + clientKeyName + ";SharedAccessKey=" + clientKey
	clock := pushtest.NewClock(clientStart)
	c, err := New(conn, clientHub, WithClock(clock), WithRetry(steadyRetry)) // its own client: the system's roots
	require.NoError(t, err)
	defer c.Close()

	_, err = c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.Error(t, err)
	e := pushError(t, err)
	assert.Nil(t, e.Kind)
	assert.False(t, push.Retryable(err))
	assert.Empty(t, clock.Sleeps(), "not retried")
	assert.Contains(t, e.Detail, "certificate is not trusted")
	assert.Contains(t, e.Detail, "emulator")
	assert.Zero(t, n.Load())
}

// TestAttemptTimeoutBoundsADrippingBody checks that an answer whose body
// comes a byte at a time is cut off by the attempt timeout, and that the
// error says so.
func TestAttemptTimeoutBoundsADrippingBody(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusCreated)
		rc := http.NewResponseController(w)
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			rc.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	defer close(stop)
	c, _ := serverClient(t, srv, WithAttemptTimeout(50*time.Millisecond), WithTestSend(true), WithRetry(push.RetryPolicy{}))

	_, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.Error(t, err, "a test send reads its outcome, which never ends")
	e := pushError(t, err)
	assert.Contains(t, e.Detail, "attempt timeout of 50ms")
	assert.Equal(t, http.StatusCreated, e.StatusCode)
}

// TestAttemptTimeoutBoundsTheHeaders checks that a server that never answers
// is given up on after the attempt timeout, as a retryable failure when the
// request was not taken in.
func TestAttemptTimeoutBoundsTheHeaders(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-stop // never answer: a handler that returned would answer 200
	}))
	defer srv.Close()
	defer close(stop)
	c, clock := serverClient(t, srv, WithAttemptTimeout(50*time.Millisecond), WithRetry(steadyRetry))

	err := c.Cancel(context.Background(), "42")
	require.Error(t, err)
	e := pushError(t, err)
	assert.ErrorIs(t, err, push.ErrUnavailable)
	assert.Contains(t, e.Detail, "attempt timeout of 50ms")
	assert.Equal(t, steadyRetry.MaxAttempts, e.Attempts, "a cancel is idempotent: each attempt timed out and was retried")
	assert.Len(t, clock.Sleeps(), steadyRetry.MaxAttempts-1)
}

// TestBadIDSourceIsAConfigurationError checks that a WithIDs source whose
// value cannot be a header is refused before any I/O, without retries.
func TestBadIDSourceIsAConfigurationError(t *testing.T) {
	for _, id := range []string{"", "has space", "new\nline", "ünicode", strings.Repeat("x", 101), "quote\"d"} {
		t.Run(id, func(t *testing.T) {
			rec, mock := newRecorder(nil)
			c, clock := newTestClient(t, mock, WithIDs(func() string { return id }), WithRetry(steadyRetry))
			for _, to := range []push.Target{push.Tags("sports"), push.Devices("a", "b")} {
				_, err := c.Send(context.Background(), appleNote(), to)
				require.Error(t, err)
				e := pushError(t, err)
				assert.Nil(t, e.Kind)
				assert.Contains(t, e.Detail, "WithIDs")
			}
			assert.Empty(t, rec.requests(), "nothing was sent")
			assert.Empty(t, clock.Sleeps(), "nothing was retried")
		})
	}
}

// TestCloseReleasesIdleConnections checks that after 1000 concurrent sends
// and Close no goroutine of the Client's connections is left.
func TestCloseReleasesIdleConnections(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusCreated)
	}))
	srv.StartTLS()
	defer srv.Close()
	before, n := goleak.IgnoreCurrent(), runtime.NumGoroutine()
	c, _ := serverClient(t, srv, WithHTTPClient(&http.Client{Transport: benchTransport(srv)}))
	ctx := context.Background()
	errs := make(chan error, 1000)
	for range 1000 {
		go func() {
			_, err := c.Send(ctx, appleNote(), push.Tags("sports"))
			errs <- err
		}()
	}
	for range 1000 {
		require.NoError(t, <-errs)
	}
	require.Greater(t, runtime.NumGoroutine(), n+100, "the sends left connections open, idle")
	require.NoError(t, c.Close())
	assert.NoError(t, goleak.Find(before), "after Close, no goroutine of a connection is left")
}
