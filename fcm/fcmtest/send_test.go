package fcmtest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSendValidatesMessagesAsFCMDoes(t *testing.T) {
	s := newTestServer(t)
	tok := accessToken(t, s)
	big := strings.Repeat("x", MaxTopicMessageSize)
	tests := []struct {
		name, body string
		status     int
		field      string // the BadRequest field, "" for none
		code       string // the FcmError code, "" for none
	}{
		{"accepted token", `{"message":{"token":"abc:APA91b-_x","data":{"a":"b"}}}`, 200, "", ""},
		{"accepted camelCase", `{"validateOnly":true,"message":{"topic":"news","fcmOptions":{"analyticsLabel":"x"},"android":{"collapseKey":"k","ttl":"3.5s","priority":"HIGH"}}}`, 200, "", ""},
		{"accepted condition", `{"message":{"condition":"'a' in topics && !('b' in topics)","notification":{"title":"x"}}}`, 200, "", ""},
		{"not JSON", `{"message":`, 400, "", ""},
		{"no message", `{"validate_only":true}`, 400, "message", ""},
		{"unknown top-level field", `{"message":{"topic":"a"},"dry_run":true}`, 400, "", ""},
		{"no target", `{"message":{"data":{"a":"b"}}}`, 400, "message", ""},
		{"two targets", `{"message":{"token":"t","topic":"a"}}`, 400, "message", ""},
		{"number in data", `{"message":{"topic":"a","data":{"n":1}}}`, 400, "message.data[0].value", ""},
		{"number in android data", `{"message":{"topic":"a","android":{"data":{"a":"x","n":true}}}}`, 400, "message.android.data[1].value", ""},
		{"reserved key", `{"message":{"topic":"a","data":{"google.x":"1"}}}`, 400, "message.data", ""},
		{"reserved key from", `{"message":{"topic":"a","data":{"from":"1"}}}`, 400, "message.data", ""},
		{"unknown field", `{"message":{"topic":"a","notification":{"titel":"x"}}}`, 400, "message.notification", ""},
		{"capitalised field", `{"message":{"topic":"a","Data":{}}}`, 400, "message", ""},
		{"bad ttl", `{"message":{"topic":"a","android":{"ttl":"3600"}}}`, 400, "message.android.ttl", ""},
		{"negative ttl", `{"message":{"topic":"a","android":{"ttl":"-1s"}}}`, 400, "message.android.ttl", ""},
		{"ttl over 4 weeks", `{"message":{"topic":"a","android":{"ttl":"2419201s"}}}`, 400, "message.android.ttl", ""},
		{"bad priority", `{"message":{"topic":"a","android":{"priority":"urgent"}}}`, 400, "message.android.priority", ""},
		{"http link", `{"message":{"topic":"a","webpush":{"fcm_options":{"link":"http://x"}}}}`, 400, "message.webpush.fcm_options.link", ""},
		{"bad topic", `{"message":{"topic":"/topics/news"}}`, 400, "message.topic", ""},
		{"double quotes", `{"message":{"condition":"\"a\" in topics"}}`, 400, "message.condition", ""},
		{"six topics", `{"message":{"condition":"'a' in topics || 'b' in topics || 'c' in topics || 'd' in topics || 'e' in topics || 'f' in topics"}}`, 400, "message.condition", ""},
		{"bad token", `{"message":{"token":"not a token"}}`, 400, "", "INVALID_ARGUMENT"},
		{"too big for a topic", `{"message":{"topic":"a","data":{"x":"` + big + `"}}}`, 400, "", "INVALID_ARGUMENT"},
		{"fine for a token", `{"message":{"token":"t","data":{"x":"` + big + `"}}}`, 200, "", ""},
		{"too big for a token", `{"message":{"token":"t","data":{"x":"` + big + big + `"}}}`, 400, "", "INVALID_ARGUMENT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := send(t, s, tok, tt.body)
			require.Equal(t, tt.status, status, out)
			if status == 200 {
				assert.Regexp(t, `^projects/`+s.Project()+`/messages/`, out["name"])
				return
			}
			e := errorOf(out)
			assert.Equal(t, "INVALID_ARGUMENT", e["status"])
			assert.EqualValues(t, 400, e["code"])
			assert.Equal(t, tt.code, fcmCode(out))
			if tt.field != "" {
				details := e["details"].([]any)
				v := details[len(details)-1].(map[string]any)["fieldViolations"].([]any)[0].(map[string]any)
				assert.Equal(t, tt.field, v["field"])
			}
		})
	}
	reqs := s.Requests()
	require.Len(t, reqs, len(tests), "every request is recorded, refused ones too")
	assert.Equal(t, "abc:APA91b-_x", reqs[0].Target.Token)
	assert.Equal(t, "b", reqs[0].Message["data"].(map[string]any)["a"])
}

