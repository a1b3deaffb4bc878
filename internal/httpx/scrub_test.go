package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// A signature in the shape of a shared access signature's: base64 with '+',
// '/' and '='.
const (
	testKey = "c2VjcmV0LWtleS1vZi10aGUtdGVzdHM+/0123456789="
	testSig = "q5Vx+Z/3mN8pQ2rT7uW9yA1bC4dE6fG0hJ+kL/sM=="
)

func TestScrubRemovesEveryForm(t *testing.T) {
	s := NewScrubber(testKey)
	s.AddRecent(testSig)
	escaped := url.QueryEscape(testSig)
	for name, text := range map[string]string{
		"as is":             "key " + testKey + " end",
		"query-escaped":     "SharedAccessSignature sr=x&sig=" + escaped + "&se=1&skn=rule",
		"all lower hex":     "sig=" + lowerHexEscapes(escaped),
		"path-escaped":      "/" + url.PathEscape(testSig) + "/",
		"JSON, upper \\u":   `{"auth":"` + strings.NewReplacer("/", `\/`, "+", `\u002B`).Replace(testSig) + `"}`,
		"JSON, lower \\u":   `{"auth":"` + strings.NewReplacer("/", `\/`, "+", `\u002b`).Replace(testSig) + `"}`,
		"twice in one text": testSig + " and " + testKey,
	} {
		t.Run(name, func(t *testing.T) {
			got := s.Scrub(text)
			assert.Contains(t, got, Redacted)
			for _, part := range []string{"q5Vx", "Z", "3mN8pQ2rT7uW9yA1bC4dE6fG0hJ", "c2VjcmV0LWtleS1vZi10aGUtdGVzdHM"} {
				if len(part) > 3 {
					assert.NotContains(t, got, part)
				}
			}
			assert.Equal(t, got, string(s.ScrubBytes([]byte(text))), "ScrubBytes agrees with Scrub")
		})
	}
}

func TestScrubKeepsTheLastRecentSecrets(t *testing.T) {
	s := NewScrubber()
	sigs := make([]string, RecentSecrets+2)
	for i := range sigs {
		sigs[i] = fmt.Sprintf("signature-number-%02d-of-the-test", i)
		s.AddRecent(sigs[i])
	}
	for i, sig := range sigs {
		kept := i >= len(sigs)-RecentSecrets
		assert.Equal(t, !kept, s.Scrub(sig) == sig, "signature %d of %d: scrubbed %v", i+1, len(sigs), kept)
	}
	s.Add("the-fixed-key-never-leaves")
	for range 2 * RecentSecrets {
		s.AddRecent("another-signature-of-the-test")
	}
	assert.Equal(t, Redacted, s.Scrub("the-fixed-key-never-leaves"), "recent secrets never push out a fixed one")
}

func TestScrubParams(t *testing.T) {
	base := NewScrubber(testKey)
	s := base.WithParams("sig")
	text := `url https://a.blob.core.windows.net/c?sv=1&sig=abc%2Bdef&se=2 and "sig=zzz" and <u>?sig=</u>`
	assert.Equal(t, `url https://a.blob.core.windows.net/c?sv=1&sig=REDACTED&se=2 and "sig=REDACTED" and <u>?sig=</u>`, s.Scrub(text))
	assert.Equal(t, text, base.Scrub(text), "the Scrubber WithParams was made from removes no parameter")
	base.Add("shared-secret-added-later")
	assert.Equal(t, "x REDACTED y", s.Scrub("x shared-secret-added-later y"), "secrets are shared")
}

func TestScrubLeavesCleanTextAlone(t *testing.T) {
	s := NewScrubber(testKey).WithParams("sig")
	s.AddRecent(testSig)
	text := "the service said: The request is invalid. TrackingId:4f1a,TimeStamp:1/2/2030 3:04:05 AM"
	b := []byte(text)
	assert.Equal(t, text, s.Scrub(text))
	assert.Same(t, &b[0], &s.ScrubBytes(b)[0], "clean bytes are returned as they are")
	allocs := testing.AllocsPerRun(100, func() {
		_ = s.Scrub(text)
		_ = s.ScrubBytes(b)
	})
	assert.Zero(t, allocs, "scrubbing clean text allocates nothing")
	assert.Equal(t, "", s.Scrub(""))
	NewScrubber("").AddRecent("")
}

