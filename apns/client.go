package apns

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/url"

	"github.com/pushwire/push"
	"github.com/pushwire/push/direct"
	"github.com/pushwire/push/internal/httpx"
)

// Environment is the APNs environment a Client sends to. A device token
// works only in the environment that issued it: builds from Xcode get
// sandbox tokens, TestFlight and App Store builds production ones.
type Environment uint8

// The environments. The zero Environment is none: New insists on a choice.
const (
	Production Environment = iota + 1 // api.push.apple.com
	Sandbox                           // api.sandbox.push.apple.com, the development environment
)

// Host returns the environment's APNs host, "" for the zero Environment.
func (e Environment) Host() string {
	switch e {
	case Production:
		return "api.push.apple.com"
	case Sandbox:
		return "api.sandbox.push.apple.com"
	}
	return ""
}

// String returns "production" or "sandbox".
func (e Environment) String() string {
	switch e {
	case Production:
		return "production"
	case Sandbox:
		return "sandbox"
	}
	return "no environment"
}

// Client sends Apple notifications straight to APNs, one HTTP/2 request per
// device token. It implements push.Sender and push.Capable, and is a
// provider.Sender.
//
// A Client is safe for concurrent use and meant to be shared, one per
// credential, for the life of the process: its provider token is signed once
// per refresh window and shared by every goroutine and connection, and its
// connections are kept for hours. Close releases them.
//
// A Client prints safely: %v shows the provider and the endpoint, never the
// key or a token.
type Client struct {
	env      Environment
	endpoint *url.URL
	base     string // endpoint + "/3/device/"
	cfg      config
	topic    string       // the default apns-topic; "" when each notification names its own
	tokens   *tokenSource // nil with certificate auth
	hc       *http.Client
	doer     httpx.Doer // sends through hc
	ownHC    bool
	caps     push.Capabilities
	sender   *direct.Sender
	// topics holds, for the default topic, the apns-topic header value of
	// each known push type, built once and shared read-only by every request.
	topics map[string][]string
}

// Interface checks.
var (
	_ push.Sender  = (*Client)(nil)
	_ push.Capable = (*Client)(nil)
)

