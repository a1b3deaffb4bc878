package webpush

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// FuzzParseSubscription checks that ParseSubscription never panics, that
// what it accepts makes a valid target and parses again to itself.
func FuzzParseSubscription(f *testing.F) {
	f.Add([]byte(chromeJSON))
	f.Add([]byte(`{"endpoint":"https://push.example.net/1","expirationTime":1,"keys":{"p256dh":"` + rfcUAPublic + `=","auth":"BTBZMqHH6r4Tts7J/aSIgg=="}}`))
	f.Add([]byte(`{"endpoint":"http://x","keys":{}}`))
	f.Add([]byte(`{"keys":{"p256dh":"BAAA","auth":""}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		sub, err := ParseSubscription(data)
		if err != nil {
			return
		}
		if err := push.BrowserDevice(sub).Err(); err != nil {
			t.Fatalf("ParseSubscription accepted a subscription BrowserDevice refuses: %v", err)
		}
		if _, err := parseKeys(sub.P256DH, sub.Auth); err != nil {
			t.Fatalf("the keys ParseSubscription returned do not parse: %v", err)
		}
	})
}

// FuzzParseVAPIDKey checks that ParseVAPIDKey never panics and that a key
// it reads writes out and reads back to the same key.
func FuzzParseVAPIDKey(f *testing.F) {
	f.Add([]byte(testKeyText))
	f.Add([]byte(testKeyText + "="))
	f.Add([]byte(testPublicKey))
	f.Add([]byte("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIEC2ok/zD+7tOYiana8OLHk4qWsB8JjmFOmCqdl9tx5ooAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n"))
	f.Add([]byte("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, text []byte) {
		k, err := ParseVAPIDKey(text)
		if err != nil {
			return
		}
		again, err := ParseVAPIDKey(k.PrivatePEM())
		if err != nil || again.PublicKey() != k.PublicKey() {
			t.Fatalf("a key read from %q does not read back from its PEM: %v", text, err)
		}
	})
}

// FuzzStatusError feeds error answers to their parser and classification:
// it never panics, keeps the code and the service's words short and on one
// line, and never shows the token, its signature, or a part of the
// signature, however the answer echoes them.
func FuzzStatusError(f *testing.F) {
	const jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQifQ.SIGNATURE-c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
	sig := jwt[strings.LastIndexByte(jwt, '.')+1:]
	f.Add(410, `{"code":410,"errno":103,"error":"Gone","message":"Subscription expired"}`)
	f.Add(403, `{"reason":"BadJwtToken"}`)
	f.Add(400, "vapid t="+jwt+", k=BAAA")
	f.Add(403, `{"message":"signature `+sig[:20]+`...","reason":"`+sig[9:30]+`"}`)
	f.Add(500, `{"message":"\u0053IGNATURE-c2lnbmF0dXJl"}`)
	f.Add(429, "\xff\x00\n<html>slow down</html>")
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 400 || status > 599 {
			return
		}
		e := statusError(&http.Response{StatusCode: status, Header: http.Header{}}, []byte(body), now, jwt)
		msg := e.Error()
		switch {
		case !strings.HasPrefix(msg, opSend+": "):
			t.Fatalf("no Op: %q", msg)
		case strings.Contains(msg, jwt) || strings.Contains(msg, sig):
			t.Fatalf("the token shows: %q", msg)
		case len(e.Code) > 64 || strings.ContainsAny(e.Code, "\r\n\t"):
			t.Fatalf("code %q", e.Code)
		case len(e.Detail) > 1000:
			t.Fatalf("detail of %d bytes", len(e.Detail))
		}
		for i := 0; i+httpx.MinFragment <= len(sig); i++ {
			if strings.Contains(msg, sig[i:i+httpx.MinFragment]) {
				t.Fatalf("a part of the signature shows: %q", msg)
			}
		}
	})
}
