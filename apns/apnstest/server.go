package apnstest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/faults"
)

// Server is an emulated APNs: an HTTP/2-only TLS server on a loopback
// address that checks requests and provider tokens as Apple does, answers
// with Apple's statuses and reasons, records every request, and misbehaves
// on demand (see Fault). Make one with NewServer and Close it when done.
//
// A Server is safe for concurrent use: requests are served concurrently, and
// its methods may be called while requests are in flight. Methods that
// return recorded data return copies.
//
// Each connection is served by an http.Server of its own, so that the
// emulator can keep per-connection state (the team and key bound at the
// first push, the 20-minute rule of token updates) and end one connection
// with a GOAWAY while the others go on.
type Server struct {
	env      Environment
	clock    push.Clock
	logger   *slog.Logger
	burst    int
	window   time.Duration
	streams  uint32
	listener net.Listener
	tlsConf  *tls.Config
	cert     *x509.Certificate
	roots    *x509.CertPool
	client   *http.Client

	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup

	mu       sync.Mutex
	keys     map[string]Key    // by key ID
	topics   map[string]string // bundle ID -> team ID
	certs    map[[32]byte]string
	devices  map[string]device
	seen     map[string]bool // provider tokens accepted so far
	expired  map[string]bool // provider tokens answered ExpiredProviderToken from now on
	bursts   map[string]burst
	conns    []*conn
	requests []Request
	faults   faults.Queue[Fault] // the injected faults (Fail)
	watch    func(Request)
}

// NewServer starts an emulator on a new loopback listener with an ephemeral
// port (or on WithListener's) and returns it. It knows one team,
// DefaultTeamID, owning DefaultTopic, with one key, DefaultKeyID (see Key).
// Like httptest.NewServer it panics if it cannot listen.
func NewServer(opts ...Option) *Server {
	c := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	s := &Server{
		env: c.env, clock: c.clock, logger: c.logger, burst: c.burst, window: c.window, streams: c.streams,
		done: make(chan struct{}), keys: map[string]Key{}, topics: map[string]string{}, certs: map[[32]byte]string{},
		devices: map[string]device{}, seen: map[string]bool{}, expired: map[string]bool{}, bursts: map[string]burst{},
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.keys[DefaultKeyID] = newKey(DefaultKeyID, DefaultTeamID, AnyEnvironment)
	for _, t := range c.topics {
		s.topics[t] = DefaultTeamID
	}
	s.listener = c.listener
	if s.listener == nil {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic("apnstest: cannot listen: " + err.Error())
		}
		s.listener = l
	}
	s.setupTLS()
	s.wg.Go(s.accept)
	return s
}

// setupTLS makes the Server's certificate (self-signed, P-256, for
// 127.0.0.1, ::1 and localhost), its TLS configuration (h2 only, client
// certificates requested for certificate auth) and a client that trusts it.
func (s *Server) setupTLS() {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("apnstest: " + err.Error())
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "apnstest"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		panic("apnstest: " + err.Error())
	}
	s.cert, _ = x509.ParseCertificate(der)
	s.roots = x509.NewCertPool()
	s.roots.AddCert(s.cert)
	s.tlsConf = &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: priv, Leaf: s.cert}},
		NextProtos:   []string{"h2"},
		MinVersion:   tls.VersionTLS12,
		ClientAuth:   tls.RequestClientCert,
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.roots}, ForceAttemptHTTP2: true}
	tr.Protocols = new(http.Protocols)
	tr.Protocols.SetHTTP2(true)
	s.client = &http.Client{Transport: tr}
}

// accept serves each connection the listener accepts until Close.
func (s *Server) accept() {
	for {
		raw, err := s.listener.Accept()
		if err != nil {
			return
		}
		fc := newFreezableConn(raw)
		s.serveConn(tls.Server(fc, s.tlsConf), fc)
	}
}

// serveConn serves one connection with an http.Server of its own.
func (s *Server) serveConn(tc *tls.Conn, fc *freezableConn) {
	c := &conn{raw: fc}
	c.srv = &http.Server{
		Handler:     http.HandlerFunc(s.serveHTTP),
		ErrorLog:    log.New(io.Discard, "", 0),
		HTTP2:       &http.HTTP2Config{MaxConcurrentStreams: int(s.streams)},
		ConnContext: func(ctx context.Context, _ net.Conn) context.Context { return context.WithValue(ctx, connKey{}, c) },
	}
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		tc.Close()
		return
	default:
	}
	s.conns = append(s.conns, c)
	c.id = len(s.conns)
	s.mu.Unlock()
	l := &oneConnListener{c: tc, closed: make(chan struct{})}
	s.wg.Go(func() { c.srv.Serve(l) })
}

// Close shuts the emulator down: it ends stalls, closes the listener and
// every connection, and waits for its goroutines. Calling it again does
// nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		close(s.done)
		conns := append([]*conn(nil), s.conns...)
		s.mu.Unlock()
		s.listener.Close()
		for _, c := range conns {
			c.srv.Close()
			c.raw.Close()
		}
		s.wg.Wait()
		s.client.CloseIdleConnections()
	})
}

// URL returns the Server's base URL, "https://127.0.0.1:PORT", for
// apns.WithEndpoint.
func (s *Server) URL() string { return "https://" + s.Addr() }

// Addr returns the address the Server listens on, "127.0.0.1:PORT".
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Client returns an *http.Client that speaks HTTP/2 only and trusts the
// Server's certificate. Each call returns the same client.
func (s *Server) Client() *http.Client { return s.client }

// RootCAs returns a pool holding the Server's certificate, for a client's
// own transport (apns.WithRootCAs).
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// CertificatePEM returns the Server's certificate in PEM form, for clients
// in other languages that read a CA bundle from a file.
func (s *Server) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.cert.Raw})
}

// Environment returns the environment the Server plays.
func (s *Server) Environment() Environment { return s.env }

// Connections returns how many connections the Server has accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// oneConnListener hands out one connection, then blocks until closed.
type oneConnListener struct {
	mu     sync.Mutex
	c      net.Conn
	closed chan struct{}
	once   sync.Once
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	c := l.c
	l.c = nil
	l.mu.Unlock()
	if c != nil {
		return c, nil
	}
	<-l.closed
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *oneConnListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// freezableConn is a connection that can be made to go silent: once frozen
// it reads nothing more (what arrives is dropped, and reads block until it is
// closed) and what is written is dropped, as a connection whose peer
// vanished, so that a client's pings go unanswered.
type freezableConn struct {
	net.Conn
	frozen chan struct{}
	closed chan struct{}
	fOnce  sync.Once
	cOnce  sync.Once
}

func newFreezableConn(c net.Conn) *freezableConn {
	return &freezableConn{Conn: c, frozen: make(chan struct{}), closed: make(chan struct{})}
}

func (c *freezableConn) freeze() { c.fOnce.Do(func() { close(c.frozen) }) }

func (c *freezableConn) isFrozen() bool {
	select {
	case <-c.frozen:
		return true
	default:
		return false
	}
}

func (c *freezableConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if c.isFrozen() {
		<-c.closed
		return 0, net.ErrClosed
	}
	return n, err
}

// Write of a frozen connection drops b, as a network that lost its peer.
func (c *freezableConn) Write(b []byte) (int, error) {
	if c.isFrozen() {
		return len(b), nil
	}
	return c.Conn.Write(b)
}

func (c *freezableConn) Close() error {
	c.cOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
