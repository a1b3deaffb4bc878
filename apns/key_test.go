package apns_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestParseKey(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 1024)
	pkcs8 := func(k any) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		require.NoError(t, err)
		return pemOf(t, "PRIVATE KEY", der)
	}
	sec1, _ := x509.MarshalECPrivateKey(p256)
	tests := []struct {
		name string
		in   []byte
		err  string
	}{
		{"p8", pkcs8(p256), ""},
		{"p8 with text around it", append(append([]byte("AuthKey_ABC.p8\n"), pkcs8(p256)...), "\n"...), ""},
		{"sec1", pemOf(t, "EC PRIVATE KEY", sec1), ""},
		{"not pem", []byte("MIGTAgEAMBMGByqGSM49AgEGCCqGSM49"), "not PEM"},
		{"empty", nil, "not PEM"},
		{"certificate", pemOf(t, "CERTIFICATE", []byte{1, 2, 3}), `"CERTIFICATE"`},
		{"damaged", pemOf(t, "PRIVATE KEY", []byte{0x30, 0x03, 1, 2, 3}), "damaged"},
		{"p384", pkcs8(p384), "P-256"},
		{"rsa", pkcs8(rsaKey), "P-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := apns.ParseKey(tt.in)
			if tt.err == "" {
				require.NoError(t, err)
				require.NotNil(t, k)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			assert.NotContains(t, err.Error(), "MIG", "no key material in the error")
		})
	}
}

func TestReadKeyFile(t *testing.T) {
	srv := apnstest.NewServer()
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "AuthKey.p8")
	require.NoError(t, os.WriteFile(path, srv.Key().PEM, 0o600))
	_, err := apns.ReadKeyFile(path)
	require.NoError(t, err)
	_, err = apns.ReadKeyFile(path + ".missing")
	require.ErrorContains(t, err, "does not exist")
}

func TestKeyRedactsItself(t *testing.T) {
	srv := apnstest.NewServer()
	defer srv.Close()
	k, err := apns.ParseKey(srv.Key().PEM)
	require.NoError(t, err)
	creds := apns.Token(k, "KEY0000001", "TEAM000001")
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%10.3s"} {
		outputs = append(outputs, fmt.Sprintf(verb, k), fmt.Sprintf(verb, *k), fmt.Sprintf(verb, creds))
	}
	j, err := json.Marshal(struct{ Key *apns.Key }{k})
	require.NoError(t, err)
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("key", "key", k, "creds", creds)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("key", "key", *k)
	outputs = append(outputs, string(j), logs.String())
	d := privateScalar(t, srv.Key().PEM)
	for _, o := range outputs {
		assert.NotContains(t, o, d)
		assert.NotContains(t, o, "PRIVATE")
	}
	assert.Equal(t, "REDACTED", fmt.Sprintf("%v", k))
	assert.Equal(t, `"REDACTED"`, fmt.Sprintf("%q", k))
	assert.Equal(t, `{"Key":"REDACTED"}`, string(j))
}

// privateScalar returns the private scalar of a .p8 key, in hex.
func privateScalar(t *testing.T, p8 []byte) string {
	block, _ := pem.Decode(p8)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	b, err := k.(*ecdsa.PrivateKey).Bytes()
	require.NoError(t, err)
	return fmt.Sprintf("%x", b)
}

