package apnstest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// providerToken is a provider token read from an authorization header,
// before its signature is checked.
type providerToken struct {
	raw          string // the JWT, without "bearer "
	alg, kid     string
	iss          string
	iat          time.Time
	signingInput string
	r, s         *big.Int
}

// maxJWT bounds the authorization header the Server reads.
const maxJWT = 2048

// readProviderToken parses "bearer HEADER.CLAIMS.SIGNATURE": a compact JWS
// whose header holds alg and kid, whose claims hold iss and an integer iat
// (seconds), and whose signature is 64 bytes, R||S. It checks the form only;
// verify checks the signature.
func readProviderToken(authorization string) (providerToken, error) {
	scheme, jwt, ok := strings.Cut(authorization, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return providerToken{}, errors.New("not a bearer token")
	}
	if len(jwt) > maxJWT {
		return providerToken{}, errors.New("too long")
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return providerToken{}, errors.New("not a compact JWS of three parts")
	}
	t := providerToken{raw: jwt, signingInput: parts[0] + "." + parts[1]}
	var header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := decodePart(parts[0], &header); err != nil {
		return providerToken{}, errors.New("header: " + err.Error())
	}
	var claims struct {
		Iss string      `json:"iss"`
		Iat json.Number `json:"iat"`
	}
	if err := decodePart(parts[1], &claims); err != nil {
		return providerToken{}, errors.New("claims: " + err.Error())
	}
	iat, err := strconv.ParseInt(string(claims.Iat), 10, 64)
	if err != nil {
		return providerToken{}, errors.New("iat is not whole seconds")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return providerToken{}, errors.New("the signature is not 64 bytes of base64url")
	}
	t.alg, t.kid, t.iss, t.iat = header.Alg, header.Kid, claims.Iss, time.Unix(iat, 0)
	t.r, t.s = new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	return t, nil
}

// decodePart decodes one base64url JSON part of a JWS into v, refusing
// padding and trailing data.
func decodePart(part string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return errors.New("not base64url without padding")
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return errors.New("not a JSON object")
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}

// verify reports whether t is signed ES256 by pub.
func (t providerToken) verify(pub *ecdsa.PublicKey) bool {
	digest := sha256.Sum256([]byte(t.signingInput))
	return ecdsa.Verify(pub, digest[:], t.r, t.s)
}
