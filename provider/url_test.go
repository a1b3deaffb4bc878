package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestURLGetters(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "key")
	if err := os.WriteFile(file, []byte("file-secret\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEST_PROVIDER_SECRET", "env-secret")
	u, err := parseURL("fake://Host:8443/a/b?flag=true&n=12&d=90s&name=x&k1_file=" + file + "&k2_env=TEST_PROVIDER_SECRET")
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "fake" || u.Host != "Host:8443" || u.Path != "a/b" {
		t.Errorf("parsed %+v", u)
	}
	if !u.Bool("flag", false) || u.Int("n", 1) != 12 || u.Duration("d", 0) != 90*time.Second || u.String("name") != "x" || !u.Has("name") {
		t.Error("a getter read a wrong value")
	}
	if u.Bool("absent", true) != true || u.Int("absent2", 7) != 7 || u.Duration("absent3", time.Minute) != time.Minute {
		t.Error("a default was not applied")
	}
	if got := string(u.Secret("k1")); got != "file-secret" {
		t.Errorf("Secret from a file = %q", got)
	}
	if got := string(u.Secret("k2")); got != "env-secret" {
		t.Errorf("Secret from the environment = %q", got)
	}
	if u.Secret("k3") != nil {
		t.Error("an absent secret is not nil")
	}
	if err := u.Done(); err != nil {
		t.Errorf("Done = %v", err)
	}
}

func TestURLErrors(t *testing.T) {
	t.Setenv("TEST_PROVIDER_SECRET", "env-secret")
	for _, tt := range []struct {
		url  string
		read func(*URL)
		says string
	}{
		{"fake://?n=0", func(u *URL) { u.Int("n", 1) }, `parameter "n": want a positive whole number`},
		{"fake://?d=soon", func(u *URL) { u.Duration("d", 0) }, `parameter "d": want a positive duration`},
		{"fake://?b=yes", func(u *URL) { u.Bool("b", false) }, `parameter "b": want true or false`},
		{"fake://?k=inline-secret", func(u *URL) { u.Secret("k") }, `parameter "k": a secret is not written in the URL; give k_file=PATH or k_env=VAR`},
		{"fake://?k_file=/a&k_env=B", func(u *URL) { u.Secret("k") }, "give k_file or k_env, not both"},
		{"fake://?k_env=TEST_PROVIDER_NOT_SET", func(u *URL) { u.Secret("k") }, `the environment variable "TEST_PROVIDER_NOT_SET" is not set`},
		{"fake://?k_file=/nonexistent/x", func(u *URL) { u.Secret("k") }, "it does not exist"},
		{"fake://?typo=1&name=x", func(u *URL) { u.String("name") }, `unknown parameter "typo"; fake takes name`},
		{"fake://?typo=1", func(*URL) {}, `unknown parameter "typo"; fake takes none`},
	} {
		u, err := parseURL(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		tt.read(u)
		err = u.Done()
		if err == nil || !strings.Contains(err.Error(), tt.says) || strings.Contains(err.Error(), "inline-secret") || strings.Contains(err.Error(), "env-secret") {
			t.Errorf("%s: Done = %v; want %q", tt.url, err, tt.says)
		}
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"memory://", "azurenh://ns.example/hub?key_name=a&key_env=B", "x://u:p@h/", "a://?%zz", "Endpoint=sb://x/;K=v", "apns://h:1?a=1&a=2#f", "://", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		const marker = "SECRETMARK"
		u, err := parseURL(raw + marker)
		if err != nil {
			if strings.Contains(err.Error(), marker) {
				t.Fatalf("the error quotes the URL: %v", err)
			}
			return
		}
		if u.Scheme == "" || strings.ToLower(u.Scheme) != u.Scheme {
			t.Fatalf("scheme %q", u.Scheme)
		}
		if err := u.Done(); err != nil && strings.Contains(err.Error(), marker) && !strings.Contains(raw, "?") {
			t.Fatalf("Done quotes a value: %v", err)
		}
	})
}
