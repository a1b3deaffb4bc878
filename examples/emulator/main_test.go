package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pushwire/push"
	_ "github.com/pushwire/push/apns" // registers apns://
	"github.com/pushwire/push/examples/internal/tty"
	_ "github.com/pushwire/push/fcm" // registers fcm://
	"github.com/pushwire/push/provider"
	"github.com/pushwire/push/webpush" // registers webpush://
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

// Each direct service's banner tells a client enough to send: the provider
// URL it prints opens a Sender that the emulator accepts.
func TestBannersOpenWorkingSenders(t *testing.T) {
	for _, service := range []string{"apns", "fcm", "webpush"} {
		t.Run(service, func(t *testing.T) {
			l, err := listenLoopback("127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			o := options{service: service, cert: filepath.Join(t.TempDir(), "cert.pem")}
			e, err := services[service](l, slog.New(slog.DiscardHandler), o)
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			for path, data := range e.files {
				if err := os.WriteFile(path, data, 0o600); err != nil {
					t.Fatal(err)
				}
				defer os.Remove(path)
			}
			var banner bytes.Buffer
			e.banner(&banner, o.cert)
			raw := lineAfter(t, banner.String(), "provider URL:")
			hc := trusting(t, e.certificate)
			ctx := context.Background()
			switch service {
			case "apns", "fcm":
				s, err := provider.Open(ctx, raw, provider.WithHTTPClient(hc))
				if err != nil {
					t.Fatalf("Open(%q): %v", raw, err)
				}
				defer s.Close()
				n := mustAlert(t, map[string]push.Platform{"apns": push.Apple, "fcm": push.FCMV1}[service])
				handle := strings.Repeat("ab", 32)
				if service == "fcm" {
					handle = "fcm-token-from-the-app"
				}
				if _, err := s.Send(ctx, n, push.Device(handle)); err != nil {
					t.Errorf("a send through the banner's URL: %v", err)
				}
			case "webpush":
				sendToANewSubscription(t, hc, lineAfter(t, banner.String(), "subscribe:    POST"), raw)
			}
		})
	}
}

// sendToANewSubscription subscribes as the banner says, then sends through
// the banner's URL with a VAPID key of the test's.
func sendToANewSubscription(t *testing.T, hc *http.Client, subscribeURL, raw string) {
	t.Helper()
	resp, err := hc.Post(subscribeURL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	sub, err := webpush.ParseSubscription(body)
	if err != nil {
		t.Fatalf("POST /subscribe answered %d %s: %v", resp.StatusCode, body, err)
	}
	key, err := webpush.GenerateVAPIDKey()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "vapid.pem")
	if err := os.WriteFile(keyFile, key.PrivatePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := provider.Open(context.Background(), strings.Replace(raw, "PATH", keyFile, 1), provider.WithHTTPClient(hc))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if _, err := s.Send(context.Background(), mustAlert(t, push.Browser), push.BrowserDevice(sub)); err != nil {
		t.Errorf("a send to the emulator's subscription: %v", err)
	}
}

// lineAfter returns the first word after prefix on a line of text.
func lineAfter(t *testing.T, text, prefix string) string {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			return strings.Fields(rest)[0]
		}
	}
	t.Fatalf("no line %q in\n%s", prefix, text)
	return ""
}

// trusting returns a client that trusts the PEM certificate.
func trusting(t *testing.T, pemCert []byte) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemCert) {
		t.Fatal("the certificate does not parse")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func mustAlert(t *testing.T, p push.Platform) push.Notification {
	t.Helper()
	n, err := push.Alert{Title: "Hello", Body: "from the emulator's banner"}.Notification(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
