// Package apnstest is an in-process emulator of the Apple Push Notification
// service: an HTTP/2-only TLS server on a loopback address that checks what
// APNs checks, answers as APNs answers, and records what it received. It is
// written apart from package apns (it imports no client of this module), so
// that a client bug cannot hide behind the same bug in its emulator.
//
//	srv := apnstest.NewServer()
//	defer srv.Close()
//	key := srv.Key() // a P-256 key the emulator generated: .p8 PEM, key ID, team ID
//	k, _ := apns.ParseKey(key.PEM)
//	client, _ := apns.New(apns.Sandbox, apns.Token(k, key.KeyID, key.TeamID),
//		apns.WithTopic(apnstest.DefaultTopic), apns.WithEndpoint(srv.URL()), apns.WithHTTPClient(srv.Client()))
//
// # What it checks
//
// In this order, answering with Apple's status and {"reason":...}:
//
//   - the method (405 MethodNotAllowed) and the path /3/device/TOKEN (404
//     BadPath, 400 MissingDeviceToken); a repeated apns-* or authorization
//     header (400 DuplicateHeaders);
//   - the credentials: a client certificate it issued (NewCertificate; 403
//     BadCertificate for another), or a provider token, which it reads and
//     verifies itself: bearer, a three-part JWS, alg ES256, a kid it knows,
//     iss the key's team, the ES256 signature (403 MissingProviderToken,
//     InvalidProviderToken), an iat at most an hour old on its clock (403
//     ExpiredProviderToken), the key's environment (403
//     BadEnvironmentKeyInToken);
//   - per connection: the team and key bound by its first push (403
//     InvalidProviderToken for another team, UnrelatedKeyIdInToken for
//     another key), and the 20-minute rule (429 TooManyProviderTokenUpdates
//     for a new token sooner, unless the previous was refused as expired);
//   - the headers: apns-id a UUID (BadMessageId), apns-priority 10, 5 or 1
//     (BadPriority), apns-expiration a non-negative integer
//     (BadExpirationDate), apns-collapse-id at most 64 bytes
//     (BadCollapseId), apns-push-type one Apple documents (InvalidPushType;
//     absent reads as alert), background at priority 10 (BadPriority);
//   - the topic: present (MissingTopic), well formed (BadTopic), a bundle ID
//     of the team (TopicDisallowed), with the push type's suffix and the
//     device's bundle ID (DeviceTokenNotForTopic);
//   - the device token: hex of an even length (BadDeviceToken), and what it
//     was told (MarkBad: BadDeviceToken; Unregister: 410 Unregistered with
//     the timestamp in milliseconds; Expire: 410 ExpiredToken);
//   - the payload: present (PayloadEmpty), at most 4096 bytes, 5120 for
//     voip (413 PayloadTooLarge), a JSON object (400 InvalidPayload: Apple
//     documents no reason for it, so this one is the emulator's choice);
//   - a burst limit per device token, when set (429 TooManyRequests).
//
// Every answer carries apns-id (the request's, or a new UUID) and, in the
// sandbox, apns-unique-id. Every request is recorded, accepted or not
// (Requests, Accepted), and ReadEnvelope reads one back into the Envelope
// the client rendered. Watch reports each request as it arrives. Faults
// (Fail) inject throttling, server errors, Shutdown, a GOAWAY, a dropped
// connection, a stall or a connection gone silent.
//
// Not emulated: APNs advertises one concurrent stream until the first valid
// token on a connection; net/http cannot change a connection's settings, so
// the emulator advertises its limit (1000, WithMaxConcurrentStreams) from
// the start.
//
// # Standalone
//
// NewServer(WithListener(l)) serves on a chosen loopback address; Addr, URL,
// CertificatePEM and Key give a client in any language what it needs.
package apnstest
