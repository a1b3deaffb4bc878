package fcm_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/fcm/fcmtest"
)

// testKey is one RSA key the tests' emulators share: making one per server
// would take most of the suite's time.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// newServer starts an emulator that the test closes.
func newServer(t testing.TB, opts ...fcmtest.Option) *fcmtest.Server {
	srv := fcmtest.NewServer(append([]fcmtest.Option{fcmtest.WithKey(testKey())}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a Client of srv's project, authenticating with srv's
// service account through the real x/oauth2 flow, closed by the test.
func newClient(t testing.TB, srv *fcmtest.Server, opts ...fcm.Option) *fcm.Client {
	base := []fcm.Option{fcm.WithCredentialsJSON(srv.ServiceAccountJSON()), fcm.WithEndpoint(srv.URL()), fcm.WithHTTPClient(srv.Client())}
	c, err := fcm.New(t.Context(), srv.Project(), append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func must(n push.Notification, err error) push.Notification {
	if err != nil {
		panic(err)
	}
	return n
}

const alertBody = `{"message":{"notification":{"title":"Breaking","body":"Something happened"},"data":{"article":"42"}}}`

func alert() push.Notification { return must(push.NewNotification(push.FCMV1, []byte(alertBody), nil)) }

// readEnvelope reads a request the emulator recorded back into the
// Envelope the core rendered: the target field taken out of the message
// (and validate_only out of the body), a topic or condition turned back
// into a tag expression. It is written apart from the client's code, so
// that a client bug does not cancel out.
func readEnvelope(r fcmtest.Request) (push.Envelope, error) {
	env := push.Envelope{Platform: push.FCMV1, ContentType: r.ContentType}
	body := r.Body
	if r.ValidateOnly {
		var err error
		if body, err = cutMember(body, 0, "validate_only", true); err != nil {
			return env, err
		}
	}
	at, err := messageOpen(body)
	if err != nil {
		return env, err
	}
	t := r.Target
	switch {
	case t.Token != "":
		env.Devices = []string{t.Token}
		body, err = cutMember(body, at, "token", t.Token)
	case t.Topic != "":
		env.Tags, err = unescapeTopic(t.Topic)
		if err == nil {
			body, err = cutMember(body, at, "topic", t.Topic)
		}
	case t.Condition != "":
		env.Tags, err = conditionExpression(t.Condition)
		if err == nil {
			body, err = cutMember(body, at, "condition", t.Condition)
		}
	default:
		err = fmt.Errorf("the request has no target")
	}
	env.Body = body
	return env, err
}

// messageOpen returns the offset after the '{' of the body's message object.
func messageOpen(body []byte) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0, fmt.Errorf("the body is not a JSON object")
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return 0, err
		}
		if key == "message" {
			if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
				return 0, fmt.Errorf("the message is not an object")
			}
			return int(dec.InputOffset()), nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("the body has no message")
}

// cutMember removes the member "name":value, and the comma after it, that
// must start the object whose '{' ends at at (0: the body's own).
func cutMember(body []byte, at int, name string, value any) ([]byte, error) {
	if at == 0 {
		at = 1
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{name: value}); err != nil {
		return nil, err
	}
	member := bytes.TrimSuffix(bytes.TrimSuffix(want.Bytes()[1:], []byte("\n")), []byte("}"))
	rest := body[at:]
	if !bytes.HasPrefix(rest, member) {
		return nil, fmt.Errorf("the object does not start with %s: %.80s", member, rest)
	}
	rest = rest[len(member):]
	if bytes.HasPrefix(rest, []byte(",")) {
		rest = rest[1:]
	}
	out := append([]byte(nil), body[:at]...)
	return append(out, rest...), nil
}

// unescapeTopic maps a topic back to its tag: the percent-encoding undone.
func unescapeTopic(topic string) (string, error) { return url.PathUnescape(topic) }

// conditionExpression maps a condition back to a tag expression, FCM's
// grouping written out.
func conditionExpression(cond string) (string, error) {
	c, err := fcmtest.ParseCondition(cond)
	if err != nil {
		return "", err
	}
	var bad error
	expr := c.Expression(func(topic string) string {
		tag, err := unescapeTopic(topic)
		if err != nil {
			bad = err
		}
		return tag
	})
	return expr, bad
}

// fcmtestProject names the emulated project.
func fcmtestProject(id string) fcmtest.Option { return fcmtest.WithProject(id) }

func staticSource() oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testAccessToken, TokenType: "Bearer"})
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
