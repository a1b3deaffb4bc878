package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pushwire/push"
)

// Opener makes a Sender from a provider-specific configuration string (a
// connection string, a file name, ...; "" is the provider's default). It must be
// safe to call from several goroutines at once. It honours ctx for any I/O it
// does, and never puts config in an error: config may hold a secret.
type Opener func(ctx context.Context, config string) (push.Sender, error)

// registry maps provider names to their openers. It is the one piece of
// package-level mutable state the module allows.
var registry = struct {
	mu      sync.RWMutex
	openers map[string]Opener
}{openers: make(map[string]Opener)}

// Register makes a provider available under name. It is meant to be called from
// the init function of the provider's package.
//
// name must be a lower-case identifier: a letter a-z followed by letters a-z,
// digits and underscores. Register panics if name is not one, if opener is nil,
// or if name is already registered: these are programming errors, found when the
// program starts.
func Register(name string, opener Opener) {
	if !validName(name) {
		panic(fmt.Sprintf("provider: Register: name %q is not a lower-case identifier ([a-z][a-z0-9_]*)", name))
	}
	if opener == nil {
		panic("provider: Register: opener for " + name + " is nil")
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if _, dup := registry.openers[name]; dup {
		panic("provider: Register called twice for provider " + name)
	}
	registry.openers[name] = opener
}

// Open returns a Sender of the provider registered under name, made from config
// by the provider's Opener. Open may be called from any goroutine.
//
// An unknown name gives a *push.Error of kind push.ErrNotFound that lists the
// registered names and reminds the caller to import the provider's package. An
// error from the Opener is returned wrapped with the provider's name, so
// errors.Is and errors.As see the opener's error: when it is, or wraps, a
// *push.Error it is wrapped as "provider NAME: ..."; otherwise it becomes the
// cause (Err) of a *push.Error with Op "provider NAME" and no Kind. An Opener
// that returns neither a Sender nor an error is reported as an error too.
func Open(ctx context.Context, name, config string) (push.Sender, error) {
	registry.mu.RLock()
	opener, ok := registry.openers[name]
	registry.mu.RUnlock()
	if !ok {
		return nil, unknown(name)
	}
	s, err := opener(ctx, config)
	switch {
	case err != nil:
		return nil, wrapOpenerError(name, err)
	case s == nil:
		return nil, &push.Error{Op: "provider " + name, Detail: "the opener returned no Sender and no error"}
	}
	return s, nil
}

// Names returns the registered provider names, sorted. The slice is the
// caller's.
func Names() []string {
	registry.mu.RLock()
	defer registry.mu.RUnlock()
	names := make([]string, 0, len(registry.openers))
	for name := range registry.openers {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// unknown describes a name nobody registered.
func unknown(name string) error {
	registered := "no provider is registered"
	if names := Names(); len(names) > 0 {
		registered = "registered: " + strings.Join(names, ", ")
	}
	return &push.Error{
		Op:   "provider: open",
		Kind: push.ErrNotFound,
		Detail: fmt.Sprintf("no provider named %q (%s); a provider registers itself when its package is imported, e.g. import _ %q",
			name, registered, "github.com/pushwire/push/memory"),
	}
}

// wrapOpenerError names the provider in an opener's error.
func wrapOpenerError(name string, err error) error {
	var pe *push.Error
	if errors.As(err, &pe) {
		return fmt.Errorf("provider %s: %w", name, err)
	}
	return &push.Error{Op: "provider " + name, Err: err}
}

// validName reports whether name is a lower-case identifier: [a-z][a-z0-9_]*.
func validName(name string) bool {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
