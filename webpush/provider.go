package webpush

import (
	"context"
	"errors"

	"github.com/pushwire/push"

	"github.com/pushwire/push/provider"
)

// init registers the provider "webpush". Its configuration URL has no host;
// the VAPID private key (in any form ParseVAPIDKey reads) comes from a file
// or an environment variable, and the public key derives from it:
//
//	webpush://?vapid_private_key_file=/run/secrets/vapid.pem&subject=mailto:ops@example.com
//	webpush://?vapid_private_key_env=VAPID_PRIVATE_KEY&subject=https://example.com/contact&ttl=1h&concurrency=50
//
// Parameters: subject (required, see New), ttl (see WithTTL), concurrency
// (see WithConcurrency), padding (see WithPadding), vapid_lifetime (see
// WithVAPIDLifetime). provider.WithHTTPClient, WithLogger, WithRetry and
// WithClock map to the options of the same names. The Sender is a *Client:
//
//	import _ "github.com/pushwire/push/webpush"
//
//	sender, err := provider.Open(ctx, os.Getenv("PUSH_URL"))
func init() {
	provider.Register(ProviderName, open)
}

// open is the provider's Opener. It does no I/O beyond reading the key; its
// errors never hold the key.
func open(_ context.Context, u *provider.URL, o provider.Options) (provider.Sender, error) {
	secret := u.Secret("vapid_private_key")
	subject := u.String("subject")
	params := urlOptions(u)
	if err := u.Done(); err != nil {
		return nil, err
	}
	switch {
	case u.Host != "" || u.Path != "":
		return nil, u.Errorf("host", "a webpush URL has no host or path (each subscription names its push service): webpush://?vapid_private_key_file=PATH&subject=mailto:ADDRESS")
	case secret == nil:
		return nil, u.Errorf("vapid_private_key", "give the VAPID private key with vapid_private_key_file=PATH or vapid_private_key_env=VAR")
	case subject == "":
		return nil, u.Errorf("subject", "give the VAPID contact, e.g. subject=mailto:ops@example.com")
	}
	key, err := ParseVAPIDKey(secret)
	if err != nil {
		return nil, u.Errorf("vapid_private_key", "%s", detailOf(err))
	}
	if err := checkSubject(subject); err != nil {
		return nil, u.Errorf("subject", "%s", err)
	}
	var opts []Option
	scratch := defaultConfig()
	for _, p := range params {
		if err := p.opt(&scratch); err != nil {
			return nil, u.Errorf(p.name, "%s", detailOf(err))
		}
		opts = append(opts, p.opt)
	}
	return New(key, subject, append(opts, providerOptions(o)...)...)
}

// urlOption is an Option a URL parameter gives.
type urlOption struct {
	name string
	opt  Option
}

// urlOptions reads the URL's optional parameters.
func urlOptions(u *provider.URL) []urlOption {
	var opts []urlOption
	if u.Has("ttl") {
		opts = append(opts, urlOption{"ttl", WithTTL(u.Duration("ttl", DefaultTTL))})
	}
	if u.Has("concurrency") {
		opts = append(opts, urlOption{"concurrency", WithConcurrency(u.Int("concurrency", 1))})
	}
	if u.Has("padding") {
		opts = append(opts, urlOption{"padding", WithPadding(u.Int("padding", 1))})
	}
	if u.Has("vapid_lifetime") {
		opts = append(opts, urlOption{"vapid_lifetime", WithVAPIDLifetime(u.Duration("vapid_lifetime", DefaultVAPIDLifetime))})
	}
	return opts
}

// providerOptions maps the provider options to Options.
func providerOptions(o provider.Options) []Option {
	var opts []Option
	opts = append(opts, provider.Translate(o, provider.Mapper[Option]{
		HTTPClient: WithHTTPClient, Logger: WithLogger, Retry: WithRetry, Clock: WithClock})...)
	return opts
}

// detailOf returns the detail of a *push.Error, or else the error's message.
func detailOf(err error) string {
	var e *push.Error
	if errors.As(err, &e) && e.Detail != "" {
		return e.Detail
	}
	return err.Error()
}

var _ provider.Sender = (*Client)(nil)