// New returns a Client for env with the given credentials. env must be
// Production or Sandbox: the choice is never implied. New does no I/O: a
// wrong key or topic shows on the first send. Its errors, *push.Error
// values, say what to fix and never contain a secret.
func New(env Environment, creds Credentials, opts ...Option) (*Client, error) {
	if env.Host() == "" {
		return nil, newError("choose the environment: apns.Production (App Store and TestFlight builds) or apns.Sandbox (builds from Xcode)")
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	c := &Client{env: env, cfg: cfg, topic: cfg.topic, caps: capabilities()}
	if err := c.setCredentials(creds); err != nil {
		return nil, err
	}
	c.endpoint = cfg.endpoint
	if c.endpoint == nil {
		c.endpoint = &url.URL{Scheme: "https", Host: env.Host()}
	}
	c.base = c.endpoint.String() + "/3/device/"
	c.hc, c.ownHC = httpClient(cfg, creds.cert)
	c.doer = httpx.NewDoer(c.hc)
	c.topics = topicHeaders(c.topic)
	c.sender = direct.New(&driver{c: c}, direct.Config{
		Op: opSend, Capabilities: c.caps, Retry: cfg.retry, Clock: cfg.clock, Concurrency: cfg.concurrency,
	})
	return c, nil
}

// setCredentials checks creds and sets the token source or the default
// topic of a certificate.
func (c *Client) setCredentials(creds Credentials) error {
	switch {
	case creds.key != nil && creds.cert != nil:
		return newError("the credentials hold both a key and a certificate")
	case creds.cert != nil:
		if len(creds.cert.Certificate) == 0 || creds.cert.PrivateKey == nil {
			return newError("apns.Certificate needs a certificate with its private key")
		}
		if c.topic == "" {
			c.topic = certificateTopic(creds.cert)
		}
		return nil
	case creds.key == nil || creds.key.k == nil:
		return newError("no credentials: pass apns.Token(key, keyID, teamID) or apns.Certificate(cert)")
	case !validID(creds.keyID):
		return newError("apns.Token: the key ID must be the 10 letters and digits of the key's Key ID (AuthKey_KEYID.p8)")
	case !validID(creds.teamID):
		return newError("apns.Token: the team ID must be the 10 letters and digits of the developer account's Team ID")
	}
	c.tokens = newTokenSource(creds.key, creds.keyID, creds.teamID, c.cfg.clock, c.cfg.logger)
	return nil
}

// httpClient returns the *http.Client of a Client, and whether the Client
// made it.
func httpClient(cfg config, cert *tls.Certificate) (*http.Client, bool) {
	if cfg.httpClient != nil {
		return httpx.NoRedirects(cfg.httpClient), false
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: cfg.rootCAs}
	if cert != nil {
		tc.Certificates = []tls.Certificate{*cert}
	}
	hc := httpx.NewClient(tc)
	// Apple asks for connections kept for hours, and treats connections
	// opened and closed in quick succession as an attack: an idle
	// connection is kept for as long as it answers the transport's pings.
	hc.Transport.(*http.Transport).IdleConnTimeout = 0
	return hc, true
}

// capabilities is what a Client delivers: Apple notifications to device
// tokens, one request each, with a Result per token.
func capabilities() push.Capabilities {
	return push.Capabilities{Provider: "apns", Platforms: map[push.Platform]push.Support{
		push.Apple: {Targets: push.KindsOf(push.TargetDevice, push.TargetDevices), PerDevice: true, BatchSize: 1},
	}}
}

// Capabilities says what the Client delivers: Apple notifications to
// push.Device and push.Devices targets, with one push.Result per device
// token; no scheduling, no test send. Anything else is refused before any
// I/O with an error matching push.ErrUnsupported.
func (c *Client) Capabilities() push.Capabilities { return c.caps.Clone() }

// Environment returns the environment the Client sends to.
func (c *Client) Environment() Environment { return c.env }

// String describes the Client: "apns production https://api.push.apple.com".
func (c *Client) String() string { return "apns " + c.env.String() + " " + c.endpoint.String() }

// GoString is String, so %#v shows no internals either.
func (c *Client) GoString() string { return c.String() }

// Close releases the idle connections of the HTTP client the Client made
// for itself; one given with WithHTTPClient is the caller's and is left
// alone. Close is safe to call more than once; do not send after it.
func (c *Client) Close() error {
	if c.ownHC {
		c.hc.CloseIdleConnections()
	}
	return nil
}

// Send renders n for to with push.Render and posts it to APNs, one request
// per device token, concurrently up to the Client's bound (WithConcurrency):
//
//	POST /3/device/<token>
//	authorization: bearer <provider token>   (token auth)
//	apns-topic: <topic>
//	apns-push-type: <type>
//	content-type: application/json
//	apns-*: every header of the notification, unchanged
//
// Before any I/O it refuses what APNs would: a platform other than Apple or
// a target other than push.Device and push.Devices (push.ErrUnsupported),
// bad input (Render's error), no topic, a topic whose suffix contradicts the
// push type, a background push at priority 10 (push.ErrInvalidNotification),
// and per token a token that is not hex of a plausible length
// (push.ErrInvalidTarget, for that token alone).
//
// The Receipt holds one push.Result per token, in order: the apns-id of
// each accepted notification in ID (and its apns-unique-id in TrackingID, in
// the sandbox), Apple's reason in the Code of each failure's *push.Error. A
// token APNs reports dead (410 Unregistered or ExpiredToken) fails with
// push.ErrUnregistered and UnregisteredAt set: delete it. The error is nil
// when every token was accepted (see direct.Sender.Send). Send is safe for
// concurrent use and keeps nothing of n or to.
func (c *Client) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	return c.sender.Send(ctx, n, to)
}
