package webpush

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pushwire/push"
)

func TestStatusTable(t *testing.T) {
	for status, want := range map[int]error{
		400: push.ErrInvalidNotification,
		401: push.ErrUnauthorized,
		403: push.ErrUnauthorized,
		404: push.ErrUnregistered,
		410: push.ErrUnregistered,
		411: push.ErrInvalidNotification,
		413: push.ErrPayloadTooLarge,
		429: push.ErrThrottled,
		500: push.ErrUnavailable,
		502: push.ErrUnavailable,
		503: push.ErrUnavailable,
		504: push.ErrUnavailable,
		599: push.ErrUnavailable,
		405: nil,
		418: nil,
	} {
		m := statusMeaningOf(status)
		assert.Equal(t, want, m.kind, "status %d", status)
		assert.NotEmpty(t, m.text, "status %d", status)
	}
	assert.Contains(t, statusMeaningOf(418).text, "unexpected status 418 I'm a teapot")
}

func TestParseErrorBody(t *testing.T) {
	for _, tc := range []struct{ name, body, code, said string }{
		{"Mozilla autopush", `{"code": 410, "errno": 106, "error": "Gone", "message": "Request did not validate: no such subscription", "more_info": "http://autopush.readthedocs.io/en/latest/http.html#error-codes"}`, "106", "Request did not validate: no such subscription"},
		{"Apple", `{"reason":"BadJwtToken"}`, "BadJwtToken", ""},
		{"error only", `{"error":"Unauthorized"}`, "", "Unauthorized"},
		{"FCM text", "push subscription has unsubscribed or expired.\n", "", "push subscription has unsubscribed or expired."},
		{"HTML with control characters", "<html>\x00bad\tgateway\r\n</html>", "", "<html> bad gateway </html>"},
		{"empty", "  ", "", ""},
		{"long", strings.Repeat("x", 1000), "", strings.Repeat("x", 256) + "..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, said := parseErrorBody([]byte(tc.body))
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.said, said)
		})
	}
}

// TestStatusErrorScrubs checks that no part of the token survives a push
// service that echoes it back, whole, cut, or its signature alone.
func TestStatusErrorScrubs(t *testing.T) {
	jwt := "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQifQ.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
	sig := jwt[strings.LastIndexByte(jwt, '.')+1:]
	for _, body := range []string{
		"bad token: vapid t=" + jwt + ", k=BAAA",
		`{"message":"bad token ` + jwt + `"}`,
		"signature " + sig + " is wrong",
		"another token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.AAAA was seen",
		strings.Repeat("x", 200) + jwt, // cut by the clip
		"signature " + sig[:20] + " (clipped) is wrong",
		`{"reason":"` + sig[10:30] + `"}`,
	} {
		resp := &http.Response{StatusCode: 403, Header: http.Header{}}
		e := statusError(resp, []byte(body), time.Now(), jwt)
		out := e.Error()
		assert.NotContains(t, out, sig, body)
		assert.NotContains(t, out, sig[:12], body)
		assert.NotContains(t, out, sig[10:22], body)
		assert.NotContains(t, out, "eyJhdWQi", body)
		assert.NotContains(t, out, "eyJzdWIi", body)
	}
}
