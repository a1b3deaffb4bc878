package webpush_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
	"github.com/pushwire/push/webpush"
	"github.com/pushwire/push/webpush/webpushtest"
)

// testKeyText is the VAPID private key of the tests, raw and base64url.
const testKeyText = "QckpSf23zz0k2Ch21lfMUxxIOAqUiC57Q1QjMYEHNuU"

// testPublicKey is its public key.
const testPublicKey = "BIxYK08HdDKnirT80k5FVzQiUVvQinZbcumZSlt_RKMQzEZS61tUKMzKJFTZ_qrQz-FeD_kvIZBZYkQzqAReISE"

var testStart = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// env is a Client on an emulator, with a manual clock.
type env struct {
	srv    *webpushtest.Server
	client *webpush.Client
	clock  *pushtest.Clock
}

// newEnv starts an emulator and a Client that talks to it, restricted
// subscriptions and all. Retries wait on the manual clock, without delay.
func newEnv(t *testing.T, srvOpts []webpushtest.Option, opts ...webpush.Option) env {
	t.Helper()
	clock := pushtest.NewClock(testStart)
	srv := webpushtest.NewServer(append([]webpushtest.Option{webpushtest.WithClock(clock)}, srvOpts...)...)
	t.Cleanup(srv.Close)
	c, err := webpush.New(testKey(t), "mailto:ops@example.com",
		append([]webpush.Option{webpush.WithHTTPClient(srv.Client()), webpush.WithClock(clock)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return env{srv: srv, client: c, clock: clock}
}

// newEnvClock returns a manual clock at testStart.
func newEnvClock() *pushtest.Clock { return pushtest.NewClock(testStart) }

// subscribe makes a subscription restricted to the test key.
func (e env) subscribe() push.BrowserSubscription {
	return e.srv.NewSubscription(webpushtest.WithApplicationServerKey(testPublicKey))
}

// send sends n to subs.
func (e env) send(t *testing.T, n push.Notification, subs ...push.BrowserSubscription) (push.Receipt, error) {
	t.Helper()
	to := push.BrowserDevices(subs...)
	if len(subs) == 1 {
		to = push.BrowserDevice(subs[0])
	}
	return e.client.Send(context.Background(), n, to)
}

// browser returns a browser notification of body with the given headers.
func browser(t testing.TB, body string, h http.Header) push.Notification {
	t.Helper()
	n, err := push.NewNotification(push.Browser, []byte(body), h)
	require.NoError(t, err)
	return n
}

func testKey(t testing.TB) *webpush.VAPIDKey {
	t.Helper()
	k, err := webpush.ParseVAPIDKey([]byte(testKeyText))
	require.NoError(t, err)
	return k
}

// openMessage decrypts a Web Push message as a browser would: the test's own
// reading of RFC 8291 and RFC 8188, written apart from both the client's
// encryption (crypto/hkdf) and the emulator's decoder (crypto/hmac, any
// number of records). It takes one record only, walks the header by hand,
// and spells HKDF out as RFC 5869 does (Extract, then one block of Expand).
func openMessage(uaPrivate, auth, body []byte) ([]byte, error) {
	const header = 16 + 4 + 1 + 65
	if len(body) < header+17 || body[20] != 65 {
		return nil, errors.New("not a one-record Web Push message")
	}
	salt, asPublic, record := body[:16], body[21:header], body[header:]
	ua, err := ecdh.P256().NewPrivateKey(uaPrivate)
	if err != nil {
		return nil, err
	}
	as, err := ecdh.P256().NewPublicKey(asPublic)
	if err != nil {
		return nil, err
	}
	shared, err := ua.ECDH(as)
	if err != nil {
		return nil, err
	}
	info := string("WebPush: info\x00") + string(ua.PublicKey().Bytes()) + string(asPublic)
	ikm := expandOne(extract(auth, shared), info, 32)
	prk := extract(salt, ikm)
	block, err := aes.NewCipher(expandOne(prk, "Content-Encoding: aes128gcm\x00", 16))
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, expandOne(prk, "Content-Encoding: nonce\x00", 12), record, nil)
	if err != nil {
		return nil, err
	}
	for len(plain) > 0 && plain[len(plain)-1] == 0 {
		plain = plain[:len(plain)-1]
	}
	if len(plain) == 0 || plain[len(plain)-1] != 2 {
		return nil, errors.New("no final-record delimiter")
	}
	return plain[:len(plain)-1], nil
}

// extract is HKDF-Extract(salt, ikm) with SHA-256.
func extract(salt, ikm []byte) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write(ikm)
	return m.Sum(nil)
}

// expandOne is HKDF-Expand(prk, info, n) for n of at most one block: T(1) cut
// to n bytes.
func expandOne(prk []byte, info string, n int) []byte {
	m := hmac.New(sha256.New, prk)
	m.Write([]byte(info))
	m.Write([]byte{1})
	return m.Sum(nil)[:n]
}
