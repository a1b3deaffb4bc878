package azurenh

import (
	"context"

	"github.com/pushwire/push/provider"
)

// ProviderName is the scheme under which this package registers itself with
// package provider.
const ProviderName = "azurenh"

// init registers the provider "azurenh". Its configuration URL takes one of
// two forms. The namespace host, the hub as the path, and the rule's name,
// with the key in a file or an environment variable:
//
//	azurenh://NAMESPACE.servicebus.windows.net/HUB?key_name=RULE&key_env=NH_KEY
//	azurenh://NAMESPACE.servicebus.windows.net/HUB?key_name=RULE&key_file=/run/secrets/nh-key
//
// or a whole connection string, in a file or an environment variable, the
// hub as the path or the connection string's EntityPath:
//
//	azurenh:///HUB?connection_string_env=NOTIFICATIONHUB_CONNECTION_STRING
//	azurenh://?connection_string_file=/run/secrets/nh
//
// Other parameters: api_version (see WithAPIVersion), test_send=true (see
// WithTestSend). provider.WithHTTPClient, WithLogger, WithRetry and WithClock
// map to the options of the same names. The Sender is a *Client:
//
//	import _ "github.com/pushwire/push/azurenh"
//
//	sender, err := provider.Open(ctx, os.Getenv("PUSH_URL"))
func init() {
	provider.Register(ProviderName, open)
}

// open is the provider's Opener. It does no I/O; its errors never contain the
// key.
func open(_ context.Context, u *provider.URL, o provider.Options) (provider.Sender, error) {
	whole := u.Secret("connection_string")
	var name string
	var key []byte
	if u.Host != "" {
		name, key = u.String("key_name"), u.Secret("key")
	}
	opts := optionsOf(u, o)
	if err := u.Done(); err != nil {
		return nil, err
	}
	conn, err := connectionString(u, whole, name, key)
	if err != nil {
		return nil, err
	}
	return New(conn, u.Path, opts...)
}

// connectionString returns the connection string a URL gives, whole or in
// parts.
func connectionString(u *provider.URL, whole []byte, name string, key []byte) (string, error) {
	switch {
	case u.Host == "" && whole == nil:
		return "", u.Errorf("connection_string", "give the namespace as the URL's host, or a connection string with connection_string_env=VAR or connection_string_file=PATH")
	case u.Host == "":
		return string(whole), nil
	case whole != nil:
		return "", u.Errorf("connection_string", "give the namespace host or a connection string, not both")
	case name == "":
		return "", u.Errorf("key_name", "name the shared access rule, e.g. key_name=DefaultFullSharedAccessSignature")
	case key == nil:
		return "", u.Errorf("key", "give the rule's key with key_env=VAR or key_file=PATH")
	}
	return "Endpoint=sb://" + u.Host + "/;SharedAccessKeyName=" + name + ";SharedAccessKey=" + string(key), nil
}

// optionsOf maps a URL's parameters and the provider options to Options.
func optionsOf(u *provider.URL, o provider.Options) []Option {
	var opts []Option
	if v := u.String("api_version"); v != "" {
		opts = append(opts, WithAPIVersion(v))
	}
	if u.Bool("test_send", false) {
		opts = append(opts, WithTestSend(true))
	}
	opts = append(opts, provider.Translate(o, provider.Mapper[Option]{
		HTTPClient: WithHTTPClient, Logger: WithLogger, Retry: WithRetry, Clock: WithClock})...)
	return opts
}

// Close releases what the Client holds between requests: the idle
// connections of the *http.Client it sends with (its own, or the one given
// with WithHTTPClient: closing an idle connection disturbs no other user of
// it, whose next request opens another) and its attempt timer. Call it when
// the Client is no longer needed, after its last request returned; do not
// send through the Client after it. Close is safe to call more than once, and
// always returns nil.
func (c *Client) Close() error {
	c.cfg.httpClient.CloseIdleConnections()
	c.deadlines.close()
	return nil
}

var _ provider.Sender = (*Client)(nil)
