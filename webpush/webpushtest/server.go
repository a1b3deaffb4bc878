package webpushtest

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/pushwire/push/internal/faults"
)

// Server is an emulated push service and the browsers subscribed to it,
// served over TLS (HTTP/2 and HTTP/1.1) on a loopback address. Make one
// with NewServer, make subscriptions with NewSubscription, and Close it when
// done.
//
// A Server is safe for concurrent use: requests are served concurrently,
// and every method may be called while requests are in flight. Methods that
// return recorded data return copies the caller owns.
type Server struct {
	faults faults.Queue[Fault] // the injected faults (Fail), with their own lock
	ts     *httptest.Server
	origin string // https://127.0.0.1:PORT or WithOrigin's: the aud every token must carry
	cfg    config
	random *lockedRand
	client *http.Client

	closeOnce sync.Once

	mu    sync.Mutex
	state state
}

// NewServer starts an emulator on a new loopback listener with an ephemeral
// port (or on WithListener's) and returns it. Like httptest.NewServer it
// does not return an error: it panics if it cannot listen.
func NewServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{cfg: cfg, random: &lockedRand{r: cfg.random}, state: newState()}
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if cfg.listener != nil {
		s.ts.Listener.Close()
		s.ts.Listener = cfg.listener
	}
	// The server's own complaints (a handshake cut short by Close, a stream
	// an injected fault reset) go to the logger at debug level, or nowhere:
	// a test double must not write to a test's standard error.
	s.ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cfg.logger != nil {
		s.ts.Config.ErrorLog = slog.NewLogLogger(cfg.logger.Handler(), slog.LevelDebug)
	}
	s.ts.EnableHTTP2 = true
	s.ts.StartTLS()
	s.origin = s.ts.URL
	if cfg.origin != "" {
		s.origin = cfg.origin
	}
	s.client = s.newClient()
	return s
}

// newClient returns the client Client returns: httptest's, dialling the
// emulator whatever the host.
func (s *Server) newClient() *http.Client {
	tr := s.ts.Client().Transport.(*http.Transport).Clone()
	addr := s.ts.Listener.Addr().String()
	host, _, _ := net.SplitHostPort(addr)
	tr.TLSClientConfig.ServerName = host // the certificate names 127.0.0.1 and ::1
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) }
	return &http.Client{Transport: tr}
}

// Close shuts the emulator down: it waits for the requests in flight,
// closes the listener and the idle connections of Client. It leaves no
// goroutine behind. Calling it again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.ts.Close()
		s.client.CloseIdleConnections()
	})
}

// URL returns the emulator's origin: "https://127.0.0.1:PORT", or
// WithOrigin's. It is the prefix of every endpoint, and the aud every VAPID
// token sent to the emulator must carry.
func (s *Server) URL() string { return s.origin }

// Addr returns the address the emulator listens on, "127.0.0.1:PORT".
func (s *Server) Addr() string { return s.ts.Listener.Addr().String() }

// Client returns an *http.Client that trusts the emulator's certificate,
// speaks HTTP/2 to it, and sends every request to the emulator whatever the
// host of its URL: a test that uses it never reaches the network, and an
// emulator made WithOrigin is reached at its origin. Close closes its idle
// connections. Each call returns the same client; do not change its
// Transport.
func (s *Server) Client() *http.Client { return s.client }

// Certificate returns the certificate the emulator serves, the one Client
// trusts.
func (s *Server) Certificate() *x509.Certificate { return s.ts.Certificate() }

// CertificatePEM returns Certificate in PEM form, for clients in other
// languages that read a CA bundle from a file.
func (s *Server) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ts.Certificate().Raw})
}

// state is what the emulator remembers; Server.mu guards it.
type state struct {
	subs     map[string]*subscription // by endpoint
	messages []Message
	hook     func(endpoint string)
}

func newState() state { return state{subs: make(map[string]*subscription)} }
