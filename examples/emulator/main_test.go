package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/pushwire/push/examples/internal/tty"
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
	o, err := parseFlags([]string{"-addr", "127.0.0.1:9000", "-hub", "news", "-quiet", "-no-color"}, io.Discard)
	if err != nil || o.addr != "127.0.0.1:9000" || o.hub != "news" || !o.quiet || !o.noColor {
		t.Errorf("parseFlags = %+v, %v", o, err)
	}
	for _, args := range [][]string{{"extra"}, {"-hub", ".."}, {"-hub", "my hub"}, {"-hub", "-news"}, {"-nosuchflag"}} {
		_, err := parseFlags(args, io.Discard)
		if !errors.As(err, new(usageError)) {
			t.Errorf("parseFlags(%q) = %v; want a usage error (exit code 2)", args, err)
		}
	}
	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h gives %v; want flag.ErrHelp, which main turns into exit code 0", err)
	}
}

func TestNoColorWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	newLogger(&buf, false, !tty.Color(&buf, false, os.Getenv)).Debug("nhtest request", "status", 201)
	if strings.Contains(buf.String(), "\x1b[") {
		t.Errorf("the log to a buffer is coloured: %q", buf.String())
	}
}
