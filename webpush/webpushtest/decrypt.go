package webpushtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// This file is the browser's side of RFC 8291 and a general RFC 8188
// decoder. It is written apart from the webpush client's encryption, on
// crypto/hmac rather than crypto/hkdf, so that a mistake in one is not
// repeated in the other.

// The fixed sizes of an aes128gcm header (RFC 8188, section 2.1).
const (
	saltSize     = 16
	minHeader    = saltSize + 4 + 1 // salt, rs, idlen; keyid follows
	gcmTagSize   = 16
	minRecord    = 18 // the smallest rs: one byte of plaintext, the delimiter and the tag
	uaKeySize    = 65
	uaAuthSize   = 16
	webPushIDLen = 65 // the keyid of a Web Push message: the sender's public key
)

// ecHeader is the header of an aes128gcm body.
type ecHeader struct {
	salt  []byte
	rs    uint32
	keyid []byte
	size  int // bytes of header: 21 + len(keyid)
}

// parseECHeader reads the header of an aes128gcm body.
func parseECHeader(body []byte) (ecHeader, error) {
	if len(body) < minHeader {
		return ecHeader{}, fmt.Errorf("the body is %d bytes, shorter than the %d-byte aes128gcm header", len(body), minHeader)
	}
	h := ecHeader{salt: body[:saltSize], rs: binary.BigEndian.Uint32(body[saltSize : saltSize+4])}
	idlen := int(body[saltSize+4])
	h.size = minHeader + idlen
	if len(body) < h.size {
		return ecHeader{}, fmt.Errorf("the header's keyid is %d bytes but the body ends after %d", idlen, len(body)-minHeader)
	}
	h.keyid = body[minHeader:h.size]
	if h.rs < minRecord {
		return ecHeader{}, fmt.Errorf("the record size rs is %d; it must be at least %d", h.rs, minRecord)
	}
	return h, nil
}

// hmacSHA256 returns HMAC-SHA-256(key, parts...).
func hmacSHA256(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// webPushIKM computes the input keying material of a Web Push message on
// the browser's side (RFC 8291, section 3.3): from the browser's private key,
// the sender's public key and the authentication secret. It checks the
// sender's key is a point on the curve.
func webPushIKM(ua *ecdh.PrivateKey, auth, senderPublic []byte) ([]byte, error) {
	sender, err := ecdh.P256().NewPublicKey(senderPublic)
	if err != nil {
		return nil, errors.New("the keyid is not an uncompressed P-256 point on the curve")
	}
	shared, err := ua.ECDH(sender)
	if err != nil {
		return nil, fmt.Errorf("ECDH with the keyid failed: %v", err)
	}
	prkKey := hmacSHA256(auth, shared)
	info := append([]byte("WebPush: info\x00"), ua.PublicKey().Bytes()...)
	info = append(info, senderPublic...)
	return hmacSHA256(prkKey, info, []byte{1}), nil
}

// decryptWebPush decrypts a Web Push message as a browser does, with its
// private key and authentication secret.
func decryptWebPush(ua *ecdh.PrivateKey, auth, body []byte) ([]byte, error) {
	h, err := parseECHeader(body)
	if err != nil {
		return nil, err
	}
	if len(h.keyid) != webPushIDLen {
		return nil, fmt.Errorf("the keyid is %d bytes; a Web Push message's is the %d-byte public key of the sender", len(h.keyid), webPushIDLen)
	}
	ikm, err := webPushIKM(ua, auth, h.keyid)
	if err != nil {
		return nil, err
	}
	return decryptRecords(ikm, body)
}

// decryptRecords decodes an aes128gcm body (RFC 8188) whose input keying
// material is ikm: any keyid, any number of records.
func decryptRecords(ikm, body []byte) ([]byte, error) {
	h, err := parseECHeader(body)
	if err != nil {
		return nil, err
	}
	prk := hmacSHA256(h.salt, ikm)
	cek := hmacSHA256(prk, []byte("Content-Encoding: aes128gcm\x00\x01"))[:16]
	baseNonce := hmacSHA256(prk, []byte("Content-Encoding: nonce\x00\x01"))[:12]
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	records := body[h.size:]
	if len(records) == 0 {
		return nil, errors.New("the body has a header and no record")
	}
	var out []byte
	rs := int(h.rs)
	for seq := 0; len(records) > 0; seq++ {
		n := min(rs, len(records))
		last := n == len(records)
		plain, err := openRecord(gcm, baseNonce, uint64(seq), records[:n], last)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", seq, err)
		}
		out = append(out, plain...)
		records = records[n:]
	}
	return out, nil
}

// openRecord decrypts record seq and removes its padding: the last non-zero
// byte must be 2 in the last record and 1 in the others.
func openRecord(gcm cipher.AEAD, baseNonce []byte, seq uint64, record []byte, last bool) ([]byte, error) {
	if len(record) <= gcmTagSize {
		return nil, fmt.Errorf("%d bytes is too short for a record (at least %d)", len(record), gcmTagSize+1)
	}
	nonce := make([]byte, len(baseNonce))
	copy(nonce, baseNonce)
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], seq)
	for i := range counter {
		nonce[len(nonce)-8+i] ^= counter[i]
	}
	plain, err := gcm.Open(nil, nonce, record, nil)
	if err != nil {
		return nil, errors.New("the authentication tag does not verify (wrong keys, or a changed body)")
	}
	end := len(plain) - 1
	for end >= 0 && plain[end] == 0 {
		end--
	}
	switch {
	case end < 0:
		return nil, errors.New("the record is all padding, without a delimiter")
	case last && plain[end] != 2:
		return nil, fmt.Errorf("the last record's delimiter is 0x%02x; want 0x02", plain[end])
	case !last && plain[end] != 1:
		return nil, fmt.Errorf("the record's delimiter is 0x%02x; want 0x01 before the last record", plain[end])
	}
	return plain[:end], nil
}
