package nhtest

import (
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/faults"
)

// Server is an emulated Notification Hubs namespace with one hub, served over TLS
// on a loopback address. Make one with NewServer and Close it when done.
//
// A Server is safe for concurrent use: requests are served concurrently, and the
// inspection methods (Sends, Installation, ...) may be called while requests are
// in flight. Every method that returns recorded data returns a copy the caller
// owns.
type Server struct {
	faults faults.Queue[Fault] // the injected faults (Fail), with their own lock
	ts     *httptest.Server
	hub    string
	host   string // "127.0.0.1:PORT", as connection strings and Location headers write it
	rules  []Rule
	clock  push.Clock
	random *lockedRand
	logger *slog.Logger
	tier   Tier
	// sendLimit bounds the sends recorded, and the pending scheduled sends;
	// 0 for no bound (see WithSendLimit).
	sendLimit int

	// done is closed by Close, so that injected delays end and Close returns.
	done      chan struct{}
	closeOnce sync.Once

	mu    sync.Mutex
	state state
}

// NewServer starts an emulator on a new loopback listener with an ephemeral port
// (or on the listener of WithListener) and returns it. Like httptest.NewServer it
// does not return an error: it panics if it cannot listen or if an option is
// invalid (see WithRule).
//
// Unless told otherwise the hub is named DefaultHub, the three default rules get
// random keys, time comes from the system clock and the tier is Standard.
func NewServer(opts ...Option) *Server {
	c := defaultConfig()
	for _, o := range opts {
		o(&c)
	}
	s := &Server{
		hub: c.hub, clock: c.clock, random: &lockedRand{r: c.random}, logger: c.logger, tier: c.tier,
		sendLimit: c.sendLimit, done: make(chan struct{}), state: newState(),
	}
	s.rules = s.makeRules(c)
	s.ts = s.start(c)
	s.host = s.ts.Listener.Addr().String()
	return s
}

// start serves the emulator over TLS on the configured listener.
func (s *Server) start(c config) *httptest.Server {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if c.listener != nil {
		ts.Listener.Close()
		ts.Listener = c.listener
	}
	// The server's own complaints (a TLS handshake cut short by Close, say) go
	// to the logger at debug level, or nowhere: a test double must not write
	// to a test's standard error.
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	if s.logger != nil {
		ts.Config.ErrorLog = slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug)
	}
	ts.StartTLS()
	return ts
}

// makeRules returns the default rules followed by those of WithRule; a WithRule of
// a default name replaces the default.
func (s *Server) makeRules(c config) []Rule {
	key := func(k string) string {
		if k != "" {
			return k
		}
		return s.newKey()
	}
	rules := []Rule{
		{Name: FullRuleName, Key: key(c.key), Rights: RightListen | RightSend | RightManage},
		{Name: ListenRuleName, Key: key(c.key), Rights: RightListen},
		{Name: SendRuleName, Key: key(c.key), Rights: RightSend},
	}
	for _, r := range c.rules {
		if r.Name == "" {
			panic("nhtest: WithRule needs a rule name")
		}
		r.Key, r.Rights = key(r.Key), r.Rights.normalize()
		rules = replaceRule(rules, r)
	}
	return rules
}

// replaceRule replaces the rule of r's name, or appends r.
func replaceRule(rules []Rule, r Rule) []Rule {
	for i := range rules {
		if rules[i].Name == r.Name {
			rules[i] = r
			return rules
		}
	}
	return append(rules, r)
}

// Close shuts the emulator down: it ends injected delays, waits for the requests
// in flight, closes the listener and the idle connections of Client. It leaves no
// goroutine behind. Calling it again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.ts.Close()
	})
}

// ConnectionString returns the connection string of the rule with Listen, Send
// and Manage (FullRuleName):
//
//	Endpoint=sb://127.0.0.1:PORT/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=KEY
func (s *Server) ConnectionString() string { return s.ConnectionStringFor(FullRuleName) }

// ListenConnectionString returns the connection string of the Listen-only rule
// (ListenRuleName), the one a device app would hold.
func (s *Server) ListenConnectionString() string { return s.ConnectionStringFor(ListenRuleName) }

// SendConnectionString returns the connection string of the Send-only rule
// (SendRuleName).
func (s *Server) SendConnectionString() string { return s.ConnectionStringFor(SendRuleName) }

// ConnectionStringFor returns the connection string of the named rule (a default
// one or one added with WithRule), or "" if there is no such rule.
func (s *Server) ConnectionStringFor(rule string) string {
	r, ok := s.ruleByName(rule)
	if !ok {
		return ""
	}
	return s.connectionString(r)
}

// Rules returns the shared access rules of the hub, keys included, defaults first.
func (s *Server) Rules() []Rule { return append([]Rule(nil), s.rules...) }

// Hub returns the name of the emulated hub.
func (s *Server) Hub() string { return s.hub }

// URL returns the base URL of the namespace, "https://127.0.0.1:PORT", without a
// trailing slash. The hub lives at URL() + "/" + Hub().
func (s *Server) URL() string { return s.ts.URL }

// Tier returns the emulated pricing tier.
func (s *Server) Tier() Tier { return s.tier }

// Client returns an *http.Client that trusts the emulator's certificate. Close
// closes its idle connections. Each call returns the same client; do not change
// its Transport.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Certificate returns the certificate the emulator serves, the one Client trusts.
func (s *Server) Certificate() *x509.Certificate { return s.ts.Certificate() }

// CertificatePEM returns Certificate in PEM form, for clients in other languages
// that read a CA bundle from a file.
func (s *Server) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ts.Certificate().Raw})
}
