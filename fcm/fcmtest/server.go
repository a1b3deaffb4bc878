package fcmtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/faults"
)

// Server is an emulated Firebase Cloud Messaging HTTP v1 API for one
// project, and Google's OAuth 2.0 token endpoint, served over TLS (HTTP/2
// and HTTP/1.1) on a loopback address. Make one with NewServer and Close it
// when done.
//
// A Server is safe for concurrent use: requests are served concurrently, and
// the inspection and control methods may be called while requests are in
// flight. Every method that returns recorded data returns a copy the caller
// owns.
type Server struct {
	faults        faults.Queue[Fault] // the injected faults (Fail), with their own lock
	ts            *httptest.Server
	project       string
	clock         push.Clock
	tokenLifetime time.Duration
	strict        bool
	logger        *slog.Logger
	account       *account // the default service account

	mu    sync.Mutex
	state state
}

// account is a service account the token endpoint knows.
type account struct {
	email   string
	project string
	keyID   string
	key     *rsa.PrivateKey
}

// NewServer starts an emulator on a new loopback listener with an ephemeral
// port (or on the listener of WithListener) and returns it, with one service
// account of its project (ServiceAccountJSON). Like httptest.NewServer it
// does not return an error: it panics if it cannot listen or make a key.
func NewServer(opts ...Option) *Server {
	c := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	s := &Server{project: c.project, clock: c.clock, tokenLifetime: c.tokenLifetime, strict: c.strictTokens,
		logger: c.logger, state: newState()}
	s.account = s.addAccount(c.project, c.key)
	s.ts = s.start(c)
	return s
}

// start serves the emulator over TLS, offering HTTP/2 and HTTP/1.1.
func (s *Server) start(c config) *httptest.Server {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if c.listener != nil {
		ts.Listener.Close()
		ts.Listener = c.listener
	}
	ts.EnableHTTP2 = true
	ts.TLS = &tls.Config{NextProtos: []string{"h2", "http/1.1"}}
	ts.Config.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: int(c.maxStreams)}
	// The server's own complaints (a handshake cut short by Close) go to the
	// logger at level Debug, or nowhere: a test double must not write to a
	// test's standard error.
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	if s.logger != nil {
		ts.Config.ErrorLog = slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug)
	}
	ts.StartTLS()
	return ts
}

// Close shuts the emulator down: it waits for the requests in flight,
// closes the listener and the idle connections of Client. It leaves no
// goroutine behind. Calling it again does nothing.
func (s *Server) Close() { s.ts.Close() }

// URL returns the base URL of the API, "https://127.0.0.1:PORT", without a
// trailing slash: the client's endpoint (fcm.WithEndpoint). Sends go to
// URL()/v1/projects/PROJECT/messages:send.
func (s *Server) URL() string { return s.ts.URL }

// TokenURL returns the URL of the token endpoint, URL()/token: the token_uri
// of the service accounts' JSON.
func (s *Server) TokenURL() string { return s.ts.URL + "/token" }

// Project returns the ID of the emulated project.
func (s *Server) Project() string { return s.project }

// Client returns an *http.Client that trusts the emulator's certificate and
// speaks HTTP/2 to it. Close closes its idle connections. Each call returns
// the same client; do not change its Transport.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Certificate returns the certificate the emulator serves, the one Client
// trusts.
func (s *Server) Certificate() *x509.Certificate { return s.ts.Certificate() }

// CertificatePEM returns Certificate in PEM form, for clients in other
// languages that read a CA bundle from a file.
func (s *Server) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ts.Certificate().Raw})
}

// ServiceAccountJSON returns the key file of the project's service account,
// as the Firebase console's "Generate new private key" gives one, with
// token_uri pointing at the emulator: give it to the client
// (fcm.WithCredentialsJSON) and the real x/oauth2 flow runs against the
// emulator's token endpoint.
func (s *Server) ServiceAccountJSON() []byte { return s.keyFile(s.account) }

// NewServiceAccount makes another service account, of project (the
// emulated one when ""), with a fresh key, and returns its key file. Its
// tokens are refused (403 PERMISSION_DENIED) on sends to another project
// than its own.
func (s *Server) NewServiceAccount(project string) []byte {
	if project == "" {
		project = s.project
	}
	return s.keyFile(s.addAccount(project, nil))
}

// addAccount registers a service account with key k (a fresh one when nil).
func (s *Server) addAccount(project string, k *rsa.PrivateKey) *account {
	if k == nil {
		var err error
		if k, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic("fcmtest: cannot make an RSA key: " + err.Error())
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.state.accounts) + 1
	a := &account{
		email:   "firebase-adminsdk-" + strconv.Itoa(n) + "@" + project + ".iam.gserviceaccount.com",
		project: project,
		keyID:   randomHex(20),
		key:     k,
	}
	s.state.accounts[a.email] = a
	return a
}

// keyFile returns a's key file.
func (s *Server) keyFile(a *account) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(a.key)
	if err != nil {
		panic("fcmtest: cannot encode a key: " + err.Error())
	}
	b, err := json.MarshalIndent(map[string]string{
		"type":                        "service_account",
		"project_id":                  a.project,
		"private_key_id":              a.keyID,
		"private_key":                 string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":                a.email,
		"client_id":                   "100000000000000000001",
		"auth_uri":                    "https://accounts.google.com/o/oauth2/auth",
		"token_uri":                   s.TokenURL(),
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
		"client_x509_cert_url":        "https://www.googleapis.com/robot/v1/metadata/x509/" + a.email,
		"universe_domain":             "googleapis.com",
	}, "", "  ")
	if err != nil {
		panic("fcmtest: " + err.Error())
	}
	return b
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("fcmtest: the random source failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}