// The .p12 files in testdata were made with OpenSSL 3 from cert.pem (a
// self-signed P-256 certificate whose subject UID is com.example.app), with
// the password "test-password":
//
//	cert-3des.p12: -legacy -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1
//	cert-rc2.p12:  -legacy (certificates in RC2-40, the key in 3DES, SHA-1 MAC)
//	cert-aes.p12:  the default: PBES2, PBKDF2, AES-256-CBC, SHA-256 MAC
func TestParseP12(t *testing.T) {
	want, err := apns.ReadCertificateFiles("testdata/cert.pem", "")
	require.NoError(t, err)
	for _, name := range []string{"cert-3des.p12", "cert-rc2.p12", "cert-aes.p12"} {
		t.Run(name, func(t *testing.T) {
			cert, err := apns.ReadP12File("testdata/"+name, "test-password")
			require.NoError(t, err)
			assert.Equal(t, want.Certificate, cert.Certificate)
			assert.True(t, want.PrivateKey.(*ecdsa.PrivateKey).Equal(cert.PrivateKey))

			_, err = apns.ReadP12File("testdata/"+name, "wrong")
			require.ErrorContains(t, err, "password is wrong")
			assert.NotContains(t, err.Error(), "test-password")
		})
	}
	_, err = apns.ParseP12([]byte("not a p12"), "")
	require.ErrorContains(t, err, ".p12")
}

func TestCertificateTopicComesFromTheCertificate(t *testing.T) {
	cert, err := apns.ReadP12File("testdata/cert-aes.p12", "test-password")
	require.NoError(t, err)
	srv := apnstest.NewServer()
	defer srv.Close()
	c, err := apns.New(apns.Production, apns.Certificate(cert), apns.WithEndpoint(srv.URL()), apns.WithRootCAs(srv.RootCAs()))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Send(t.Context(), alert(), push.Device(device(1)))
	require.ErrorIs(t, err, push.ErrUnauthorized, "the emulator did not issue this certificate")
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "com.example.app", reqs[0].Header.Get("Apns-Topic"))
	assert.Equal(t, "BadCertificate", reqs[0].Reason)
}

// TestCertificateAuth sends with a certificate the emulator issued, through
// a .p12 and the Client's own HTTP/2 transport.
func TestCertificateAuth(t *testing.T) {
	srv := apnstest.NewServer()
	defer srv.Close()
	issued := srv.NewCertificate(apnstest.DefaultTopic)
	p12, err := pkcs12.Modern2023.Encode(issued.TLS.PrivateKey, issued.TLS.Leaf, nil, "pw")
	require.NoError(t, err)
	cert, err := apns.ParseP12(p12, "pw")
	require.NoError(t, err)
	c, err := apns.New(apns.Sandbox, apns.Certificate(cert), apns.WithEndpoint(srv.URL()), apns.WithRootCAs(srv.RootCAs()))
	require.NoError(t, err)
	defer c.Close()

	r, err := c.Send(t.Context(), alert(), push.Device(device(1)))
	require.NoError(t, err)
	assert.NotEmpty(t, r.ID)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.True(t, reqs[0].Certificate)
	assert.Empty(t, reqs[0].Header.Get("Authorization"), "no provider token with a certificate")

	voip := must(push.NewNotification(push.Apple, []byte(`{"aps":{}}`), map[string][]string{"Apns-Push-Type": {"voip"}}))
	_, err = c.Send(t.Context(), voip, push.Device(device(2)))
	require.NoError(t, err)
	assert.Equal(t, apnstest.DefaultTopic+".voip", srv.Requests()[1].Header.Get("Apns-Topic"))

	location := must(push.NewNotification(push.Apple, []byte(`{"aps":{}}`), map[string][]string{"Apns-Push-Type": {"location"}}))
	_, err = c.Send(t.Context(), location, push.Device(device(3)))
	require.ErrorIs(t, err, push.ErrInvalidNotification)
	assert.Contains(t, err.Error(), "token auth")
	assert.Len(t, srv.Requests(), 2, "refused before any I/O")
}

func TestReadCertificateFiles(t *testing.T) {
	_, err := apns.ReadCertificateFiles("testdata/missing.pem", "")
	require.ErrorContains(t, err, "does not exist")
	dir := t.TempDir()
	only := filepath.Join(dir, "cert.pem")
	b, _ := os.ReadFile("testdata/cert.pem")
	require.NoError(t, os.WriteFile(only, b[:strings.Index(string(b), "-----BEGIN PRIVATE")], 0o600))
	_, err = apns.ReadCertificateFiles(only, "")
	require.ErrorContains(t, err, "private key")
}
