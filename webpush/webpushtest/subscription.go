package webpushtest

import (
	"crypto/ecdh"
	"encoding/base64"
	"slices"

	"github.com/pushwire/push"
)

// subState is what the push service says of a subscription.
type subState uint8

const (
	active  subState = iota
	expired          // 410 Gone: expired, or the user unsubscribed
	removed          // 404 Not Found: the push service forgot it
)

// subscription is one browser's subscription, with the browser's secrets.
type subscription struct {
	sub       push.BrowserSubscription
	private   *ecdh.PrivateKey
	auth      []byte
	serverKey string // the applicationServerKey it is restricted to, base64url; "" when none
	state     subState
}

// SubscriptionOption configures a subscription NewSubscription makes.
type SubscriptionOption func(*subscription)

// WithApplicationServerKey restricts the subscription to one application
// server, as PushManager.subscribe({applicationServerKey}) does: the
// emulator then answers 401 to a message without VAPID authorization and
// 403 to one whose k is another key. key is the server's VAPID public key,
// the 65-byte uncompressed point in URL-safe base64 (with or without
// padding, or standard base64); NewSubscription panics if it is not one.
func WithApplicationServerKey(key string) SubscriptionOption {
	return func(s *subscription) {
		raw, err := decodeAnyBase64(key)
		if err != nil || len(raw) != uaKeySize {
			panic("webpushtest: WithApplicationServerKey needs a 65-byte P-256 public key in base64")
		}
		if _, err := ecdh.P256().NewPublicKey(raw); err != nil {
			panic("webpushtest: WithApplicationServerKey: the key is not on the P-256 curve")
		}
		s.serverKey = base64.RawURLEncoding.EncodeToString(raw)
	}
}

// NewSubscription subscribes a new emulated browser and returns its
// subscription, as PushManager.subscribe() gives it: an endpoint on the
// emulator (URL()+"/push/ID"), the browser's public key (a fresh P-256 key
// pair, whose private key the emulator keeps to decrypt) and a fresh 16-byte
// authentication secret, both URL-safe base64 without padding.
func (s *Server) NewSubscription(opts ...SubscriptionOption) push.BrowserSubscription {
	sub := &subscription{private: s.newKey(), auth: make([]byte, uaAuthSize)}
	s.random.read(sub.auth)
	for _, o := range opts {
		if o != nil {
			o(sub)
		}
	}
	sub.sub = push.BrowserSubscription{
		Endpoint: s.origin + "/push/" + s.newID(),
		P256DH:   base64.RawURLEncoding.EncodeToString(sub.private.PublicKey().Bytes()),
		Auth:     base64.RawURLEncoding.EncodeToString(sub.auth),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.subs[sub.sub.Endpoint] = sub
	return sub.sub
}

// newKey returns a P-256 private key drawn from the emulator's random source.
func (s *Server) newKey() *ecdh.PrivateKey {
	var b [32]byte
	for {
		s.random.read(b[:])
		if k, err := ecdh.P256().NewPrivateKey(b[:]); err == nil {
			return k
		}
	}
}

// newID returns 16 random bytes in URL-safe base64.
func (s *Server) newID() string {
	var b [16]byte
	s.random.read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Expire makes the push service answer 410 Gone to messages for the
// subscription of endpoint from now on, as it does once a subscription
// expired or the user unsubscribed. It reports whether the emulator knows
// the endpoint.
func (s *Server) Expire(endpoint string) bool { return s.setState(endpoint, expired) }

// Remove makes the push service answer 404 Not Found to messages for the
// subscription of endpoint from now on, as RFC 8030 and Mozilla do for a
// subscription they no longer know. It reports whether the emulator knows
// the endpoint.
func (s *Server) Remove(endpoint string) bool { return s.setState(endpoint, removed) }

func (s *Server) setState(endpoint string, st subState) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.state.subs[endpoint]
	if ok {
		sub.state = st
	}
	return ok
}

// BrowserKeys are the secrets an emulated browser keeps for its
// subscription, for a test that decrypts messages itself.
type BrowserKeys struct {
	// Private is the browser's P-256 private key, the raw 32-byte scalar.
	Private []byte
	// Public is its 65-byte uncompressed public key (the subscription's
	// P256DH, decoded).
	Public []byte
	// Auth is the 16-byte authentication secret (the subscription's Auth,
	// decoded).
	Auth []byte
}

// Keys returns the browser's secrets for the subscription of endpoint, and
// whether the emulator knows it.
func (s *Server) Keys(endpoint string) (BrowserKeys, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.state.subs[endpoint]
	if !ok {
		return BrowserKeys{}, false
	}
	return BrowserKeys{Private: sub.private.Bytes(), Public: sub.private.PublicKey().Bytes(), Auth: slices.Clone(sub.auth)}, true
}

// Subscriptions returns the subscriptions the emulator made, in no
// particular order, expired and removed ones included.
func (s *Server) Subscriptions() []push.BrowserSubscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]push.BrowserSubscription, 0, len(s.state.subs))
	for _, sub := range s.state.subs {
		out = append(out, sub.sub)
	}
	return out
}
