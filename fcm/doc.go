// Package fcm sends push.FCMV1 notifications through Firebase Cloud
// Messaging's HTTP v1 API: to registration tokens, one request per token over
// HTTP/2 with bounded concurrency and a push.Result per token, and to topics
// and conditions, translated from the core's tags and tag expressions. The
// body is the one Notification Hubs takes for its fcmv1 platform,
// {"message":{...}}, with the target added.
//
//	c, err := fcm.New(ctx, "my-app-1a2b3", fcm.WithCredentialsFile("/run/secrets/firebase-sa.json"))
//	if err != nil { ... }
//	defer c.Close()
//	n, _ := push.FCMMessage{Display: &push.FCMNotification{Title: "Hi"}}.Notification()
//	r, err := c.Send(ctx, n, push.Devices(tokens...))
//	for _, res := range r.Results {
//		if res.Unregistered() {
//			forget(res.Handle) // FCM said UNREGISTERED
//		}
//	}
//
// # Credentials
//
// A Client authenticates with OAuth 2.0 access tokens of scope Scope, through
// golang.org/x/oauth2 and its google package: a service account key file
// (WithCredentialsFile, WithCredentialsJSON), any oauth2.TokenSource
// (WithTokenSource), or, with neither, Application Default Credentials. The
// token is fetched through the Client's *http.Client, cached, shared by
// every send, and replaced ahead of its expiry (5 minutes, on the Client's
// clock) by one fetch in the background while sends go on with the old one;
// sends wait for a fetch only when no usable token is left. A send whose
// token FCM refuses (401 UNAUTHENTICATED) fetches a new one and is made once
// more.
//
// # Targets
//
// push.Device and push.Devices send {"message":{"token":TOKEN,...}} per
// token, direct.DefaultConcurrency at a time unless WithConcurrency says
// otherwise. The old batch endpoint is retired and not used.
//
// FCM allows about 100 streams on one connection. Each Send keeps its own
// bound, and past 100 requests in flight in all, Go's HTTP/2 transport dials
// a connection for each request that finds no free stream, not one for
// every 100: a burst of 1000 concurrent one-token Sends dialed about 2000
// TLS connections to an emulator of 100 streams. Send a list of tokens in
// one call, which keeps WithConcurrency requests in flight, or bound the
// Sends a process runs at once.
//
// A tag expression goes to topics: one tag to {"topic":Topic(tag)}, more to
// an FCM condition, "a && !b" becoming "'a' in topics && !('b' in topics)",
// parenthesised so that FCM, which evaluates left to right, reaches what the
// core's precedence says. Topic maps each tag to a topic name FCM accepts
// ($InstallationId:{id} included), reversibly; an app subscribes its devices
// to the topics of their tags. A condition holds at most
// MaxConditionTopics topics, and a message to a topic at most
// MaxTopicMessageSize bytes: more is refused before any I/O. FCM has no
// broadcast: push.Broadcast is refused with push.ErrUnsupported.
//
// WithDryRun sends validate_only: FCM checks the message, the token or topic
// included, and delivers nothing.
//
// # Errors
//
// Failures are *push.Error values whose Kind is a push sentinel and whose
// Code is FCM's error code (from the FcmError detail, else the status):
//
//	UNREGISTERED            push.ErrUnregistered: delete the token; never retried
//	INVALID_ARGUMENT        push.ErrInvalidTarget when the token, topic or condition is at fault,
//	                        push.ErrInvalidNotification otherwise (a bad payload does not condemn the token)
//	SENDER_ID_MISMATCH      push.ErrForbidden: the token belongs to another project
//	QUOTA_EXCEEDED (429)    push.ErrThrottled, with Retry-After; retried
//	UNAVAILABLE (503)       push.ErrUnavailable; retried
//	INTERNAL (500)          push.ErrUnavailable; retried
//	THIRD_PARTY_AUTH_ERROR  push.ErrUnauthorized: fix the APNs or web credentials in the Firebase console
//	UNAUTHENTICATED (401)   push.ErrUnauthorized, after one retry with a fresh access token
//	PERMISSION_DENIED (403) push.ErrForbidden: enable the API, grant cloudmessaging.messages.create
//
// Retries follow the Client's push.RetryPolicy (WithRetry), per token, on
// its clock, honouring Retry-After. An error that matches
// push.ErrUnauthorized stops a send to several tokens. No error, log line or
// printed Client holds a key, an assertion or an access token, even one a
// server echoes back.
//
// # Configuration URL
//
// The package registers the provider "fcm" (see package provider):
//
//	fcm://PROJECT_ID?credentials_file=/path/sa.json
//	fcm://PROJECT_ID?credentials_env=VAR                         (the key file's contents in VAR)
//	fcm://PROJECT_ID                                             (Application Default Credentials)
//	fcm://PROJECT_ID?credentials_file=...&endpoint=https://127.0.0.1:PORT&dry_run=true&concurrency=50
//
// # Testing
//
// Package fcmtest emulates the API and the token endpoint; its
// ServiceAccountJSON, URL and Client make a Client that runs the real
// OAuth flow against it.
package fcm
