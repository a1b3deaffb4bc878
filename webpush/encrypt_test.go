package webpush

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The RFC 8291 Appendix A example, verbatim.
const (
	rfcPlaintext  = "V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24"
	rfcASPublic   = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
	rfcASPrivate  = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
	rfcUAPublic   = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
	rfcUAPrivate  = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
	rfcSalt       = "DGv6ra1nlYgDCS1FRnbzlw"
	rfcAuthSecret = "BTBZMqHH6r4Tts7J_aSIgg"
	rfcIKM        = "S4lYMb_L0FxCeq0WhDx813KgSYqU26kOyzWUdsXYyrg"
	rfcBody       = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)

func unb64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func rfcKeys(t testing.TB) keys {
	k, err := parseKeys(rfcUAPublic, rfcAuthSecret)
	require.NoError(t, err)
	return k
}

// rfcRandom returns a random source that yields the example's ephemeral
// private key and salt, in the order seal reads them.
func rfcRandom(t testing.TB) *bytes.Reader {
	return bytes.NewReader(append(unb64(t, rfcASPrivate), unb64(t, rfcSalt)...))
}

// TestEncryptRFC8291 encrypts the RFC 8291 example with its key pair and salt
// injected, and compares the body byte for byte.
func TestEncryptRFC8291(t *testing.T) {
	s := sealer{random: rfcRandom(t)}
	body, err := s.seal(unb64(t, rfcPlaintext), rfcKeys(t))
	require.NoError(t, err)
	assert.Equal(t, rfcBody, base64.RawURLEncoding.EncodeToString(body))
	assert.Len(t, body, 144, "86 bytes of header, 41 of plaintext, the delimiter and the 16-byte tag")
}
