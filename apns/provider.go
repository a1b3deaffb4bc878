package apns

import (
	"context"
	"strings"

	"github.com/pushwire/push/provider"
)

// ProviderName is the scheme under which this package registers itself with
// package provider.
const ProviderName = "apns"

// init registers the provider "apns". Its configuration URL names the
// environment as its host (or an emulator's HOST:PORT, which is sandbox
// unless env=production says otherwise), then the credentials and the topic:
//
//	apns://production?key_file=/etc/push/AuthKey_KEYID.p8&key_id=KEYID&team_id=TEAMID&topic=com.example.app
//	apns://sandbox?key_env=APNS_KEY&key_id=KEYID&team_id=TEAMID&topic=com.example.app
//	apns://production?cert_file=/etc/push/cert.pem&cert_key_file=/etc/push/key.pem
//	apns://production?p12_file=/etc/push/cert.p12&p12_password_env=P12_PASSWORD
//	apns://127.0.0.1:8443?key_file=...&key_id=...&team_id=...&topic=...
//
// key is the .p8 key (key_file=PATH or key_env=VAR, the PEM text); cert_file
// and cert_key_file are PEM files (cert_key_file may be left out when
// cert_file holds both); p12_file is a .p12 with its password in
// p12_password_file or p12_password_env (or none). Other parameters:
// concurrency (see WithConcurrency). provider.WithHTTPClient, WithLogger,
// WithRetry and WithClock map to the options of the same names; an emulator
// is reached with provider.WithHTTPClient(server.Client()). The Sender is a
// *Client.
func init() {
	provider.Register(ProviderName, open)
}

// open is the provider's Opener. It reads files but does no network I/O; its
// errors never contain a secret.
func open(_ context.Context, u *provider.URL, o provider.Options) (provider.Sender, error) {
	env, endpoint, err := environmentOf(u)
	if err != nil {
		return nil, err
	}
	creds, err := credentialsOf(u)
	if err != nil {
		return nil, err
	}
	opts := optionsOf(u, o)
	if endpoint != "" {
		opts = append(opts, WithEndpoint(endpoint))
	}
	if err := u.Done(); err != nil {
		return nil, err
	}
	if creds == nil {
		return nil, u.Errorf("key", "give a .p8 key (key_file or key_env, with key_id and team_id), a certificate (cert_file) or a .p12 (p12_file)")
	}
	return New(env, *creds, opts...)
}

// environmentOf reads the environment from the URL's host: production,
// sandbox, or an emulator's HOST:PORT.
func environmentOf(u *provider.URL) (Environment, string, error) {
	if u.Path != "" {
		return 0, "", u.Errorf("path", "the apns URL has no path: apns://production?..., apns://sandbox?... or apns://HOST:PORT?...")
	}
	switch strings.ToLower(u.Host) {
	case "production":
		return Production, "", nil
	case "sandbox", "development":
		return Sandbox, "", nil
	case "":
		return 0, "", u.Errorf("host", "name the environment: apns://production or apns://sandbox (or an emulator's apns://HOST:PORT)")
	}
	env := Sandbox
	switch v := u.String("env"); v {
	case "", "sandbox":
	case "production":
		env = Production
	default:
		return 0, "", u.Errorf("env", "want production or sandbox")
	}
	return env, "https://" + u.Host, nil
}

// credentialsOf reads the credentials a URL gives; nil when it gives none.
func credentialsOf(u *provider.URL) (*Credentials, error) {
	p8, certFile, p12File := u.Secret("key"), u.String("cert_file"), u.String("p12_file")
	keyID, teamID, certKey, p12Password := u.String("key_id"), u.String("team_id"), u.String("cert_key_file"), u.Secret("p12_password")
	given := 0
	for _, ok := range []bool{p8 != nil, certFile != "", p12File != ""} {
		if ok {
			given++
		}
	}
	if given > 1 {
		return nil, u.Errorf("key", "give one of a .p8 key, cert_file or p12_file")
	}
	var creds Credentials
	switch {
	case p8 != nil:
		key, err := ParseKey(p8)
		if err != nil {
			return nil, u.Errorf("key", "%s", detailOf(err))
		}
		creds = Token(key, keyID, teamID)
	case certFile != "":
		cert, err := ReadCertificateFiles(certFile, certKey)
		if err != nil {
			return nil, u.Errorf("cert_file", "%s", detailOf(err))
		}
		creds = Certificate(cert)
	case p12File != "":
		cert, err := ReadP12File(p12File, string(p12Password))
		if err != nil {
			return nil, u.Errorf("p12_file", "%s", detailOf(err))
		}
		creds = Certificate(cert)
	default:
		return nil, nil
	}
	return &creds, nil
}

// optionsOf maps a URL's parameters and the provider options to Options.
func optionsOf(u *provider.URL, o provider.Options) []Option {
	var opts []Option
	if t := u.String("topic"); t != "" {
		opts = append(opts, WithTopic(t))
	}
	if u.Has("concurrency") {
		opts = append(opts, WithConcurrency(u.Int("concurrency", 0)))
	}
	opts = append(opts, provider.Translate(o, provider.Mapper[Option]{
		HTTPClient: WithHTTPClient, Logger: WithLogger, Retry: WithRetry, Clock: WithClock})...)
	return opts
}

// detailOf returns the detail of a *push.Error, or its message.
func detailOf(err error) string {
	if pe, ok := asPushError(err); ok && pe.Detail != "" {
		return pe.Detail
	}
	return err.Error()
}

var _ provider.Sender = (*Client)(nil)
