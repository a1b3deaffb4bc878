package apnstest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// Key is a provider token signing key the Server knows: what Apple's
// developer account hands out. PEM is the .p8 file, the private key in
// PKCS#8 PEM form, for the client under test.
type Key struct {
	KeyID  string
	TeamID string
	// Environment is the environment the key is restricted to;
	// AnyEnvironment for a key that works in both.
	Environment Environment
	// PEM is the .p8 file's contents.
	PEM []byte

	public *ecdsa.PublicKey
}

// newKey generates a P-256 key pair for keyID of teamID.
func newKey(keyID, teamID string, env Environment) Key {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("apnstest: cannot generate a key: " + err.Error())
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		panic("apnstest: cannot encode a key: " + err.Error())
	}
	return Key{KeyID: keyID, TeamID: teamID, Environment: env, public: &priv.PublicKey,
		PEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})}
}

// Key returns the default key: DefaultKeyID of DefaultTeamID, valid in both
// environments.
func (s *Server) Key() Key {
	k, _ := s.keyByID(DefaultKeyID)
	return k
}

// NewKey generates a new key for teamID, restricted to env (AnyEnvironment
// for none), and returns it. A team the Server did not know is created,
// owning the topics given (none: it can push nowhere). Key IDs are
// KEY0000002, KEY0000003, ... in order of creation.
func (s *Server) NewKey(teamID string, env Environment, topics ...string) Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("KEY%07d", len(s.keys)+1)
	k := newKey(id, teamID, env)
	s.keys[id] = k
	for _, t := range topics {
		s.topics[t] = teamID
	}
	return k
}

func (s *Server) keyByID(id string) (Key, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	return k, ok
}
