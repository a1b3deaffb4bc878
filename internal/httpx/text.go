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

// RedactRuns returns s with each run of bytes that in admits (in(s, i) for
// each of its indexes) replaced by Redacted when secret(run) says the run is
// one. s itself is returned, without allocating, when no run is replaced. It
// is the one scan behind every partial-echo redaction: a client says which
// bytes a secret is written in and how it recognises one.
func RedactRuns[T string | []byte](s T, in func(s T, i int) bool, secret func(run T) bool) T {
	var out []byte
	copied := 0 // s[:copied] is in out
	for start := 0; start < len(s); {
		if !in(s, start) {
			start++
			continue
		}
		end := start + 1
		for end < len(s) && in(s, end) {
			end++
		}
		if secret(s[start:end]) {
			out = append(append(out, s[copied:start]...), Redacted...)
			copied = end
		}
		start = end
	}
	if out == nil {
		return s
	}
	return T(append(out, s[copied:]...))
}
