package webpush

import (
	"testing"

	"github.com/pushwire/push"
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
