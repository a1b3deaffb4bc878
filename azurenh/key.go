package azurenh

import (
	"fmt"
	"log/slog"
)

// redacted is what a secret shows wherever it is printed, logged or encoded.
const redacted = "REDACTED"

// Key is the SharedAccessKey of a shared access rule: the secret that signs every
// request to the hub.
//
// A Key redacts itself: String, GoString, Format (every verb, %v %+v %#v %s %q %x
// included), LogValue (any slog handler, text or JSON) and MarshalText (encoding/json,
// encoding/xml) all show REDACTED, never the key. Converting it with string(k) is the
// only way to read it back, so that reading it is always a deliberate act.
//
// fmt cannot call methods on a value it reaches through an unexported struct field,
// and reflection-based printers (testify's diff, go-cmp) call none at all, so a
// struct of yours that keeps a Key should keep the ConnectionString it came from,
// which seals its key where no printer reaches it.
type Key string

// String returns REDACTED.
func (Key) String() string { return redacted }

// GoString returns REDACTED, so %#v does not show the key either.
func (Key) GoString() string { return redacted }

// Format writes REDACTED for every verb, honouring width, precision and flags as %s
// would; %q quotes it.
func (Key) Format(f fmt.State, verb rune) {
	if verb != 'q' {
		verb = 's'
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), redacted)
}

// LogValue returns REDACTED, so a Key logged with log/slog shows no secret whatever
// the handler.
func (Key) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText returns REDACTED, so encoding/json and encoding/xml do not write the
// key either. A Key can still be decoded from text, as a plain string.
func (Key) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// bytes returns the key text as bytes: the HMAC key of a shared access signature.
// The key is used as written, not base64-decoded.
func (k Key) bytes() []byte { return []byte(k) }

// sealedKey holds a Key in a closure: fmt, log/slog and reflection-based
// printers, which walk a value's fields, pointers and interfaces, cannot see
// into a function value.
type sealedKey func() Key

func seal(k Key) sealedKey { return func() Key { return k } }

// open returns the key; "" for the zero sealedKey.
func (s sealedKey) open() Key {
	if s == nil {
		return ""
	}
	return s()
}