func TestSendAnswersForTokenStates(t *testing.T) {
	s := newTestServer(t, WithStrictTokens())
	tok := accessToken(t, s)
	tests := []struct {
		state  TokenState
		status int
		code   string
	}{
		{TokenValid, 200, ""},
		{TokenUnregistered, 404, "UNREGISTERED"},
		{TokenOtherSender, 403, "SENDER_ID_MISMATCH"},
		{TokenNoThirdPartyAuth, 401, "THIRD_PARTY_AUTH_ERROR"},
	}
	for _, tt := range tests {
		reg := s.NewToken()
		s.SetToken(reg, tt.state)
		status, out := send(t, s, tok, `{"message":{"token":"`+reg+`","data":{"a":"b"}}}`)
		assert.Equal(t, tt.status, status)
		assert.Equal(t, tt.code, fcmCode(out))
	}
	status, out := send(t, s, tok, `{"message":{"token":"never-issued","data":{"a":"b"}}}`)
	assert.Equal(t, http.StatusBadRequest, status, "strict: a token the emulator did not issue")
	assert.Equal(t, msgInvalidToken, errorOf(out)["message"])
}

func TestFaults(t *testing.T) {
	s := newTestServer(t)
	tok := accessToken(t, s)
	body := `{"message":{"token":"t1","data":{"a":"b"}}}`
	s.Fail(Fault{Status: 429, RetryAfter: 1500 * time.Millisecond, Times: 1})
	s.Fail(Fault{Status: 503, Token: "t2"})
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/v1/projects/"+s.Project()+"/messages:send", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, "2", resp.Header.Get("Retry-After"), "whole seconds, rounded up")
	status, _ := send(t, s, tok, body)
	assert.Equal(t, 200, status, "the 429 applied once; the 503 is for t2 only")
	status, out := send(t, s, tok, `{"message":{"token":"t2"}}`)
	assert.Equal(t, 503, status)
	assert.Equal(t, "UNAVAILABLE", fcmCode(out))
	s.ClearFaults()
	s.Fail(Fault{Drop: true, Times: 1})
	_, err = s.Client().Post(s.URL()+"/v1/projects/"+s.Project()+"/messages:send", "application/json", strings.NewReader(body))
	assert.Error(t, err, "the connection is closed without an answer")
	reqs := s.Requests()
	assert.True(t, reqs[len(reqs)-1].Dropped)
}

func TestRoutes(t *testing.T) {
	s := newTestServer(t)
	for _, path := range []string{"/batch", "/v1/projects/x/messages", "/"} {
		resp, err := s.Client().Post(s.URL()+path, "application/json", strings.NewReader("{}"))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
	resp, err := s.Client().Get(s.URL() + "/v1/projects/" + s.Project() + "/messages:send")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Empty(t, s.Requests())
}

func TestServesHTTP2AndHTTP1(t *testing.T) {
	s := newTestServer(t)
	resp, err := s.Client().Get(s.URL() + "/batch")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 2, resp.ProtoMajor)
	tr := s.Client().Transport.(*http.Transport).Clone()
	tr.ForceAttemptHTTP2 = false
	tr.TLSClientConfig.NextProtos = []string{"http/1.1"}
	h1 := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	resp, err = h1.Get(s.URL() + "/batch")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 1, resp.ProtoMajor)
}

func TestConditionGrouping(t *testing.T) {
	c, err := ParseCondition("'a' in topics || 'b' in topics && 'c' in topics")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, c.Topics())
	only := func(topics ...string) func(string) bool {
		return func(t string) bool {
			for _, x := range topics {
				if x == t {
					return true
				}
			}
			return false
		}
	}
	assert.False(t, c.Match(only("a")), "left to right: (a || b) && c")
	assert.True(t, c.Match(only("a", "c")))
	assert.Equal(t, "((a || b) && c)", c.Expression(nil))
	for _, bad := range []string{"", "'a' in topic", "'a'in topics", "('a' in topics", "'a' in topics &&", "'a b' in topics", "!", "'a' in topics || || 'b' in topics"} {
		_, err := ParseCondition(bad)
		assert.Error(t, err, bad)
	}
}
