package webpushtest

import "testing"

// BenchmarkDecrypt decrypts the RFC 8291 example as its browser: what the
// emulator spends on each message it receives.
func BenchmarkDecrypt(b *testing.B) {
	ua, auth, body := rfcBrowser(b), unb64(b, rfcAuthSecret), unb64(b, rfcBody)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decryptWebPush(ua, auth, body); err != nil {
			b.Fatal(err)
		}
	}
}
