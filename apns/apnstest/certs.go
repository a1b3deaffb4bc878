package apnstest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"time"
)

// ClientCertificate is an APNs client certificate the Server accepts, for
// certificate-based auth: its subject's UID is the bundle ID it pushes to.
type ClientCertificate struct {
	// TLS is the certificate and its private key, for a tls.Config.
	TLS tls.Certificate
	// CertPEM and KeyPEM are the same in PEM form (the key in PKCS#8).
	CertPEM, KeyPEM []byte
}

// oidUID is the userID attribute in which an APNs certificate names its
// bundle ID.
var oidUID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

// NewCertificate issues a client certificate for bundleID (and its
// suffixed topics) that the Server accepts in place of a provider token.
func (s *Server) NewCertificate(bundleID string) ClientCertificate {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("apnstest: " + err.Error())
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject: pkix.Name{CommonName: "Apple Push Services: " + bundleID,
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: oidUID, Value: bundleID}}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		panic("apnstest: " + err.Error())
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(priv)
	leaf, _ := x509.ParseCertificate(der)
	s.mu.Lock()
	s.certs[sha256.Sum256(der)] = bundleID
	s.mu.Unlock()
	return ClientCertificate{
		TLS:     tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv, Leaf: leaf},
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}
}

func (s *Server) certTopic(fingerprint [32]byte) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.certs[fingerprint]
	return t, ok
}
