// Package webpushtest is an emulated Web Push service and the browsers
// subscribed to it, for testing a Web Push sender without a browser or an
// account anywhere: it checks every push request as a push service does and
// decrypts every message as the browser would, so that a test asserts what
// the service worker receives.
//
//	srv := webpushtest.NewServer()
//	defer srv.Close()
//	sub := srv.NewSubscription(webpushtest.WithApplicationServerKey(key.PublicKey()))
//	client, _ := webpush.New(key, "mailto:ops@example.com", webpush.WithHTTPClient(srv.Client()))
//	client.Send(ctx, n, push.BrowserDevice(sub))
//	srv.Delivered(sub.Endpoint)[0].Plaintext // what the browser read
//
// # The browser
//
// NewSubscription subscribes a new browser, as PushManager.subscribe()
// does: a fresh P-256 key pair and 16-byte authentication secret, an
// endpoint on the emulator, optionally restricted to one application
// server's VAPID key (WithApplicationServerKey). The emulator keeps the
// browser's private key (Keys) and decrypts every message it receives for a
// subscription it knows, recording the plaintext, or why it could not be
// decrypted: a bad tag, a wrong delimiter, padding without one. Its decoder
// is its own, written apart from any client's encryption, and reads any
// aes128gcm body (several records, any keyid).
//
// # The push service
//
// Endpoints are URL()+"/push/ID", and every request but POST /subscribe is
// taken for a push request. The emulator answers as RFC 8030, RFC 8291 and
// RFC 8292 say a push service does, checking the method, the subscription,
// Content-Length, VAPID, the headers, the size and then the body:
//
//	405  not a POST
//	404  unknown endpoint, or a subscription Removed
//	410  a subscription Expired (unsubscribed)
//	411  no Content-Length
//	401  no VAPID authorization for a restricted subscription (or any, WithRequiredVAPID),
//	     or an Authorization that does not parse as "vapid t=JWT, k=KEY"
//	403  a bad token: alg not ES256, a signature (R‖S) that k does not verify, aud not
//	     this emulator's origin (URL), exp missing, past or more than 24 hours ahead on
//	     the emulator's clock, k not the subscription's key; with WithAppleSubjects, a
//	     sub that is not mailto: or https: or names a host that is not public
//	     ({"reason":"BadJwtToken"})
//	400  TTL missing or not 1*DIGIT; Urgency not one of very-low, low, normal,
//	     high; Topic not 1 to 32 characters of A-Z a-z 0-9 - _; a header repeated;
//	     Content-Encoding not aes128gcm; an aes128gcm header shorter than 86 bytes,
//	     idlen not 65, a keyid not on the curve, rs under 18, more than one record;
//	     k equal to the message's keyid
//	413  a body over 4096 bytes (WithMaxBodySize lowers it)
//	201  accepted: Location (the message's URL) and TTL (the one applied, at most
//	     four weeks); 202 with a receipt Link when the request prefers respond-async
//
// Refusals carry a JSON body, {"code":..., "error":..., "message":...}, as
// Mozilla's service does, whose message says what was wrong. A body that does
// not decrypt is still accepted: a push service cannot read it.
//
// Every request is recorded, accepted or refused (Messages, Delivered), with
// its headers, its VAPID claims and its body, encrypted and decrypted;
// Message.Envelope reads one back into the push.Envelope a sender rendered.
// OnRequest reports each request as it arrives. Fail injects faults: a status
// (429 with Retry-After, 5xx) or a dropped connection, for all requests or
// those of one endpoint, a number of times.
//
// # Standalone
//
// The emulator serves HTTP/2 and HTTP/1.1 over TLS on a loopback address,
// with httptest's certificate (Client trusts it; CertificatePEM gives it to
// other languages). WithListener serves on a chosen address, and POST
// /subscribe (an optional JSON body {"applicationServerKey":"KEY"}) answers
// 201 with a new subscription in the JSON PushSubscription.toJSON() writes,
// so that a client in any language can be tried against it.
//
// The emulator imports no client package of this module, so that a bug in a
// client cannot hide behind the same bug here.
package webpushtest
