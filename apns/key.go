package apns

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"log/slog"
	"os"
)

// redacted is what a secret shows wherever it is printed, logged or encoded.
const redacted = "REDACTED"

// Key is the private key of an APNs authentication token signing key: the
// .p8 file Apple lets you download once, an EC P-256 key in PKCS#8 PEM form.
// It signs the provider tokens of token-based authentication (see Token).
//
// A Key redacts itself: String, GoString, Format (every verb), LogValue and
// MarshalText all show REDACTED, so a Key in an error, a log record or a
// printed struct shows no secret. Load one with ParseKey or ReadKeyFile; the
// zero Key is not usable.
type Key struct {
	k *ecdsa.PrivateKey
}

// ParseKey reads a .p8 key: a PEM block "PRIVATE KEY" holding a PKCS#8 EC
// P-256 private key, as Apple issues it (an "EC PRIVATE KEY" SEC 1 block is
// accepted too). Text around the block is ignored. The error says what is
// wrong without quoting the key.
func ParseKey(p8 []byte) (*Key, error) {
	block, _ := pem.Decode(p8)
	if block == nil {
		return nil, keyError("the key is not PEM: want the contents of the AuthKey_KEYID.p8 file Apple issued, from -----BEGIN PRIVATE KEY-----")
	}
	var parsed any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		parsed, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		parsed, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, keyError(fmt.Sprintf("the PEM block is %.40q; want PRIVATE KEY, the form of an AuthKey_KEYID.p8 file", block.Type))
	}
	if err != nil {
		return nil, keyError("the PRIVATE KEY block does not parse as PKCS#8: the .p8 file is damaged")
	}
	k, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || k.Curve != elliptic.P256() {
		return nil, keyError("the key is not an EC P-256 key; APNs signs provider tokens with ES256 (a .p8 key from the Keys page of the developer account)")
	}
	return &Key{k: k}, nil
}

// ReadKeyFile reads a .p8 key from a file (see ParseKey).
func ReadKeyFile(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, keyError("cannot read the key file: " + describeFileError(err))
	}
	return ParseKey(b)
}

func keyError(detail string) error { return newError(detail) }

// String returns REDACTED.
func (Key) String() string { return redacted }

// GoString returns REDACTED, so %#v does not show the key either.
func (Key) GoString() string { return redacted }

// Format writes REDACTED for every verb; %q quotes it.
func (Key) Format(f fmt.State, verb rune) {
	if verb != 'q' {
		verb = 's'
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), redacted)
}

// LogValue returns REDACTED, so a Key logged with log/slog shows no secret.
func (Key) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText returns REDACTED, so encoding/json and encoding/xml do not write
// the key either.
func (Key) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// describeFileError says why a file could not be read, without its contents.
func describeFileError(err error) string {
	switch {
	case os.IsNotExist(err):
		return "it does not exist"
	case os.IsPermission(err):
		return "permission denied"
	}
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}
