package webpush

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The VAPID key of the internal tests, raw and base64url, and its public key.
const (
	testKeyText   = "QckpSf23zz0k2Ch21lfMUxxIOAqUiC57Q1QjMYEHNuU"
	testPublicKey = "BIxYK08HdDKnirT80k5FVzQiUVvQinZbcumZSlt_RKMQzEZS61tUKMzKJFTZ_qrQz-FeD_kvIZBZYkQzqAReISE"
)

func testKey(t testing.TB) *VAPIDKey {
	t.Helper()
	k, err := ParseVAPIDKey([]byte(testKeyText))
	require.NoError(t, err)
	return k
}

func pemOf(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func TestParseVAPIDKeyForms(t *testing.T) {
	k := testKey(t)
	raw, err := k.private.Bytes()
	require.NoError(t, err)
	sec1, err := x509.MarshalECPrivateKey(k.private)
	require.NoError(t, err)
	params := pemOf("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})

	for _, tc := range []struct{ name, text string }{
		{"base64url", testKeyText},
		{"base64url, padded", testKeyText + "="},
		{"standard base64", base64.StdEncoding.EncodeToString(raw)},
		{"standard base64 without padding", base64.RawStdEncoding.EncodeToString(raw)},
		{"with space around", "\n  " + testKeyText + "\r\n"},
		{"PEM EC PRIVATE KEY", pemOf("EC PRIVATE KEY", sec1)},
		{"PEM as openssl ecparam -genkey writes it", params + pemOf("EC PRIVATE KEY", sec1)},
		{"PEM PRIVATE KEY (PrivatePEM)", string(k.PrivatePEM())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseVAPIDKey([]byte(tc.text))
			require.NoError(t, err)
			assert.Equal(t, testPublicKey, got.PublicKey())
			assert.True(t, got.private.Equal(k.private))
		})
	}
}

// TestParseVAPIDKeyLeadingZero reads a key whose first byte is zero, written
// without it, as some libraries print it.
func TestParseVAPIDKeyLeadingZero(t *testing.T) {
	scalar := append([]byte{0}, bytes.Repeat([]byte{0x5a}, 31)...)
	want, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), scalar)
	require.NoError(t, err)
	got, err := ParseVAPIDKey([]byte(base64.RawURLEncoding.EncodeToString(scalar[1:])))
	require.NoError(t, err)
	assert.True(t, got.private.Equal(want))
}

func TestParseVAPIDKeyErrors(t *testing.T) {
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	p384DER, err := x509.MarshalPKCS8PrivateKey(p384)
	require.NoError(t, err)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	rsaDER, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	require.NoError(t, err)
	sec1 := string(testKey(t).PrivatePEM())

	for _, tc := range []struct{ name, text, want string }{
		{"empty", "  ", "empty"},
		{"not base64", "not a key!", "neither PEM nor base64"},
		{"the public key", testPublicKey, "public key"},
		{"33 bytes", base64.RawURLEncoding.EncodeToString(make([]byte, 33)), "33 bytes"},
		{"zero", base64.RawURLEncoding.EncodeToString(make([]byte, 32)), "not a valid P-256 private key"},
		{"over the order", base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xff}, 32)), "not a valid P-256 private key"},
		{"bad PEM", "-----BEGIN EC PRIVATE KEY-----\nnope\n", "does not decode"},
		{"PEM of another type", pemOf("CERTIFICATE", []byte{1}), "CERTIFICATE"},
		{"PEM that does not parse", pemOf("EC PRIVATE KEY", []byte{1, 2, 3}), "does not parse"},
		{"P-384", pemOf("PRIVATE KEY", p384DER), "P-256"},
		{"RSA", pemOf("PRIVATE KEY", rsaDER), "P-256"},
		{"two keys", sec1 + sec1, "more than one PEM block"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseVAPIDKey([]byte(tc.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), testKeyText)
		})
	}
}

func TestGenerateVAPIDKey(t *testing.T) {
	a, err := GenerateVAPIDKey()
	require.NoError(t, err)
	b, err := GenerateVAPIDKey()
	require.NoError(t, err)
	assert.NotEqual(t, a.PublicKey(), b.PublicKey())
	raw, err := base64.RawURLEncoding.DecodeString(a.PublicKey())
	require.NoError(t, err)
	assert.Len(t, raw, 65)
	assert.Equal(t, byte(4), raw[0], "uncompressed point")
	again, err := ParseVAPIDKey(a.PrivatePEM())
	require.NoError(t, err)
	assert.Equal(t, a.PublicKey(), again.PublicKey(), "PrivatePEM reads back")
}

// TestVAPIDKeyRedacts prints, logs and encodes a key every way a program
// might, and finds the private key nowhere.
func TestVAPIDKeyRedacts(t *testing.T) {
	k := testKey(t)
	secrets := []string{testKeyText, strings.TrimSpace(string(k.PrivatePEM()))}
	raw, _ := k.private.Bytes()
	secrets = append(secrets, fmt.Sprintf("%x", raw), base64.StdEncoding.EncodeToString(raw))
	holder := struct {
		Key  *VAPIDKey
		Val  VAPIDKey
		Name string
	}{k, *k, "app"}

	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		outs = append(outs, fmt.Sprintf(verb, k), fmt.Sprintf(verb, *k), fmt.Sprintf(verb, holder))
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("key", "k", k, "v", *k)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("key", "k", k, "v", *k)
	enc, err := json.Marshal(holder)
	require.NoError(t, err)
	outs = append(outs, text.String(), js.String(), string(enc))

	for _, out := range outs {
		for _, s := range secrets {
			assert.NotContains(t, out, s)
		}
	}
	assert.Equal(t, "VAPIDKey(public "+testPublicKey+", private REDACTED)", fmt.Sprintf("%v", k))
	assert.Equal(t, "VAPIDKey(public "+testPublicKey+", private REDACTED)", fmt.Sprintf("%#v", *k))
	assert.Contains(t, text.String(), "k.public="+testPublicKey+" k.private=REDACTED")
}
