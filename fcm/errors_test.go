package fcm_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/fcm/fcmtest"
)

// fcmError is FCM's error body with an FcmError detail (code "" for none).
func fcmError(status int, rpc, message, code string) string {
	details := ""
	if code != "" {
		details = fmt.Sprintf(`,"details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":%q}]`, code)
	}
	return fmt.Sprintf(`{"error":{"code":%d,"message":%q,"status":%q%s}}`, status, message, rpc, details)
}

// errorCases are FCM's error answers and what each must become.
var errorCases = []struct {
	name       string
	status     int
	body       string
	retryAfter string
	kind       error
	code       string
	wait       time.Duration
}{
	{"unregistered", 404, fcmError(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED"), "", push.ErrUnregistered, "UNREGISTERED", 0},
	{"invalid-token", 400, fcmError(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT"), "", push.ErrInvalidTarget, "INVALID_ARGUMENT", 0},
	{"invalid-payload", 400, `{"error":{"code":400,"message":"Invalid value at 'message.data[0].value' (TYPE_STRING), 12","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"message.data[0].value","description":"Invalid value at 'message.data[0].value' (TYPE_STRING), 12"}]}]}}`, "", push.ErrInvalidNotification, "INVALID_ARGUMENT", 0},
	{"invalid-topic-field", 400, `{"error":{"code":400,"message":"Invalid argument","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"message.topic","description":"bad"}]}]}}`, "", push.ErrInvalidTarget, "INVALID_ARGUMENT", 0},
	{"sender-id-mismatch", 403, fcmError(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH"), "", push.ErrForbidden, "SENDER_ID_MISMATCH", 0},
	{"quota-exceeded", 429, fcmError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED"), "17", push.ErrThrottled, "QUOTA_EXCEEDED", 17 * time.Second},
	{"unavailable", 503, fcmError(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE"), "Wed, 02 Jan 2030 03:05:05 GMT", push.ErrUnavailable, "UNAVAILABLE", time.Minute},
	{"internal", 500, fcmError(500, "INTERNAL", "Internal error encountered.", "INTERNAL"), "", push.ErrUnavailable, "INTERNAL", 0},
	{"third-party-auth", 401, fcmError(401, "UNAUTHENTICATED", "Auth error from APNS or Web Push Service", "THIRD_PARTY_AUTH_ERROR"), "", push.ErrForbidden, "THIRD_PARTY_AUTH_ERROR", 0},
	{"apns-auth-legacy", 401, fcmError(401, "UNAUTHENTICATED", "APNS auth error", "APNS_AUTH_ERROR"), "", push.ErrForbidden, "APNS_AUTH_ERROR", 0},
	{"unauthenticated", 401, fcmError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", ""), "", push.ErrUnauthorized, "UNAUTHENTICATED", 0},
	{"permission-denied", 403, fcmError(403, "PERMISSION_DENIED", "Firebase Cloud Messaging API has not been used in project 1 before or it is disabled.", ""), "", push.ErrForbidden, "PERMISSION_DENIED", 0},
	{"unspecified-falls-back-to-status", 500, fcmError(500, "INTERNAL", "x", ""), "", push.ErrUnavailable, "INTERNAL", 0},
	{"bad-gateway-html", 502, `<html><body>Bad Gateway</body></html>`, "", push.ErrOutcomeUnknown, "", 0},
	{"no-body-404", 404, ``, "", push.ErrNotFound, "NOT_FOUND", 0},
	{"teapot", 418, `I'm a teapot`, "", nil, "", 0},
}

var errorStart = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// TestErrors checks that each FCM error answer becomes the right sentinel,
// code and wait; the messages are in testdata/errors.golden.
func TestErrors(t *testing.T) {
	var lines []string
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			respond := func(*http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(tt.status, tt.body)
				if tt.retryAfter != "" {
					resp.Header.Set("Retry-After", tt.retryAfter)
				}
				return resp, nil
			}
			c, cap := mockClient(t, respond, fcm.WithRetry(push.RetryPolicy{MaxAttempts: 1}), fcm.WithClock(fixedClock{errorStart}))
			rec, err := c.Send(t.Context(), alert(), push.Device("t1"))
			require.Error(t, err)
			var e *push.Error
			require.True(t, errors.As(err, &e))
			if tt.kind != nil {
				assert.ErrorIs(t, err, tt.kind)
			} else {
				assert.Nil(t, e.Kind)
			}
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Equal(t, tt.wait, e.RetryAfter)
			require.Len(t, rec.Results, 1)
			assert.Equal(t, err, rec.Results[0].Err)
			wantRequests := 1
			if tt.code == "UNAUTHENTICATED" {
				wantRequests = 2 // once more with a fresh token
			}
			assert.Equal(t, wantRequests, cap.count())
			lines = append(lines, tt.name+": "+err.Error())
		})
	}
	golden(t, "errors", strings.Join(lines, "\n")+"\n")
}

// TestErrorsFromTheEmulator makes the emulator give each error it can, and
// checks the client classifies it as it does FCM's.
func TestErrorsFromTheEmulator(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*fcmtest.Server) string // returns the token to send to
		kind  error
		code  string
	}{
		{"unregistered", func(s *fcmtest.Server) string { tok := s.NewToken(); s.Unregister(tok); return tok }, push.ErrUnregistered, "UNREGISTERED"},
		{"other-sender", func(s *fcmtest.Server) string {
			tok := s.NewToken()
			s.SetToken(tok, fcmtest.TokenOtherSender)
			return tok
		}, push.ErrForbidden, "SENDER_ID_MISMATCH"},
		{"third-party-auth", func(s *fcmtest.Server) string {
			tok := s.NewToken()
			s.SetToken(tok, fcmtest.TokenNoThirdPartyAuth)
			return tok
		}, push.ErrForbidden, "THIRD_PARTY_AUTH_ERROR"},
		{"invalid-token", func(*fcmtest.Server) string { return "not/a/token" }, push.ErrInvalidTarget, "INVALID_ARGUMENT"},
		{"quota", func(s *fcmtest.Server) string {
			s.Fail(fcmtest.Fault{Status: 429, RetryAfter: 3 * time.Second})
			return s.NewToken()
		}, push.ErrThrottled, "QUOTA_EXCEEDED"},
		{"internal", func(s *fcmtest.Server) string { s.Fail(fcmtest.Fault{Status: 500}); return s.NewToken() }, push.ErrUnavailable, "INTERNAL"},
		{"unavailable", func(s *fcmtest.Server) string { s.Fail(fcmtest.Fault{Status: 503}); return s.NewToken() }, push.ErrUnavailable, "UNAVAILABLE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, fcm.WithRetry(push.RetryPolicy{MaxAttempts: 1}))
			tok := tt.setup(srv)
			_, err := c.Send(t.Context(), alert(), push.Device(tok))
			require.ErrorIs(t, err, tt.kind)
			var e *push.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tt.code, e.Code)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.code, reqs[0].Code)
		})
	}
}

// TestErrorsRefusedPayloadFromTheEmulator: a bad field is the message's
// fault, not the token's.
func TestErrorsRefusedPayloadFromTheEmulator(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv)
	// The core accepts unknown fields; the emulator, like FCM, does not.
	n := must(push.NewNotification(push.FCMV1, []byte(`{"message":{"notification":{"titel":"typo"}}}`), nil))
	_, err := c.Send(t.Context(), n, push.Device(srv.NewToken()))
	require.ErrorIs(t, err, push.ErrInvalidNotification)
	assert.NotErrorIs(t, err, push.ErrInvalidTarget, "a bad payload does not condemn the token")
	assert.Contains(t, err.Error(), "titel")
}

func TestErrorsRedactWhatAServerEchoes(t *testing.T) {
	echo := func(r *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(400, fcmError(400, "INVALID_ARGUMENT", "bad request from "+r.Header.Get("Authorization")+
			" and eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl", "")), nil
	}
	c, _ := mockClient(t, echo)
	_, err := c.Send(t.Context(), alert(), push.Device("t1"))
	require.Error(t, err)
	for _, s := range []string{testAccessToken, "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"} {
		assert.NotContains(t, err.Error(), s)
		assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), s)
	}
	assert.Contains(t, err.Error(), "REDACTED")
}

