package webpush_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/webpush"
)

// mockClient returns a Client whose requests go to respond, and a
// subscription at push.example.net.
func mockClient(t *testing.T, respond httpmock.Responder, opts ...webpush.Option) (*webpush.Client, push.BrowserSubscription) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(respond)
	c, err := webpush.New(testKey(t), "mailto:ops@example.com",
		append([]webpush.Option{webpush.WithHTTPClient(&http.Client{Transport: mt}), webpush.WithClock(newEnvClock())}, opts...)...)
	require.NoError(t, err)
	sub, err := webpush.ParseSubscription([]byte(`{"endpoint":"https://push.example.net/push/1","keys":{"p256dh":"` +
		"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4" + `","auth":"BTBZMqHH6r4Tts7J_aSIgg"}}`))
	require.NoError(t, err)
	return c, sub
}

// TestHostileEcho answers every message by echoing its Authorization back, in
// the body and in a header, and checks that no error or result shows it.
func TestHostileEcho(t *testing.T) {
	var token atomic.Value
	echo := func(status int) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			auth := r.Header.Get("Authorization")
			token.Store(auth)
			resp := httpmock.NewStringResponse(status, `{"message":"your token `+auth+` is bad","reason":"`+auth+`"}`)
			resp.Header.Set("Location", "https://push.example.net/m/"+auth)
			resp.Header.Set("Retry-After", "1")
			return resp, nil
		}
	}
	for _, status := range []int{201, 400, 401, 403, 429, 500} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c, sub := mockClient(t, echo(status), webpush.WithRetry(push.RetryPolicy{MaxAttempts: 1}))
			r, err := c.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(sub))
			auth := token.Load().(string)
			jwt := strings.TrimSuffix(strings.TrimPrefix(auth, "vapid t="), ", k="+testPublicKey)
			sig := jwt[strings.LastIndexByte(jwt, '.')+1:]
			for _, out := range []string{fmt.Sprint(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%+v", r)} {
				assert.NotContains(t, out, sig)
			}
			if status != 201 {
				require.Error(t, err)
			}
		})
	}
}

// TestHostileClippedEcho echoes a part of the token's signature, as a server
// that clips what it echoes would, in the body and in Location.
func TestHostileClippedEcho(t *testing.T) {
	var part atomic.Value
	echo := func(status int) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			auth := strings.TrimSuffix(r.Header.Get("Authorization"), ", k="+testPublicKey)
			clipped := auth[strings.LastIndexByte(auth, '.')+1:][8:40]
			part.Store(clipped)
			resp := httpmock.NewStringResponse(status, `{"message":"signature `+clipped+`... is bad","reason":"`+clipped+`"}`)
			resp.Header.Set("Location", "https://push.example.net/m/"+clipped)
			return resp, nil
		}
	}
	for _, status := range []int{201, 403} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c, sub := mockClient(t, echo(status), webpush.WithRetry(push.RetryPolicy{MaxAttempts: 1}))
			r, err := c.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(sub))
			clipped := part.Load().(string)
			for _, out := range []string{fmt.Sprint(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%+v", r)} {
				assert.NotContains(t, out, clipped[:12])
			}
			if status == 201 {
				require.NoError(t, err)
				assert.Equal(t, "https://push.example.net/m/REDACTED", r.Results[0].ID)
			}
		})
	}
}

// TestRedirectNotFollowed checks that a 3xx is reported, not followed.
func TestRedirectNotFollowed(t *testing.T) {
	var n atomic.Int32
	c, sub := mockClient(t, func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		resp := httpmock.NewStringResponse(http.StatusTemporaryRedirect, "")
		resp.Header.Set("Location", "https://elsewhere.example/")
		return resp, nil
	})
	_, err := c.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(sub))
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Nil(t, pe.Kind)
	assert.Equal(t, http.StatusTemporaryRedirect, pe.StatusCode)
	assert.Contains(t, pe.Detail, `redirected the request to "https://elsewhere.example/"`)
	assert.Equal(t, int32(1), n.Load())
}

// TestTransportErrorBeforeWrite checks that a request that could not be sent
// is retryable, and retried.
func TestTransportErrorBeforeWrite(t *testing.T) {
	var n atomic.Int32
	c, sub := mockClient(t, func(r *http.Request) (*http.Response, error) {
		if n.Add(1) < 3 {
			return nil, errors.New("connection refused")
		}
		io.Copy(io.Discard, r.Body)
		return httpmock.NewStringResponse(http.StatusCreated, ""), nil
	})
	_, err := c.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(sub))
	require.NoError(t, err)
	assert.Equal(t, int32(3), n.Load())
}

// TestUnexpectedStatus reports a status no push service documents with no
// kind, and the status.
func TestUnexpectedStatus(t *testing.T) {
	c, sub := mockClient(t, httpmock.NewStringResponder(http.StatusTeapot, "short and stout"))
	_, err := c.Send(context.Background(), browser(t, hello, nil), push.BrowserDevice(sub))
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Nil(t, pe.Kind)
	assert.Equal(t, "webpush: send: the push service answered with the unexpected status 418 I'm a teapot; the push service said: short and stout (HTTP 418)", err.Error())
}
