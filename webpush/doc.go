// Package webpush sends browser notifications straight to the push services
// of the browsers that subscribed to them (Web Push: RFC 8030), each message
// encrypted for its browser (RFC 8291, aes128gcm of RFC 8188) and signed
// with the application server's VAPID key (RFC 8292).
//
// A *Client implements push.Sender for push.Browser notifications sent to
// push.BrowserDevice and push.BrowserDevices targets, the same notifications
// and subscriptions that Notification Hubs' browser platform takes, and
// registers itself with package provider under the name "webpush".
//
// # Quick start
//
// Generate a VAPID key pair once (GenerateVAPIDKey), keep its PrivatePEM
// with the application's secrets, and give its PublicKey to the page that
// subscribes, as PushManager.subscribe({applicationServerKey}). Read what the
// page posts back with ParseSubscription, and send:
//
//	key, err := webpush.ParseVAPIDKey(pemBytes)
//	if err != nil {
//		return err
//	}
//	client, err := webpush.New(key, "mailto:ops@example.com")
//	if err != nil {
//		return err
//	}
//	sub, err := webpush.ParseSubscription(postedJSON)
//	if err != nil {
//		return err
//	}
//	n, err := push.BrowserNotification(`{"title":"Order shipped","body":"Arriving Tuesday"}`)
//	if err != nil {
//		return err
//	}
//	receipt, err := client.Send(ctx, n, push.BrowserDevice(sub))
//	if errors.Is(err, push.ErrUnregistered) {
//		// the browser unsubscribed: delete sub
//	}
//
// New does no I/O. Package webpushtest is an emulated push service and
// browser that checks every request as a push service does and decrypts
// every message as the browser would, so that all of this can be tested
// offline.
//
// Through package provider, the same Client is configured by a URL, the VAPID
// private key in a file or an environment variable:
//
//	webpush://?vapid_private_key_file=/run/secrets/vapid.pem&subject=mailto:ops@example.com&ttl=24h&concurrency=100
//
// # What a send is on the wire
//
// One POST per subscription, to its endpoint, over HTTP/2 where the push
// service offers it, carrying:
//
//   - the notification's body, encrypted: a fresh P-256 key pair and 16-byte
//     salt per message (WithRandom), the ECDH secret at its full 32 bytes,
//     HKDF-SHA-256 as RFC 8291 says, one AES-128-GCM record with rs 4096, and
//     no padding unless WithPadding asks for it. The body is the 86-byte
//     header and the record: 103 bytes more than the notification's body,
//     which may therefore be at most MaxPayload (3993) bytes, checked before
//     any I/O;
//   - TTL: the notification's Ttl header when it has one (push.WebPush.TTL),
//     else WithTTL's, DefaultTTL (24 hours) by default; never left out, and
//     never a silent 0, which would drop the message for a browser that is
//     offline;
//   - Urgency and Topic when the notification has them (push.WebPush.Urgency
//     and Topic; push.Render checks them);
//   - Content-Encoding: aes128gcm, Content-Type: application/octet-stream and
//     Content-Length;
//   - Authorization: vapid t=JWT, k=PUBLIC KEY. The JWT is ES256 (R‖S), its
//     aud the endpoint's origin exactly (https://HOST, no path, no default
//     port), its exp WithVAPIDLifetime ahead (12 hours by default, at most
//     24), its sub the subject given to New. One JWT is signed per push
//     service origin and reused by every message to it until 10 minutes
//     before it expires: a send signs nothing.
//
// The Receipt has one push.Result per subscription, in order, whose ID is
// the Location of the push service's 201: the message's URL at the service.
//
// # Errors
//
// Bad input is refused before any I/O: by push.Render (push.ErrInvalidNotification,
// push.ErrInvalidTarget), by the Client's declaration (another platform, or a
// target other than subscriptions: push.ErrUnsupported), or by the Client (a
// body over MaxPayload: push.ErrPayloadTooLarge; a subscription whose
// endpoint is not https or whose keys do not decode: push.ErrInvalidTarget,
// for that subscription alone). A push service's answer maps to a
// *push.Error of the same kind from every push service:
//
//	400       push.ErrInvalidNotification: a header or the encryption was refused
//	401, 403  push.ErrUnauthorized: the VAPID token refused; the detail says what to check
//	404, 410  push.ErrUnregistered: the subscription is dead; delete it (never retried)
//	411       push.ErrInvalidNotification: Content-Length wanted
//	413       push.ErrPayloadTooLarge: this push service takes less (Firefox for Android: 3070 bytes)
//	429       push.ErrThrottled, with the Retry-After the service asked for
//	5xx       push.ErrUnavailable
//	3xx       no kind: a push client follows no redirect
//
// The error holds the status, the service's code (Apple's reason, Mozilla's
// errno) and its words. A connection that failed before the request was
// written is push.ErrUnavailable; after, push.ErrOutcomeUnknown (the browser
// may have the message). No error or log record holds the private key or a
// token, even when a push service echoes the request back.
//
// # Retries and concurrency
//
// A send to several subscriptions (push.BrowserDevices) sends up to
// WithConcurrency messages at once (100 by default), in input order. Each
// subscription is retried on its own under the Client's push.RetryPolicy
// (WithRetry): push.ErrThrottled after the longer of the backoff and
// Retry-After, push.ErrUnavailable after the backoff, each attempt encrypted
// afresh. push.ErrUnregistered is never retried. A push.ErrUnauthorized stops
// the send: the subscriptions not yet sent fail with push.ErrNotAttempted.
// The same happens when the context ends.
//
// # Performance
//
// Encryption is the cost of Web Push: one P-256 key generation and one ECDH
// per message, which no cache may avoid. The Client adds little to it: the
// VAPID signature is amortised over every message of its token's lifetime,
// header values are shared, and a message's body is one allocation. See
// bench_test.go for the benchmarks and their goals, measured against a floor
// written in the benchmark.
package webpush