// TestErrorsRedactAClippedEchoOfTheToken checks that part of the access
// token is removed too: a server that clips what it echoes sends a run too
// short to look like a token.
func TestErrorsRedactAClippedEchoOfTheToken(t *testing.T) {
	echo := func(r *http.Request) (*http.Response, error) {
		clipped := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")[:16]
		return httpmock.NewStringResponse(401, fcmError(401, "UNAUTHENTICATED", "token "+clipped+" (clipped) is not valid", "")), nil
	}
	c, _ := mockClient(t, echo)
	_, err := c.Send(t.Context(), alert(), push.Device("t1"))
	require.ErrorIs(t, err, push.ErrUnauthorized)
	assert.NotContains(t, err.Error(), testAccessToken[:12])
	assert.Contains(t, err.Error(), "FCM said: token REDACTED (clipped) is not valid", "only the echo is removed")
}

// TestErrorsDropACodeThatIsNoCode checks that a status or an error code that
// is not a code word (a hostile server's echo of the token) is not shown: the
// error carries the code of the HTTP status instead.
func TestErrorsDropACodeThatIsNoCode(t *testing.T) {
	for name, body := range map[string]func(token string) string{
		"status":     func(tok string) string { return fcmError(400, tok, "bad", "") },
		"error code": func(tok string) string { return fcmError(400, "INVALID_ARGUMENT", "bad", tok) },
		"lower case": func(string) string { return fcmError(400, "invalid_argument", "bad", "") },
	} {
		t.Run(name, func(t *testing.T) {
			echo := func(r *http.Request) (*http.Response, error) {
				return httpmock.NewStringResponse(400, body(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))), nil
			}
			c, _ := mockClient(t, echo)
			_, err := c.Send(t.Context(), alert(), push.Device("t1"))
			var e *push.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, fcm.CodeInvalidArgument, e.Code)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), testAccessToken)
		})
	}
}

// fixedClock reads one time; Sleep returns at once.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time                                 { return c.t }
func (fixedClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
