package webpushtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func unb64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

// The RFC 8291 Appendix A example.
const (
	rfcPlaintext  = "When I grow up, I want to be a watermelon"
	rfcUAPrivate  = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
	rfcAuthSecret = "BTBZMqHH6r4Tts7J_aSIgg"
	rfcASPublic   = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
	rfcIKM        = "S4lYMb_L0FxCeq0WhDx813KgSYqU26kOyzWUdsXYyrg"
	rfcBody       = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)

func rfcBrowser(t testing.TB) *ecdh.PrivateKey {
	k, err := ecdh.P256().NewPrivateKey(unb64(t, rfcUAPrivate))
	require.NoError(t, err)
	return k
}

// TestDecryptRFC8188 decodes the two examples of RFC 8188, section 3: one
// record without keyid, and two records of rs 25 with keyid "a1".
func TestDecryptRFC8188(t *testing.T) {
	for _, tc := range []struct{ name, ikm, body string }{
		{"3.1 one record", "yqdlZ-tYemfogSmv7Ws5PQ", "I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg"},
		{"3.2 two records", "BO3ZVPxUlnLORbVGMpbT1Q", "uNCkWiNYzKTnBN9ji3-qWAAAABkCYTHOG8chz_gnvgOqdGYovxyjuqRyJFjEDyoF1Fvkj6hQPdPHI51OEUKEpgz3SsLWIqS_uA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain, err := decryptRecords(unb64(t, tc.ikm), unb64(t, tc.body))
			require.NoError(t, err)
			assert.Equal(t, "I am the walrus", string(plain))
		})
	}
}

// TestDecryptRFC8291 decrypts the RFC 8291 example as its browser.
func TestDecryptRFC8291(t *testing.T) {
	body := unb64(t, rfcBody)
	ikm, err := webPushIKM(rfcBrowser(t), unb64(t, rfcAuthSecret), unb64(t, rfcASPublic))
	require.NoError(t, err)
	assert.Equal(t, rfcIKM, base64.RawURLEncoding.EncodeToString(ikm))
	plain, err := decryptWebPush(rfcBrowser(t), unb64(t, rfcAuthSecret), body)
	require.NoError(t, err)
	assert.Equal(t, rfcPlaintext, string(plain))
}

// TestDecryptFailures checks that what a browser discards is reported, with
// the reason.
func TestDecryptFailures(t *testing.T) {
	ua, auth := rfcBrowser(t), unb64(t, rfcAuthSecret)
	body := func(edit func([]byte) []byte) []byte { return edit(unb64(t, rfcBody)) }
	for _, tc := range []struct {
		name string
		body []byte
		auth []byte
		want string
	}{
		{"a changed ciphertext byte", body(func(b []byte) []byte { b[100] ^= 1; return b }), auth, "authentication tag"},
		{"another auth secret", body(func(b []byte) []byte { return b }), make([]byte, 16), "authentication tag"},
		{"a truncated record", body(func(b []byte) []byte { return b[:120] }), auth, "authentication tag"},
		{"a record shorter than its tag", body(func(b []byte) []byte { return b[:90] }), auth, "too short"},
		{"no record", body(func(b []byte) []byte { return b[:86] }), auth, "no record"},
		{"a short header", []byte("short"), auth, "shorter than"},
		{"an idlen past the end", body(func(b []byte) []byte { b[20] = 200; return b[:100] }), auth, "keyid is 200 bytes"},
		{"a keyid off the curve", body(func(b []byte) []byte { b[40] ^= 1; return b }), auth, "on the curve"},
		{"a keyid of another length", append(append(unb64(t, rfcBody)[:20:20], 2, 'a', '1'), make([]byte, 30)...), auth, "keyid is 2 bytes"},
		{"rs under 18", body(func(b []byte) []byte { b[16], b[17], b[18], b[19] = 0, 0, 0, 17; return b }), auth, "at least 18"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decryptWebPush(ua, tc.auth, tc.body)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// seal encrypts records (each a record's plaintext, delimiter and padding
// included) into an aes128gcm body: the test's own encoder, to make what the
// RFC vectors do not have.
func seal(t *testing.T, ikm []byte, rs uint32, keyid []byte, records ...[]byte) []byte {
	t.Helper()
	salt := make([]byte, 16)
	prk := hmacSHA256(salt, ikm)
	block, err := aes.NewCipher(hmacSHA256(prk, []byte("Content-Encoding: aes128gcm\x00\x01"))[:16])
	require.NoError(t, err)
	gcm, err := cipher.NewGCM(block)
	require.NoError(t, err)
	nonce := hmacSHA256(prk, []byte("Content-Encoding: nonce\x00\x01"))[:12]
	body := binary.BigEndian.AppendUint32(salt, rs)
	body = append(append(body, byte(len(keyid))), keyid...)
	for i, r := range records {
		n := slices.Clone(nonce)
		n[11] ^= byte(i)
		body = gcm.Seal(body, n, r, nil)
	}
	return body
}

// TestDecryptPadding checks the delimiters and padding of RFC 8188, section
// 2: zeros after the delimiter are padding; the last record ends with 2, the
// others with 1.
func TestDecryptPadding(t *testing.T) {
	ikm := make([]byte, 16)
	for _, tc := range []struct {
		name    string
		records [][]byte
		want    string // "" for an error
		err     string
	}{
		{"padded", [][]byte{[]byte("hi\x02\x00\x00\x00")}, "hi", ""},
		{"two records", [][]byte{[]byte("ab\x01\x00"), []byte("cd\x02")}, "abcd", ""},
		{"last delimiter 1", [][]byte{[]byte("hi\x01")}, "", "delimiter is 0x01; want 0x02"},
		{"early delimiter 2", [][]byte{[]byte("ab\x02\x00"), []byte("cd\x02")}, "", "want 0x01 before the last record"},
		{"all zeros", [][]byte{[]byte("\x00\x00\x00")}, "", "all padding"},
		{"junk after the delimiter", [][]byte{[]byte("hi\x02x")}, "", "delimiter is 0x78"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := uint32(4096)
			if len(tc.records) > 1 {
				rs = uint32(len(tc.records[0]) + 16)
			}
			plain, err := decryptRecords(ikm, seal(t, ikm, rs, nil, tc.records...))
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(plain))
		})
	}
}
