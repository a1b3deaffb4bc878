package apnstest

import (
	"strings"
	"testing"
)

// FuzzReadProviderToken feeds the emulator's JWT reader anything: it reads a
// token or refuses it, never panics, and a token it reads has three parts.
func FuzzReadProviderToken(f *testing.F) {
	f.Add("bearer eyJhbGciOiJFUzI1NiIsImtpZCI6IktFWTAwMDAwMDEifQ.eyJpc3MiOiJURUFNMDAwMDAxIiwiaWF0IjoxODkzNTUzNDQ1fQ." + strings.Repeat("A", 86))
	f.Add("bearer a.b.c")
	f.Add("Basic dXNlcjpwYXNz")
	f.Add("bearer ..")
	f.Fuzz(func(t *testing.T, auth string) {
		tok, err := readProviderToken(auth)
		if err != nil {
			return
		}
		if strings.Count(tok.raw, ".") != 2 || tok.r == nil || tok.s == nil {
			t.Fatalf("read %q into %+v", auth, tok)
		}
	})
}