func TestScrubErr(t *testing.T) {
	s := NewScrubber(testKey)
	cause := fmt.Errorf("read: %w: %s", io.ErrUnexpectedEOF, testKey)
	pe := &push.Error{Op: "x: send", Kind: push.ErrUnavailable, Detail: "echo " + testKey, Code: testKey, TrackingID: testKey, Err: cause}
	err := s.Err(pe)

	require.NotSame(t, pe, err, "a dirty error is copied")
	assert.NotContains(t, err.Error(), testKey)
	assert.Contains(t, pe.Error(), testKey, "the original is not modified")
	assert.ErrorIs(t, err, push.ErrUnavailable)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the cause is still reachable")
	var got *push.Error
	require.ErrorAs(t, err, &got)
	assert.Equal(t, "x: send", got.Op)
	assert.Equal(t, "echo REDACTED", got.Detail)
	assert.Equal(t, Redacted, got.Code)
	assert.Equal(t, Redacted, got.TrackingID)

	clean := &push.Error{Op: "x", Detail: "nothing secret", Err: io.EOF}
	assert.Same(t, clean, s.Err(clean), "a clean *push.Error is returned as it is")
	assert.Equal(t, io.EOF, s.Err(io.EOF))
	assert.Nil(t, s.Err(nil))
	wrapped := s.Err(errors.New("plain " + testKey))
	assert.Equal(t, "plain REDACTED", wrapped.Error())
}

func TestScrubberHidesItsSecrets(t *testing.T) {
	s := NewScrubber(testKey)
	s.AddRecent(testSig)
	holder := struct{ s *Scrubber }{s}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, s) + fmt.Sprintf(verb, holder) + fmt.Sprintf(verb, *s)
		assert.NotContains(t, out, "c2VjcmV0", verb)
		assert.NotContains(t, out, "q5Vx", verb)
	}
	assert.NotContains(t, reachableText(reflect.ValueOf(holder), 0), "c2VjcmV0", "no reflection-based printer can reach the secrets")
}

// reachableText returns the text of every string and byte slice reachable
// from v by reflection, the way testify's and go-cmp's printers walk values
// (pointers, interfaces, unexported fields; not functions, channels or
// unsafe pointers).
func reachableText(v reflect.Value, depth int) string {
	if depth > 20 || !v.IsValid() {
		return ""
	}
	var b strings.Builder
	switch v.Kind() {
	case reflect.String:
		b.WriteString(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			b.WriteString(reachableText(v.Elem(), depth+1))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			b.WriteString(reachableText(v.Field(i), depth+1))
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			for i := range v.Len() {
				b.WriteByte(byte(v.Index(i).Uint()))
			}
			break
		}
		for i := range v.Len() {
			b.WriteString(reachableText(v.Index(i), depth+1))
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			b.WriteString(reachableText(it.Key(), depth+1))
			b.WriteString(reachableText(it.Value(), depth+1))
		}
	}
	return b.String()
}

// FuzzScrub checks that what Scrub returns holds no form of a secret it
// knows, and that text without one comes back as it was.
func FuzzScrub(f *testing.F) {
	f.Add("key "+testKey+" end", testKey)
	f.Add("sig="+url.QueryEscape(testSig)+"&se=1", testSig)
	f.Add(`{"a":"`+strings.ReplaceAll(testSig, "+", `\u002B`)+`"}`, testSig)
	f.Add("nothing to see", "a-secret-that-is-not-there")
	f.Fuzz(func(t *testing.T, text, secret string) {
		if len(secret) < 8 || overlapsRedacted(secret) {
			return // a secret that REDACTED itself could spell
		}
		s := NewScrubber(secret)
		got := s.Scrub(text)
		for _, form := range newSecret(secret).forms {
			if strings.Contains(got, form) {
				t.Fatalf("Scrub(%q) = %q still holds %q", text, got, form)
			}
		}
		if !strings.Contains(text, newSecret(secret).needle) && got != text {
			t.Fatalf("Scrub changed %q, which holds no secret, to %q", text, got)
		}
		if again := s.Scrub(got); again != got {
			t.Fatalf("Scrub is not idempotent: %q, then %q", got, again)
		}
	})
}

