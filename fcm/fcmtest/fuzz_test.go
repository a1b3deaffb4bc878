package fcmtest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pushwire/push"
)

// FuzzParseCondition: the parser never panics, never takes more than five
// topics, and what it reads means, written as a core tag expression, what
// Match says.
func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{"'a' in topics", "'a' in topics || 'b' in topics && !('c' in topics)", "!(!('a' in topics))",
		"('a' in topics||'b' in topics)&&'c' in topics", "'x%25' in topics", "\"a\" in topics", "(((("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s)
		if err != nil {
			return
		}
		topics := c.Topics()
		if len(topics) == 0 || len(topics) > MaxConditionTopics {
			t.Fatalf("%q: %d topics", s, len(topics))
		}
		e, err := push.ParseExpression(c.Expression(nil))
		if err != nil {
			return // topic names that are not core tags (%, ~)
		}
		for set := 0; set < 1<<len(topics); set++ {
			has := func(topic string) bool {
				for i, x := range topics {
					if x == topic && set&(1<<i) != 0 {
						return true
					}
				}
				return false
			}
			if e.MatchFunc(has) != c.Match(has) {
				t.Fatalf("%q read as %q: they disagree on set %b", s, c.Expression(nil), set)
			}
		}
	})
}

// FuzzAssertion feeds the token endpoint's JWT checks: they never panic and
// never grant a token to an assertion the key did not sign.
func FuzzAssertion(f *testing.F) {
	s := NewServer(WithKey(testKey()))
	defer s.Close()
	h, c := goodClaims(s, time.Now())
	good := assertionFor(h, c)
	f.Add(good)
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJSUzI1NiJ9.e30.")
	f.Fuzz(func(t *testing.T, jwt string) {
		grant, err := s.checkAssertion(jwt)
		if err == nil && grant == nil {
			t.Fatal("no error and no grant")
		}
		if err == nil && jwt != good {
			// Only the one signed assertion, or another validly signed one,
			// can pass; a fuzzer cannot sign.
			t.Fatalf("granted a token for %q", jwt)
		}
	})
}

// assertionFor signs claims with the test key, outside a *testing.T.
func assertionFor(h, c map[string]any) string {
	return assertion(nil, testKey(), h, c)
}

// FuzzMessage feeds the message checks and the size measure: no panic, and
// every refusal is a 400 with a message.
func FuzzMessage(f *testing.F) {
	f.Add(`{"message":{"token":"t","data":{"a":"b"},"android":{"ttl":"3s","notification":{"title":"x"}}}}`)
	f.Add(`{"message":{"topic":"a","webpush":{"fcm_options":{"link":"http://x"}}}}`)
	f.Add(`{"message":{"condition":"'a' in topics","apns":{"payload":{"aps":{}}}}}`)
	f.Add(`{"message":{"data":{"n":1}},"validateOnly":true}`)
	s := NewServer(WithKey(testKey()))
	defer s.Close()
	f.Fuzz(func(t *testing.T, body string) {
		top, msg := decodeBody([]byte(body))
		if msg == nil {
			return
		}
		_ = messageSize(msg)
		if e := checkObject(msg, messageSchema, "message"); e != nil {
			if e.status != 400 || e.message == "" {
				t.Fatalf("%q: %+v", body, e)
			}
			return
		}
		if e := checkRules(decodeMessage(top)); e != nil && e.status != 400 {
			t.Fatalf("%q: %+v", body, e)
		}
		if e := s.checkTarget(targetOf(msg)); e != nil && e.status != 400 {
			t.Fatalf("%q: %+v", body, e)
		}
		var v map[string]any
		if json.Unmarshal([]byte(body), &v) != nil {
			t.Fatalf("%q was decoded but is not JSON", body)
		}
	})
}
