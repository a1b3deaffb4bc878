package webpush

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"sync"
)

// The sizes that bound a message.
const (
	// MaxBodySize is the largest encrypted body a push service must take
	// (RFC 8030, section 7.2).
	MaxBodySize = 4096
	// MaxPayload is the longest notification body one message carries:
	// MaxBodySize less the 86-byte header, the padding delimiter and the
	// 16-byte authentication tag.
	MaxPayload = 3993
)

// Sizes of an aes128gcm message (RFC 8188, RFC 8291).
const (
	saltLen    = 16
	keyidLen   = 65 // the sender's ephemeral public key, uncompressed
	headerLen  = saltLen + 4 + 1 + keyidLen
	tagLen     = 16
	recordSize = 4096 // the rs of every message: more than its one record holds
	// maxRecordPlain is the most record plaintext (payload, delimiter,
	// padding) that fits in MaxBodySize.
	maxRecordPlain = MaxBodySize - headerLen - tagLen
)

// The sizes agree: a payload of MaxPayload bytes fills MaxBodySize.
var _ = [1]struct{}{}[MaxPayload+1+headerLen+tagLen-MaxBodySize]

// The info strings of RFC 8291 and RFC 8188.
const (
	keyInfoPrefix = "WebPush: info\x00"
	cekInfo       = "Content-Encoding: aes128gcm\x00"
	nonceInfo     = "Content-Encoding: nonce\x00"
)

// sealer encrypts messages for subscriptions (RFC 8291): a fresh P-256 key
// pair and salt per message, read from random.
type sealer struct {
	random io.Reader // safe for concurrent use
	pad    int       // round the record plaintext up to a multiple of pad; 0: no padding
}

// recordLen returns the length of the record plaintext of a payload of n
// bytes: the payload, the delimiter and the padding asked for, never more
// than fits in MaxBodySize.
func (s *sealer) recordLen(n int) int {
	l := n + 1
	if s.pad > 1 {
		l = min((l+s.pad-1)/s.pad*s.pad, max(maxRecordPlain, l))
	}
	return l
}

// seal encrypts payload for the browser whose public key is k.ua and whose
// authentication secret is k.auth, and returns the aes128gcm body: the
// 86-byte header (salt, rs, idlen, the ephemeral public key) and one record.
// payload must be at most MaxPayload bytes.
func (s *sealer) seal(payload []byte, k keys) ([]byte, error) {
	var seed [vapidScalarLen + saltLen]byte
	priv, err := s.ephemeral(seed[:])
	if err != nil {
		return nil, err
	}
	return sealWith(priv, seed[vapidScalarLen:], payload, k, s.recordLen(len(payload)))
}

// ephemeral reads a private key and a salt from s.random into seed, until
// the key is valid (a random 32 bytes is not, with probability 2^-32).
func (s *sealer) ephemeral(seed []byte) (*ecdh.PrivateKey, error) {
	for range 8 {
		if _, err := io.ReadFull(s.random, seed); err != nil {
			return nil, errors.New("the random source failed: " + err.Error())
		}
		if priv, err := ecdh.P256().NewPrivateKey(seed[:vapidScalarLen]); err == nil {
			return priv, nil
		}
	}
	return nil, errors.New("the random source gave no valid P-256 key in 8 tries")
}

// sealWith encrypts payload with the ephemeral key priv and salt into a
// record of plainLen bytes (payload, delimiter 0x02, zero padding).
func sealWith(priv *ecdh.PrivateKey, salt, payload []byte, k keys, plainLen int) ([]byte, error) {
	secret, err := priv.ECDH(k.ua) // the 32-byte x coordinate, left-padded
	if err != nil {
		return nil, err
	}
	asPublic := priv.PublicKey().Bytes()
	body := make([]byte, headerLen+plainLen+tagLen)
	copy(body, salt)
	binary.BigEndian.PutUint32(body[saltLen:], recordSize)
	body[saltLen+4] = keyidLen
	copy(body[saltLen+5:], asPublic)

	info := make([]byte, 0, len(keyInfoPrefix)+2*keyidLen)
	info = append(append(append(info, keyInfoPrefix...), k.uaPublic...), asPublic...)
	ikm, err := hkdf.Key(sha256.New, secret, k.auth, string(info), sha256.Size)
	if err != nil {
		return nil, err
	}
	aead, nonce, err := contentKey(ikm, salt)
	if err != nil {
		return nil, err
	}
	record := body[headerLen : headerLen+plainLen]
	copy(record, payload)
	record[len(payload)] = 2 // the last (and only) record's delimiter; zeros follow
	aead.Seal(record[:0], nonce, record, nil)
	return body, nil
}

// contentKey derives the content encryption key and nonce of RFC 8188 from
// the input keying material and the salt.
func contentKey(ikm, salt []byte) (cipher.AEAD, []byte, error) {
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, nil, err
	}
	cek, err := hkdf.Expand(sha256.New, prk, cekInfo, 16)
	if err != nil {
		return nil, nil, err
	}
	nonce, err := hkdf.Expand(sha256.New, prk, nonceInfo, 12)
	if err != nil {
		return nil, nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, nil, err
	}
	aead, err := cipher.NewGCM(block)
	return aead, nonce, err
}

// lockedReader serialises reads of a random source that may not be safe for
// concurrent use (WithRandom's).
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(b)
}
