package main

import (
	"io"
	"strings"
	"testing"
)

// FuzzParseFlags feeds arbitrary values to the flags that parse their text
// (-header, -tags and -device lists, -at): parseFlags never panics, refuses
// only with a usageError, and what it accepts is well formed.
func FuzzParseFlags(f *testing.F) {
	f.Add("apns-priority: 5", "sports,politics", "tok1,tok2", "2030-01-02T15:04:05Z")
	f.Add(":", ",,", " , ", "")
	f.Add("X-WNS-TTL:60:extra", "a", "", "tomorrow")
	f.Fuzz(func(t *testing.T, header, tags, devices, at string) {
		args := []string{"-platform", "apple", "-payload", "{}", "-dry-run", "-header", header, "-tags", tags, "-device", devices}
		if at != "" {
			args = append(args, "-at", at)
		}
		c, err := parseFlags(args, noEnv, io.Discard)
		if err != nil {
			if _, ok := err.(usageError); !ok {
				t.Fatalf("error %v (%T) is not a usageError", err, err)
			}
			return
		}
		for name := range c.header {
			if name == "" {
				t.Fatal("a header without a name was accepted")
			}
		}
		for _, v := range append(c.tags, c.devices...) {
			if v == "" || strings.Contains(v, ",") || strings.TrimSpace(v) != v {
				t.Fatalf("list value %q was not split and trimmed", v)
			}
		}
		if at != "" && c.at.IsZero() {
			t.Fatalf("-at %q was accepted as the zero time", at)
		}
	})
}
