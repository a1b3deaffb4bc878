package fcm

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// FuzzParseError feeds error answers to the classification: it never
// panics, always names the operation and the status, keeps the service's
// words short, and never shows the access token or a token-like run.
func FuzzParseError(f *testing.F) {
	f.Add(500, `{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}`, "")
	f.Add(400, `{"error":{"code":400,"message":"x","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"message.token"}]}]}}`, "1")
	f.Add(429, `<html>quota</html>`, "Wed, 02 Jan 2030 03:05:05 GMT")
	f.Add(401, `{"error":{"message":"echo ya29.SECRET-TOKEN-VALUE-0123456789abcdefghijklmnop"}}`, "-5")
	f.Add(503, "\xff\x00\n", "99999999999999999999")
	f.Add(401, `{"error":{"status":"ya29.SECRET-TOKEN-VALUE-0123456789abcdefghijklmnop"}}`, "") // an echo as the code
	f.Add(404, `{"error":{"details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"SECRET-TOKEN-VALUE"}]}}`, "")
	const secret = "ya29.SECRET-TOKEN-VALUE-0123456789abcdefghijklmnop"
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, body, retryAfter string) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {retryAfter}}}
		e := statusError(opSend, resp, []byte(body), now, secret)
		msg := e.Error()
		switch {
		case !strings.HasPrefix(msg, opSend+": "):
			t.Fatalf("no Op: %q", msg)
		case strings.Contains(msg, secret) || strings.Contains(msg, "SECRET-TOKEN-VALUE"):
			t.Fatalf("the access token shows: %q", msg)
		case e.RetryAfter < 0 || e.RetryAfter > httpx.MaxRetryAfter:
			t.Fatalf("wait %v out of range", e.RetryAfter)
		case len(e.Detail) > 1000:
			t.Fatalf("detail of %d bytes", len(e.Detail))
		case e.Code != "" && !isCodeWord(e.Code):
			t.Fatalf("code %q is not a code word", e.Code)
		}
		if e.Kind == push.ErrUnregistered && e.Code != CodeUnregistered {
			t.Fatalf("unregistered without its code: %+v", e)
		}
	})
}

// FuzzInsertTarget checks the target insertion on every body the core
// accepts: the result is valid JSON whose message has the token, and
// cutting the inserted bytes gives the core's body back.
func FuzzInsertTarget(f *testing.F) {
	for _, s := range []string{`{"message":{}}`, `{"message":{"data":{"a":"b"}}}`, ` { "message" : { "notification" : {"title":"x"} } } `,
		`{"\u006dessage":{"android":{"ttl":"3s"}}}`, `{"message":{"webpush":{"notification":{"a":[1,{"b":"}"}]}}}}`} {
		f.Add(s, "tok:APA91b-x", false)
		f.Add(s, "tok:APA91b-x", true)
	}
	f.Add(" \t\r\n{\"message\":{}}", "0", true) // whitespace before the body's object, in a dry run
	c := &Client{}
	f.Fuzz(func(t *testing.T, body, token string, dryRun bool) {
		n, err := push.NewNotification(push.FCMV1, []byte(body), nil)
		if err != nil {
			return
		}
		env, err := push.Render(n, push.Device(token))
		if err != nil || checkEnvelope(&env) != nil {
			return
		}
		c.cfg.dryRun = dryRun
		got := c.body(env.Body, `"token":`, token)
		var top struct {
			ValidateOnly bool `json:"validate_only"`
			Message      struct {
				Token string `json:"token"`
			} `json:"message"`
		}
		if err := json.Unmarshal(got, &top); err != nil {
			t.Fatalf("%q became invalid JSON %q: %v", body, got, err)
		}
		if top.Message.Token != token || top.ValidateOnly != dryRun {
			t.Fatalf("%q: sent token %q, dry run %v; want %q, %v", got, top.Message.Token, top.ValidateOnly, token, dryRun)
		}
		field := appendJSONString([]byte(`"token":`), token)
		at, empty := insertionPoint(env.Body)
		if !empty {
			field = append(field, ',')
		}
		if dryRun {
			open := skipSpace(env.Body, 0)
			if !bytes.Equal(got[open+1:open+1+len(dryRunField)], []byte(dryRunField)) {
				t.Fatalf("%q: no %s after the opening brace", got, dryRunField)
			}
			got = append(append([]byte(nil), got[:open+1]...), got[open+1+len(dryRunField):]...)
		}
		back := append(append([]byte(nil), got[:at]...), got[at+len(field):]...)
		if !bytes.Equal(back, env.Body) {
			t.Fatalf("cutting the target from %q gives %q, not the core's %q", got, back, env.Body)
		}
	})
}

// FuzzParseName reads accepted answers: never a panic, and a name only from
// a string "name" member.
func FuzzParseName(f *testing.F) {
	f.Add(`{"name":"projects/p/messages/0:1500415314455276%31bd1c9631bd1c96"}`)
	f.Add(`{ "name" : "a\"b" }`)
	f.Add(`{"other":{"name":"x"},"name":"y"}`)
	f.Add(`{"name":1}`)
	f.Fuzz(func(t *testing.T, body string) {
		name, ok := parseName([]byte(body))
		if !ok {
			return
		}
		var v struct {
			Name *string `json:"name"`
		}
		if json.Valid([]byte(body)) && json.Unmarshal([]byte(body), &v) == nil && v.Name != nil && *v.Name != name {
			t.Fatalf("%q: parsed %q, encoding/json says %q", body, name, *v.Name)
		}
	})
}

func TestEveryCodeIsACodeWord(t *testing.T) {
	for code := range codes {
		if !isCodeWord(code) {
			t.Errorf("%q is not a code word: parseError would drop it", code)
		}
	}
	for _, code := range statusCodes {
		if !isCodeWord(code) {
			t.Errorf("%q is not a code word: parseError would drop it", code)
		}
	}
	for _, s := range []string{"", "a", "_X", "X-Y", "X Y", strings.Repeat("X", 65), "ÜBER"} {
		if isCodeWord(s) {
			t.Errorf("%q is a code word", s)
		}
	}
}
