package main

import (
	"io"
	"strings"
	"testing"
)

func TestListenLoopback(t *testing.T) {
	cases := []struct {
		addr, want string
	}{
		{"127.0.0.1:0", ""},
		{"[::1]:0", ""},
		{"0.0.0.0:8443", "not a loopback address"},
		{"192.0.2.1:8443", "not a loopback address"},
		{"localhost:8443", "want a loopback IP address"},
	}
	for _, c := range cases {
		t.Run(c.addr, func(t *testing.T) {
			l, err := listenLoopback(c.addr)
			if l != nil {
				l.Close()
			}
			if c.want == "" && err != nil && !strings.Contains(err.Error(), "cannot assign") {
				t.Errorf("listenLoopback(%q) = %v", c.addr, err)
			}
			if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Errorf("listenLoopback(%q) = %v, want an error about %q", c.addr, err, c.want)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-addr", "127.0.0.1:9000", "-hub", "news", "-quiet"}, io.Discard)
	if err != nil || o.addr != "127.0.0.1:9000" || o.hub != "news" || !o.quiet {
		t.Errorf("parseFlags = %+v, %v", o, err)
	}
	if _, err := parseFlags([]string{"extra"}, io.Discard); err == nil {
		t.Error("an extra argument was accepted")
	}
}
