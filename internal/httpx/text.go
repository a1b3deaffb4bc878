package httpx

import "strings"

func toValidUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// MinFragment is the shortest part of a secret that HoldsFragment finds: an
// echo a server clipped still counts as the secret from this many bytes on.
const MinFragment = 12

// HoldsFragment reports whether text holds MinFragment bytes in a row of
// secret: a part of the secret, which a server that clips what it echoes may
// send back. Its cost is len(text) times len(secret); use it on the short
// runs of an error's text, not on whole bodies.
func HoldsFragment(text, secret string) bool {
	for i := 0; i+MinFragment <= len(text); i++ {
		if strings.Contains(secret, text[i:i+MinFragment]) {
			return true
		}
	}
	return false
}
