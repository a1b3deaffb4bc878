package webpushtest

import (
	"net/http"
	"testing"
	"time"
)

// FuzzParseVAPIDHeader checks that the Authorization parser and the token
// verification never panic, and that what parses has its two parameters.
func FuzzParseVAPIDHeader(f *testing.F) {
	f.Add("vapid t=" + rfcToken + ", k=" + rfcKey)
	f.Add("vapid k=" + rfcKey + ",t=" + rfcToken)
	f.Add("WebPush " + rfcToken)
	f.Add("vapid t=a.b.c, k=, x")
	f.Add("vapid t=eyJhbGciOiJFUzI1NiJ9.eyJleHAiOiIxIn0.AA, k=BAAA")
	f.Add("")
	now := rfcExp.Add(-time.Hour)
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseVAPIDHeader(h)
		if err != nil {
			return
		}
		if a.token == "" || a.key == "" {
			t.Fatalf("parsed %q without t or k: %+v", h, a)
		}
		v, err := verifyVAPID(a, rfcAud, now)
		if err == nil && (v.Audience != rfcAud || !now.Before(v.Expiry)) {
			t.Fatalf("verified a token for %q expiring %v", v.Audience, v.Expiry)
		}
	})
}

// FuzzDecrypt checks that the browser's decryption and the push service's
// body checks never panic, whatever the body, and that a decrypted body
// holds no more than its records.
func FuzzDecrypt(f *testing.F) {
	f.Add(unb64(f, rfcBody))
	f.Add(unb64(f, "I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg"))
	f.Add(unb64(f, "uNCkWiNYzKTnBN9ji3-qWAAAABkCYTHOG8chz_gnvgOqdGYovxyjuqRyJFjEDyoF1Fvkj6hQPdPHI51OEUKEpgz3SsLWIqS_uA"))
	f.Add([]byte{})
	f.Add(make([]byte, 21))
	f.Add(append(unb64(f, rfcBody)[:20:20], 0xff))
	ua, auth := rfcBrowser(f), unb64(f, rfcAuthSecret)
	ikm := unb64(f, "yqdlZ-tYemfogSmv7Ws5PQ")
	h := http.Header{"Content-Encoding": {"aes128gcm"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		if plain, err := decryptWebPush(ua, auth, body); err == nil && len(plain) >= len(body) {
			t.Fatalf("decrypted %d bytes out of a %d-byte body", len(plain), len(body))
		}
		if plain, err := decryptRecords(ikm, body); err == nil && len(plain) >= len(body) {
			t.Fatalf("decrypted %d bytes out of a %d-byte body", len(plain), len(body))
		}
		if keyid, ref := checkBody(h, body); ref == nil && len(keyid) != 65 {
			t.Fatalf("accepted a keyid of %d bytes", len(keyid))
		} else if ref != nil && ref.status != http.StatusBadRequest {
			t.Fatalf("refused with %d", ref.status)
		}
	})
}
