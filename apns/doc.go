// Package apns sends Apple notifications straight to the Apple Push
// Notification service (APNs), over HTTP/2, one request per device token.
//
// A *Client is a push.Sender for push.Apple notifications to push.Device and
// push.Devices targets. It renders with push.Render, checks before any I/O
// what APNs would refuse, sends each device token concurrently (bounded by
// WithConcurrency), retries what may be retried, and reports one push.Result
// per token. It registers itself with package provider as "apns".
//
// # Quick start
//
// Token auth, the way Apple recommends: download a key (AuthKey_KEYID.p8)
// from the Keys page of the developer account, note its Key ID and the
// Team ID, and give the app's bundle ID as the topic:
//
//	key, err := apns.ReadKeyFile("AuthKey_ABC123DEFG.p8")
//	if err != nil {
//		return err
//	}
//	client, err := apns.New(apns.Production, apns.Token(key, "ABC123DEFG", "DEF123GHIJ"),
//		apns.WithTopic("com.example.app"))
//	if err != nil {
//		return err
//	}
//	defer client.Close()
//	n, err := push.Alert{Title: "Order shipped", Body: "Arriving Tuesday"}.Notification(push.Apple)
//	receipt, err := client.Send(ctx, n, push.Devices(tokens...))
//
// The environment is always an explicit choice: apns.Production for App
// Store and TestFlight builds, apns.Sandbox for builds run from Xcode. A
// token from one environment is refused by the other as BadDeviceToken.
//
// Certificate auth takes a tls.Certificate: from PEM files
// (ReadCertificateFiles) or a .p12 exported from Keychain (ParseP12,
// ReadP12File), which this package decodes with
// software.sslmate.com/src/go-pkcs12. Its topic defaults to the bundle ID in
// the certificate.
//
// # Provider tokens
//
// With token auth every request carries "authorization: bearer JWT", an
// ES256 token of {"alg":"ES256","kid":KEYID} and {"iss":TEAMID,"iat":NOW}
// signed with the key. The Client signs one, shares it with every goroutine
// and connection, and signs the next 50 minutes later on its clock
// (WithClock): inside Apple's window, no sooner than every 20 minutes (APNs
// answers TooManyProviderTokenUpdates) and no later than every 60 (it answers
// ExpiredProviderToken). Reading the cached token takes no lock and
// allocates nothing. When APNs answers ExpiredProviderToken anyway (a clock
// that is off), the Client signs a new token once, however many sends in
// flight were refused with the old one, and repeats each of them once.
//
// # What a send is on the wire
//
// For each device token, POST https://api.push.apple.com/3/device/TOKEN
// with the payload as the body and:
//
//   - every apns-* header of the notification, unchanged (apns-push-type,
//     apns-priority, apns-expiration, apns-collapse-id, apns-id, and any
//     Apple adds later);
//   - apns-topic: the notification's own apns-topic header, or WithTopic's
//     bundle ID, with the suffix of the push type appended when it is the
//     bare bundle ID (voip: BUNDLE.voip; complication: .complication;
//     fileprovider: .pushkit.fileprovider; location: .location-query;
//     liveactivity: .push-type.liveactivity; pushtotalk: .voip-ptt;
//     widgets: .push-type.widgets). A topic with another type's suffix is
//     refused before any I/O;
//   - apns-push-type, when the notification has none: "background" for a
//     payload whose aps has content-available 1 and no alert, badge or sound,
//     "alert" otherwise. watchOS requires the header and iOS 13 and later
//     expect it; push.APNs and push.Alert always set it;
//   - content-type: application/json, and the provider token (token auth).
//
// # Results and errors
//
// A Receipt holds one push.Result per token, in the target's order: the
// apns-id of an accepted notification in ID (and its apns-unique-id in
// TrackingID, from the sandbox, for the Push Notifications Console), or a
// *push.Error whose Code is Apple's reason (ReasonBadDeviceToken, ...) and
// whose Kind classifies it, from one table:
//
//	410 Unregistered, ExpiredToken        push.ErrUnregistered (UnregisteredAt from Apple's timestamp): delete the token
//	400 BadDeviceToken                    push.ErrInvalidTarget: invalid, or from the other environment
//	400 DeviceTokenNotForTopic            push.ErrInvalidTarget
//	400 other reasons                     push.ErrInvalidNotification (IdleTimeout: push.ErrUnavailable)
//	403 token and certificate reasons     push.ErrUnauthorized (Forbidden: push.ErrForbidden); the send stops
//	413 PayloadTooLarge                   push.ErrPayloadTooLarge
//	429 TooManyRequests, ...TokenUpdates  push.ErrThrottled, retried with backoff
//	500, 503, Shutdown                    push.ErrUnavailable, retried with backoff
//
// Only throttling and server failures are retried (WithRetry), never a 4xx.
// A connection that fails after a request was written leaves its outcome
// unknown (push.ErrOutcomeUnknown), which is not retried unless the policy
// sets RetryUnknownOutcome; a request APNs never processed (a stream above
// a GOAWAY's last stream ID, a refused stream) is repeated on a new
// connection by net/http. A send to many tokens that is cancelled returns
// once the requests in flight have: the tokens not sent fail with
// push.ErrNotAttempted. No error, log record or printed value holds the
// key or a provider token, even when a server echoes one back.
//
// # Connections
//
// The Client's own HTTP client speaks HTTP/2 over TLS 1.2 or later, pings a
// connection that has been silent for 15 seconds and drops it when the ping
// is not answered within 10, so a dead connection is found in seconds, and
// keeps connections, idle or not, for as long as they answer: Apple asks for
// connections reused for hours, and may block a sender that opens and
// closes them in quick succession. WithHTTPClient replaces it;
// WithEndpoint and WithRootCAs reach an emulator such as package apnstest.
package apns
