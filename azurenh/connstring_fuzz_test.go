package azurenh

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func FuzzParseConnectionString(f *testing.F) {
	f.Add(portalForm)
	f.Add(portalForm + ";EntityPath=myhub;")
	f.Add("Endpoint=sb://127.0.0.1:8443/;SharedAccessKeyName=r;SharedAccessKey=k3y=value==")
	f.Add(" endpoint = https://[::1]:8443 ; sharedaccesskeyname = r ; sharedaccesskey = abcdefgh ")
	f.Add("Endpoint=sB://::;ShAredACCessKeYNAme=0;ShAredACCessKeY=0") // url.Parse takes "::" for a host
	for _, tt := range parseErrorCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseConnectionString(s)
		keys := fuzzKeyValues(s)
		if err != nil {
			checkErrorHidesKeys(t, err.Error(), keys)
			return
		}
		checkParsed(t, c, keys)
	})
}

// fuzzKeyValues returns the values of every part of s named SharedAccessKey, found
// by a split written apart from the parser's.
func fuzzKeyValues(s string) []string {
	var keys []string
	for _, part := range strings.Split(s, ";") {
		eq := strings.IndexByte(part, '=')
		if eq < 0 || !strings.EqualFold(strings.TrimSpace(part[:eq]), "SharedAccessKey") {
			continue
		}
		keys = append(keys, strings.TrimSpace(part[eq+1:]))
	}
	return keys
}

// fuzzSkipKey reports whether key is too short, or too close to the package's own
// wording, for its presence in a message to mean anything: a key of 1 to 3
// characters, or one found in the fixed text of an error message once digits (part
// positions) are taken out of both.
func fuzzSkipKey(key string) bool {
	if len(key) < 4 {
		return true
	}
	var wording strings.Builder
	for _, tt := range parseErrorCases {
		wording.WriteString(opParseConnectionString + ": " + tt.want + "\n")
	}
	return strings.Contains(withoutDigits(wording.String()), withoutDigits(key))
}

func withoutDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, s)
}

func checkErrorHidesKeys(t *testing.T, msg string, keys []string) {
	t.Helper()
	for _, key := range keys {
		if !fuzzSkipKey(key) && strings.Contains(msg, key) {
			t.Fatalf("error %q shows the key %q", msg, key)
		}
	}
}

// checkParsed checks a successful parse: the key is one the input gave, the printed
// forms depend on nothing but the non-secret fields, and String parses back.
func checkParsed(t *testing.T, c ConnectionString, keys []string) {
	t.Helper()
	if !slices.Contains(keys, string(c.Key())) {
		t.Fatalf("key %q is none of the input's SharedAccessKey values %q", string(c.Key()), keys)
	}
	printed := []string{c.String(), fmt.Sprintf("%#v", c), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c)}
	other := c
	other.key = seal(Key("a different key " + string(c.Key())))
	otherPrinted := []string{other.String(), fmt.Sprintf("%#v", other), fmt.Sprintf("%v", other), fmt.Sprintf("%+v", other)}
	for i := range printed {
		if printed[i] != otherPrinted[i] {
			t.Fatalf("output depends on the key: %q != %q", printed[i], otherPrinted[i])
		}
	}
	// Text a key may coincide with: the other fields, each as String writes it, and
	// the fixed wording of String and GoString.
	nonSecret := strings.Join([]string{
		c.Endpoint, c.KeyName, c.EntityPath,
		"Endpoint=" + c.Endpoint, "SharedAccessKeyName=" + c.KeyName, "EntityPath=" + c.EntityPath,
		"Endpoint=;SharedAccessKeyName=;SharedAccessKey=REDACTED;EntityPath=",
		fmt.Sprintf("%#v", ConnectionString{}),
	}, "\n")
	for _, key := range keys {
		for _, out := range printed {
			if !fuzzSkipKey(key) && strings.Contains(out, key) && !strings.Contains(nonSecret, key) {
				t.Fatalf("%q shows the key %q", out, key)
			}
		}
	}
	again, err := ParseConnectionString(c.String())
	if err != nil {
		t.Fatalf("String() %q does not parse back: %v", c.String(), err)
	}
	c.key = seal(redacted)
	if !again.Equal(c) {
		t.Fatalf("String() parses back to %#v, want %#v", again, c)
	}
}
