package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/pushwire/push"
)

// Sender is what Open returns: a push.Sender that holds resources (idle
// connections, a background token refresh) until Close. Close is safe to call
// more than once; do not send through the Sender after it. Type-assert it to
// push.Scheduler, or to the provider's own type (*azurenh.Client,
// *memory.Sender, ...), for more.
type Sender interface {
	push.Sender
	io.Closer
}

// Options carries what a configuration URL cannot: values made in code. A
// provider applies those it has a use for and ignores the others; the zero
// value of each field means the provider's default.
type Options struct {
	// HTTPClient sends the provider's requests (to trust an emulator's
	// certificate, say). The provider never modifies it.
	HTTPClient *http.Client
	// Logger receives the provider's logs.
	Logger *slog.Logger
	// Retry is how the provider repeats a request that failed with a
	// retryable error.
	Retry *push.RetryPolicy
	// Clock is what the provider reads and waits on (token expiry, retry
	// backoff, scheduling).
	Clock push.Clock
}

// Option sets a field of Options.
type Option func(*Options)

// WithHTTPClient makes the provider send with hc.
func WithHTTPClient(hc *http.Client) Option { return func(o *Options) { o.HTTPClient = hc } }

// WithLogger makes the provider log to l.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// WithRetry makes the provider retry under p.
func WithRetry(p push.RetryPolicy) Option { return func(o *Options) { o.Retry = &p } }

// WithClock makes the provider take its time from c.
func WithClock(c push.Clock) Option { return func(o *Options) { o.Clock = c } }

// Opener makes a Sender from a configuration URL whose scheme named the
// provider, and the Options given to Open. It must be safe to call from
// several goroutines at once, honour ctx for any I/O it does, read secrets
// with URL.Secret, and refuse what it does not understand (URL.Done). Its
// errors never hold a secret: build them with URL.Errorf.
type Opener func(ctx context.Context, u *URL, o Options) (Sender, error)

// registry maps schemes to their openers. It is the one piece of
// package-level mutable state the module allows.
var registry = struct {
	mu      sync.RWMutex
	openers map[string]Opener
}{openers: make(map[string]Opener)}

// Register makes a provider available under scheme: Open of a URL
// "scheme://..." calls opener. It is meant to be called from the init
// function of the provider's package.
//
// scheme must be a lower-case name that a URL scheme can be: a letter a-z
// followed by letters a-z and digits. Register panics if it is not one, if opener is
// nil, or if scheme is already registered: these are programming errors,
// found when the program starts.
func Register(scheme string, opener Opener) {
	if !validName(scheme) {
		panic(fmt.Sprintf("provider: Register: scheme %q is not a lower-case name ([a-z][a-z0-9]*)", scheme))
	}
	if opener == nil {
		panic("provider: Register: opener for " + scheme + " is nil")
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if _, dup := registry.openers[scheme]; dup {
		panic("provider: Register called twice for scheme " + scheme)
	}
	registry.openers[scheme] = opener
}

// Open returns a Sender made from a configuration URL, in the gocloud style:
// the scheme names the provider, the rest is the provider's own (see each
// provider's package documentation):
//
//	memory://
//	azurenh://NAMESPACE.servicebus.windows.net/HUB?key_name=RULE&key_env=NH_KEY
//	apns://production?key_file=/etc/push/AuthKey.p8&key_id=KEY&team_id=TEAM&topic=com.example.app
//
// Secrets come from files or environment variables (NAME_file=PATH,
// NAME_env=VAR), never from the URL itself, which ends up in logs. opts
// carry what a URL cannot (an HTTP client, a logger, a retry policy, a
// clock). Close the Sender when done with it.
//
// An unknown scheme gives a *push.Error of kind push.ErrNotFound that lists
// the registered ones and reminds the caller to import the provider's
// package. A URL that does not parse, or an error of the provider's opener,
// gives a *push.Error that names the parameter at fault; no error holds the
// URL's text, which may hold a secret.
func Open(ctx context.Context, rawURL string, opts ...Option) (Sender, error) {
	if err := push.CheckContext(ctx, "provider: open"); err != nil {
		return nil, err
	}
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	registry.mu.RLock()
	opener, ok := registry.openers[u.Scheme]
	registry.mu.RUnlock()
	if !ok {
		return nil, unknown(u.Scheme)
	}
	var o Options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	s, err := opener(ctx, u, o)
	switch {
	case err != nil:
		return nil, wrapOpenerError(u.Scheme, err)
	case s == nil:
		return nil, &push.Error{Op: "provider " + u.Scheme, Detail: "the opener returned no Sender and no error"}
	}
	return s, nil
}

// Schemes returns the registered schemes, sorted. The slice is the caller's.
func Schemes() []string {
	registry.mu.RLock()
	defer registry.mu.RUnlock()
	names := make([]string, 0, len(registry.openers))
	for name := range registry.openers {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// unknown describes a scheme nobody registered.
func unknown(scheme string) error {
	registered := "no provider is registered"
	if names := Schemes(); len(names) > 0 {
		registered = "registered: " + strings.Join(names, ", ")
	}
	return &push.Error{
		Op:   "provider: open",
		Kind: push.ErrNotFound,
		Detail: fmt.Sprintf("no provider for the scheme %q (%s); a provider registers itself when its package is imported, e.g. import _ %q",
			scheme, registered, "github.com/pushwire/push/memory"),
	}
}

// wrapOpenerError names the provider in an opener's error.
func wrapOpenerError(scheme string, err error) error {
	var pe *push.Error
	switch {
	case errors.As(err, &pe) && strings.HasPrefix(pe.Op, "provider "+scheme):
		return err
	case pe != nil:
		return fmt.Errorf("provider %s: %w", scheme, err)
	}
	return &push.Error{Op: "provider " + scheme, Err: err}
}

// validName reports whether name is a lower-case scheme name: [a-z][a-z0-9]*.
func validName(name string) bool {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// Mapper names a provider's own options for what Options carries, so that
// Translate can turn the one into the other. A nil field leaves that
// option out: the provider has no use for it.
type Mapper[O any] struct {
	HTTPClient func(*http.Client) O
	Logger     func(*slog.Logger) O
	Retry      func(push.RetryPolicy) O
	Clock      func(push.Clock) O
}

// Translate returns the provider's options for the fields of o that are
// set, in the order HTTPClient, Logger, Retry, Clock. An Opener appends them
// to the options its URL's parameters make:
//
//	opts = append(opts, provider.Translate(o, provider.Mapper[Option]{
//		HTTPClient: WithHTTPClient, Logger: WithLogger, Retry: WithRetry, Clock: WithClock})...)
func Translate[O any](o Options, m Mapper[O]) []O {
	var opts []O
	if o.HTTPClient != nil && m.HTTPClient != nil {
		opts = append(opts, m.HTTPClient(o.HTTPClient))
	}
	if o.Logger != nil && m.Logger != nil {
		opts = append(opts, m.Logger(o.Logger))
	}
	if o.Retry != nil && m.Retry != nil {
		opts = append(opts, m.Retry(*o.Retry))
	}
	if o.Clock != nil && m.Clock != nil {
		opts = append(opts, m.Clock(o.Clock))
	}
	return opts
}
