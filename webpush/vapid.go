package webpush

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"log/slog"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// opKey is the Op of the errors of GenerateVAPIDKey and ParseVAPIDKey.
const opKey = "webpush: vapid key"

// redacted is what a secret shows wherever it is printed, logged or encoded:
// the module's one word for it.
const redacted = httpx.Redacted

// vapidScalarLen is the length of a raw P-256 private key.
const vapidScalarLen = 32

// VAPIDKey is the application server's VAPID key pair (RFC 8292): a P-256
// key whose private half signs the token of every push request, and whose
// public half the app's page gives the browser as the applicationServerKey
// of PushManager.subscribe(). A push service then takes messages for that
// subscription only when signed with this key. Make one once with
// GenerateVAPIDKey, keep its PrivatePEM with the app's other secrets, and
// load it with ParseVAPIDKey.
//
// A VAPIDKey redacts itself: String, GoString, Format (every verb), LogValue
// and MarshalText show the public key and REDACTED for the private key.
// PrivatePEM is the one way to read the private key, so that reading it is
// always a deliberate act. A VAPIDKey is immutable and safe for concurrent
// use.
type VAPIDKey struct {
	private *ecdsa.PrivateKey
	public  string // base64url of the 65-byte uncompressed public point
}

// GenerateVAPIDKey returns a new VAPID key pair, from the system's secure
// random source. Generate it once per application server, not per run: every
// subscription a browser makes is bound to its public key.
func GenerateVAPIDKey() (*VAPIDKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, &push.Error{Op: opKey, Detail: "cannot generate a P-256 key", Err: err}
	}
	return newVAPIDKey(k)
}

// ParseVAPIDKey reads a VAPID private key in the forms it is kept in, and
// derives its public key:
//
//   - PEM: an "EC PRIVATE KEY" (SEC 1, what `openssl ecparam -genkey` writes)
//     or a "PRIVATE KEY" (PKCS #8, what PrivatePEM writes) of a P-256 key;
//   - base64 of the raw 32-byte private key, as web-push (Node.js),
//     webpush-go and pywebpush print it: URL-safe or standard alphabet, with
//     or without padding. A key whose leading zero bytes were dropped is
//     padded back to 32 bytes.
//
// Surrounding space is ignored. Its errors say what is wrong and never quote
// the key.
func ParseVAPIDKey(text []byte) (*VAPIDKey, error) {
	text = bytes.TrimSpace(text)
	if len(text) == 0 {
		return nil, keyError("the VAPID private key is empty")
	}
	if bytes.HasPrefix(text, []byte("-----BEGIN")) {
		return parsePEMKey(text)
	}
	raw, err := decodeKey(string(text))
	switch {
	case err != nil:
		return nil, keyError("the VAPID private key is neither PEM nor base64 (URL-safe or standard)")
	case len(raw) == 65 && raw[0] == 4:
		return nil, keyError("this is a VAPID public key (65 bytes); ParseVAPIDKey takes the private key, from which the public key derives")
	case len(raw) > vapidScalarLen:
		return nil, keyError(fmt.Sprintf("the VAPID private key decodes to %d bytes; a raw P-256 private key is %d", len(raw), vapidScalarLen))
	}
	var scalar [vapidScalarLen]byte
	copy(scalar[vapidScalarLen-len(raw):], raw)
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), scalar[:])
	if err != nil {
		return nil, keyError("the VAPID private key is not a valid P-256 private key (zero, or not below the curve's order)")
	}
	return newVAPIDKey(k)
}

func parsePEMKey(text []byte) (*VAPIDKey, error) {
	block, rest := pem.Decode(text)
	switch {
	case block == nil:
		return nil, keyError("the VAPID private key looks like PEM but does not decode")
	case len(bytes.TrimSpace(rest)) > 0 && !isParams(block):
		return nil, keyError("the VAPID key file holds more than one PEM block")
	}
	if isParams(block) { // openssl ecparam -genkey writes the curve first
		return parsePEMKey(rest)
	}
	var parsed any
	var err error
	switch block.Type {
	case "EC PRIVATE KEY":
		parsed, err = x509.ParseECPrivateKey(block.Bytes)
	case "PRIVATE KEY":
		parsed, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, keyError(fmt.Sprintf("the PEM block is a %.40q; want an EC PRIVATE KEY or a PRIVATE KEY", block.Type))
	}
	if err != nil {
		return nil, keyError("the PEM " + block.Type + " does not parse")
	}
	k, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || k.Curve != elliptic.P256() {
		return nil, keyError("the PEM key is not a P-256 (prime256v1) key, which VAPID requires")
	}
	return newVAPIDKey(k)
}

func isParams(b *pem.Block) bool { return b.Type == "EC PARAMETERS" }

func keyError(detail string) error { return &push.Error{Op: opKey, Detail: detail} }

func newVAPIDKey(k *ecdsa.PrivateKey) (*VAPIDKey, error) {
	pub, err := k.PublicKey.Bytes()
	if err != nil {
		return nil, keyError("the VAPID key's public point is invalid")
	}
	return &VAPIDKey{private: k, public: base64.RawURLEncoding.EncodeToString(pub)}, nil
}

// PublicKey returns the public key, URL-safe base64 without padding of its
// 65-byte uncompressed point: the applicationServerKey to give
// PushManager.subscribe(), and the k of every request's Authorization.
func (k *VAPIDKey) PublicKey() string { return k.public }

// PrivatePEM returns the private key as a PKCS #8 "PRIVATE KEY" PEM block,
// which ParseVAPIDKey reads back. It is the secret: store it as one.
func (k *VAPIDKey) PrivatePEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k.private)
	if err != nil { // a valid P-256 key always marshals
		panic("webpush: cannot marshal a P-256 key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// String returns "VAPIDKey(public PUBLIC, private REDACTED)".
func (k VAPIDKey) String() string {
	return "VAPIDKey(public " + k.public + ", private " + redacted + ")"
}

// GoString returns what String does, so %#v shows no private key either.
func (k VAPIDKey) GoString() string { return k.String() }

// Format writes String for every verb, honouring width and flags as %s
// would; %q quotes it.
func (k VAPIDKey) Format(f fmt.State, verb rune) {
	if verb != 'q' {
		verb = 's'
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), k.String())
}

// LogValue shows the public key and REDACTED for the private key, whatever
// the slog handler.
func (k VAPIDKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("public", k.public), slog.String("private", redacted))
}

// MarshalText returns String, so that encoding/json and encoding/xml do not
// write the private key either.
func (k VAPIDKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }
