package apns

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"os"

	"software.sslmate.com/src/go-pkcs12"
)

// Credentials are how a Client proves to APNs who it is: a provider token
// signing key (Token) or a client certificate (Certificate). Apple
// recommends tokens: one key serves every app of the team, in both
// environments, and never expires. The zero Credentials are refused by New.
//
// Credentials print safely: they hold the key behind a type that redacts
// itself, and a certificate's private key is never printed.
type Credentials struct {
	key    *Key
	keyID  string
	teamID string
	cert   *tls.Certificate
}

// Token returns token-based credentials: key signs the provider tokens, keyID
// is the key's 10-character Key ID (the KEYID of AuthKey_KEYID.p8), teamID
// the 10-character Team ID of the developer account. New checks them.
func Token(key *Key, keyID, teamID string) Credentials {
	return Credentials{key: key, keyID: keyID, teamID: teamID}
}

// Certificate returns certificate-based credentials: the TLS client
// certificate and private key of an "Apple Push Notification service SSL"
// certificate. Load one with tls.LoadX509KeyPair (PEM files),
// ReadCertificateFiles, or ParseP12 (a .p12 exported from Keychain). A
// certificate serves one app (and its extensions): its topic, the bundle ID,
// is taken from the certificate when WithTopic is not given.
func Certificate(cert tls.Certificate) Credentials {
	return Credentials{cert: &cert}
}

// ReadCertificateFiles loads a certificate and its private key from PEM
// files; keyFile may be "" when certFile holds both.
func ReadCertificateFiles(certFile, keyFile string) (tls.Certificate, error) {
	if keyFile == "" {
		keyFile = certFile
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, newError("cannot read the certificate file: " + describeFileError(err))
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, newError("cannot read the certificate's key file: " + describeFileError(err))
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, newError("the PEM files do not hold a certificate and its private key: " + err.Error())
	}
	return cert, nil
}

// ParseP12 reads a PKCS#12 (.p12, .pfx) file holding a certificate and its
// private key, as Keychain Access exports them: the legacy
// pbeWithSHAAnd3-KeyTripleDES-CBC encryption with a SHA-1 MAC, or PBES2
// (PBKDF2, AES-256-CBC) with a SHA-256 MAC. password may be "". The error
// never holds the password.
func ParseP12(data []byte, password string) (tls.Certificate, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if err == pkcs12.ErrIncorrectPassword {
			return tls.Certificate{}, newError("the .p12 password is wrong")
		}
		return tls.Certificate{}, newError("the .p12 file does not hold one certificate with its private key")
	}
	cert := tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: key, Leaf: leaf}
	for _, c := range chain {
		cert.Certificate = append(cert.Certificate, c.Raw)
	}
	return cert, nil
}

// ReadP12File reads a .p12 file (see ParseP12).
func ReadP12File(path, password string) (tls.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return tls.Certificate{}, newError("cannot read the .p12 file: " + describeFileError(err))
	}
	return ParseP12(b, password)
}

// oidUID is the userID attribute (0.9.2342.19200300.100.1.1) in which an APNs
// certificate's subject names its bundle ID.
var oidUID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

// certificateTopic returns the bundle ID an APNs certificate is for: the UID
// of its subject, or "".
func certificateTopic(cert *tls.Certificate) string {
	leaf := cert.Leaf
	if leaf == nil && len(cert.Certificate) > 0 {
		leaf, _ = x509.ParseCertificate(cert.Certificate[0])
	}
	if leaf == nil {
		return ""
	}
	for _, n := range leaf.Subject.Names {
		if s, ok := n.Value.(string); ok && n.Type.Equal(oidUID) {
			return s
		}
	}
	return ""
}

// validID reports whether s can be a Key ID or Team ID: 1 to 32 ASCII
// letters and digits (Apple's are 10).
func validID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
