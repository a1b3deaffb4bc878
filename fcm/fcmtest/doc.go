// Package fcmtest is an in-process emulator of Firebase Cloud Messaging's
// HTTP v1 API and of Google's OAuth 2.0 token endpoint, for tests and for
// running examples offline. It imports no client of this module: what it
// checks, it checks with its own code, so that a client bug cannot hide
// behind the same bug in its emulator.
//
//	srv := fcmtest.NewServer()
//	defer srv.Close()
//	c, err := fcm.New(ctx, srv.Project(),
//		fcm.WithCredentialsJSON(srv.ServiceAccountJSON()), // token_uri points at srv
//		fcm.WithEndpoint(srv.URL()),
//		fcm.WithHTTPClient(srv.Client()))                  // trusts srv's certificate
//
// # What it serves
//
// Over TLS, HTTP/2 (at most DefaultMaxConcurrentStreams requests a
// connection) and HTTP/1.1:
//
//   - POST /token: the JWT bearer grant (RFC 7523). The assertion must be an
//     RS256 JWT signed by the key of a service account the Server made
//     (ServiceAccountJSON, NewServiceAccount), verified with the emulator's own
//     code; its aud the token URL; its iat and exp at most an hour apart and
//     around now on the Server's clock; its scope non-empty. Refusals are
//     Google's: 400 invalid_grant "Invalid JWT Signature.", "Invalid JWT:
//     Failed audience check.", "Invalid JWT: Token must be a short-lived token
//     ...", "Invalid grant: account not found"; invalid_scope;
//     unsupported_grant_type. Success: {"access_token":"ya29...","expires_in":3599,
//     "token_type":"Bearer"}.
//   - POST /v1/projects/PROJECT/messages:send: checked in FCM's order. A
//     missing, unknown or expired bearer gets 401 UNAUTHENTICATED; a token
//     without an FCM scope, or of another project's service account, 403
//     PERMISSION_DENIED. Then the body: a JSON object of message and
//     validate_only; the message's fields, by name (snake_case or
//     lowerCamelCase; an unknown one is refused) and type (data values are
//     strings); reserved data keys; android.ttl a Duration of at most 4 weeks;
//     android.priority normal or high; webpush.fcm_options.link https; exactly
//     one target of token, topic, condition and fid; a topic of
//     [a-zA-Z0-9-_.~%]+; a condition that ParseCondition reads, of at most 5
//     topics; a size of at most MaxMessageSize (MaxTopicMessageSize to a topic
//     or a condition). Each refusal is 400 INVALID_ARGUMENT, with a BadRequest
//     detail naming the field. Then the registration token: one outside FCM's
//     alphabet (or, WithStrictTokens, one NewToken did not issue) gets 400 "The
//     registration token is not a valid FCM registration token"; SetToken makes
//     one answer 404 UNREGISTERED, 403 SENDER_ID_MISMATCH or 401
//     THIRD_PARTY_AUTH_ERROR.
//   - An accepted send answers {"name":"projects/PROJECT/messages/ID"}; a
//     dry run (validate_only) runs every check, delivers nothing and answers
//     the name projects/PROJECT/messages/fake_message_id.
//   - Anything else gets Google's plain 404 page, the retired batch endpoint
//     /batch included.
//
// Error answers have FCM's shape:
//
//	{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND",
//	  "details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}
//
// # Faults, records, hooks
//
// Fail injects quota answers (429 QUOTA_EXCEEDED with Retry-After), server
// errors (500 INTERNAL, 503 UNAVAILABLE) and dropped connections. Requests
// returns every send request received, accepted and refused, with its
// decoded message and target; Messages the delivered ones. Watch reports
// each request as it arrives. AccessTokensIssued counts the token
// endpoint's grants, and ExpireAccessTokens ages them all at once.
//
// # Time
//
// WithClock sets the clock that judges assertions and access tokens. Note
// that x/oauth2 dates its assertions on the system clock: a manual clock for
// the Server should start at time.Now().
//
// # Running it standalone
//
// NewServer with WithListener serves on a chosen loopback address; URL,
// ServiceAccountJSON and CertificatePEM are what a client elsewhere needs.
package fcmtest
