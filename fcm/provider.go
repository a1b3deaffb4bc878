package fcm

import (
	"context"

	"github.com/pushwire/push/provider"
)

// ProviderName is the scheme under which this package registers itself with
// package provider.
const ProviderName = "fcm"

// init registers the provider "fcm". Its configuration URL names the
// Firebase project as the host, and the service account key file in a file
// or an environment variable:
//
//	fcm://my-app-1a2b3?credentials_file=/run/secrets/firebase-sa.json
//	fcm://my-app-1a2b3?credentials_env=FIREBASE_SERVICE_ACCOUNT
//
// Without credentials_*, the Application Default Credentials are used; an
// empty host takes the project from the credentials (fcm://?credentials_file=...).
// Other parameters: endpoint=https://127.0.0.1:PORT (an emulator, see
// WithEndpoint), dry_run=true (WithDryRun), concurrency=N (WithConcurrency).
// provider.WithHTTPClient, WithLogger, WithRetry and WithClock map to the
// options of the same names. The Sender is a *Client:
//
//	import _ "github.com/pushwire/push/fcm"
//
//	sender, err := provider.Open(ctx, os.Getenv("PUSH_URL"))
func init() {
	provider.Register(ProviderName, open)
}

// open is the provider's Opener. Its errors never contain the key.
func open(ctx context.Context, u *provider.URL, o provider.Options) (provider.Sender, error) {
	var opts []Option
	if key := u.Secret("credentials"); key != nil {
		opts = append(opts, WithCredentialsJSON(key))
	}
	if v := u.String("endpoint"); v != "" {
		opts = append(opts, WithEndpoint(v))
	}
	if u.Bool("dry_run", false) {
		opts = append(opts, WithDryRun(true))
	}
	if u.Has("concurrency") {
		opts = append(opts, WithConcurrency(u.Int("concurrency", 0)))
	}
	if err := u.Done(); err != nil {
		return nil, err
	}
	if u.Path != "" {
		return nil, u.Errorf("project", "the project is the URL's host (fcm://PROJECT_ID?...), with no path")
	}
	opts = append(opts, provider.Translate(o, provider.Mapper[Option]{
		HTTPClient: WithHTTPClient, Logger: WithLogger, Retry: WithRetry, Clock: WithClock})...)
	return New(ctx, u.Host, opts...)
}

var _ provider.Sender = (*Client)(nil)
