package nhtest_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/pushwire/push/azurenh/nhtest"
)

func TestLoggingHidesSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEmulator(t, nhtest.WithLogger(logger))
	r := appleSend("news")
	r.auth = e.authFor(nhtest.FullRuleName)
	e.do(r).expect(t, http.StatusCreated, "")
	e.do(req{method: http.MethodGet, path: "/installations/x", auth: sign(e.URL()+"/", nhtest.FullRuleName, "wrong", start.Add(3600e9))}).expect(t, http.StatusUnauthorized, "")
	log := buf.String()
	if strings.Count(log, "nhtest request") != 2 || !strings.Contains(log, "status=201") || !strings.Contains(log, "status=401") ||
		!strings.Contains(log, "rule=DefaultFullSharedAccessSignature") {
		t.Errorf("log:\n%s", log)
	}
	_, sig, _ := strings.Cut(r.auth, "sig=")
	sig, _, _ = strings.Cut(sig, "&")
	for _, secret := range []string{"SharedAccessSignature sr=", sig, testKey} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds a secret %q:\n%s", secret, log)
		}
	}
}

func TestWithListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := nhtest.NewServer(nhtest.WithListener(l))
	defer s.Close()
	if s.URL() != "https://"+l.Addr().String() || !strings.Contains(s.ConnectionString(), "sb://"+l.Addr().String()+"/;") {
		t.Errorf("URL %s, connection string %s; want the listener's address %s", s.URL(), s.ConnectionString(), l.Addr())
	}
	resp, err := s.Client().Get(s.URL() + "/hub/installations/x?api-version=2020-06")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("TrackingId") == "" {
		t.Errorf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
}

func TestCertificatePEM(t *testing.T) {
	s := nhtest.NewServer()
	defer s.Close()
	block, _ := pem.Decode(s.CertificatePEM())
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("not a PEM certificate: %s", s.CertificatePEM())
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil || !cert.Equal(s.Certificate()) {
		t.Fatalf("PEM certificate differs: %v", err)
	}
	if err := cert.VerifyHostname("127.0.0.1"); err != nil {
		t.Error(err)
	}
}

func TestRightsString(t *testing.T) {
	cases := map[nhtest.Rights]string{
		0: "none", nhtest.RightListen: "Listen", nhtest.RightSend | nhtest.RightListen: "Listen, Send",
		nhtest.RightListen | nhtest.RightSend | nhtest.RightManage: "Listen, Send, Manage",
	}
	for r, want := range cases {
		if r.String() != want {
			t.Errorf("%d.String() = %q, want %q", r, r.String(), want)
		}
	}
}

func TestErrorBody(t *testing.T) {
	e := newEmulator(t)
	resp := e.do(req{method: http.MethodGet, path: "/installations/x", auth: "-"})
	golden(t, "error_missing_token", resp.body)
}