// overlapsRedacted reports whether secret could appear in text only because
// Redacted was written next to, or is, part of it.
func overlapsRedacted(secret string) bool {
	for _, form := range newSecret(secret).forms {
		if strings.Contains(Redacted, form) {
			return true
		}
		for i := 1; i < len(Redacted) && i <= len(form); i++ {
			if strings.HasPrefix(form, Redacted[len(Redacted)-i:]) || strings.HasSuffix(form, Redacted[:i]) {
				return true
			}
		}
	}
	return false
}

func TestScrubFragmentsRemovesAPartOfASecret(t *testing.T) {
	s := NewScrubber(testKey)
	s.AddRecent(testSig)
	escaped := url.QueryEscape(testSig)
	for name, tc := range map[string]struct{ text, want string }{
		"clipped key":                {"<Detail>key " + testKey[:20] + "... refused</Detail>", "<Detail>key REDACTED refused</Detail>"},
		"middle of the signature":    {"sig=" + testSig[6:20] + "&se=1", "sig=REDACTED&se=1"},
		"clipped, query-escaped":     {"sig=" + escaped[:len(escaped)-4] + " (cut)", "sig=REDACTED (cut)"},
		"whole, among other words":   {"a " + testSig + " b", "a REDACTED b"},
		"too short to be a fragment": {"sig=" + testSig[:MinFragment-1], "sig=" + testSig[:MinFragment-1]},
		"nothing of a secret":        {"<Error><Code>401</Code><Detail>ExpiredToken</Detail></Error>", "<Error><Code>401</Code><Detail>ExpiredToken</Detail></Error>"},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, string(s.ScrubFragmentsBytes([]byte(tc.text))))
		})
	}
	assert.Equal(t, "x"+testKey[:20], string(NewScrubber().ScrubFragmentsBytes([]byte("x"+testKey[:20]))), "a Scrubber of no secret removes nothing")
}

func TestScrubFragmentsAllocatesNothingOnCleanText(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	s := NewScrubber(testKey)
	s.AddRecent(testSig)
	text := []byte("<Error><Code>400</Code><Detail>The notification payload is invalid. TrackingId:6f0c1f4e-7b4a-4a55-9c1d-1e2f3a4b5c6d</Detail></Error>")
	if n := testing.AllocsPerRun(100, func() { s.ScrubFragmentsBytes(text) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// FuzzScrubFragments checks ScrubFragmentsBytes on any text: it leaves its
// input alone, and no MinFragment letters and digits in a row of a secret
// survive it, whatever surrounds them.
func FuzzScrubFragments(f *testing.F) {
	f.Add([]byte("<Detail>key " + testKey[:20] + "... refused</Detail>"))
	f.Add([]byte("sig=" + url.QueryEscape(testSig)[:30] + "&se=1"))
	f.Add([]byte(testSig[5:30] + "==" + testKey))
	f.Add([]byte("nothing secret here, TrackingId:6f0c1f4e-7b4a"))
	s := NewScrubber(testKey)
	s.AddRecent(testSig)
	var windows []string
	for _, secret := range []string{testKey, testSig} {
		for start := 0; start < len(secret); {
			end := start
			for end < len(secret) && isAlnum(secret[end]) {
				end++
			}
			for i := start; i+MinFragment <= end; i++ {
				windows = append(windows, secret[i:i+MinFragment])
			}
			start = end + 1
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		in := bytes.Clone(text)
		out := s.ScrubFragmentsBytes(text)
		if !bytes.Equal(in, text) {
			t.Fatal("the input was modified")
		}
		for _, w := range windows {
			if bytes.Contains(out, []byte(w)) {
				t.Fatalf("%q survives in %q", w, out)
			}
		}
	})
}
