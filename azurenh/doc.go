// Package azurenh sends push notifications through Azure Notification Hubs.
//
// A *Client turns what package push renders (a push.Envelope) into requests to
// the hub's REST API, and the answers into push.Receipt values or *push.Error
// values. It implements push.Sender and push.Scheduler, and registers itself
// with package provider under the name "azurenh".
//
// # Quick start
//
// Copy a connection string from the hub's Access Policies in the Azure portal
// (a rule with the Send right is enough to send), then:
//
//	client, err := azurenh.New(connectionString, "myhub")
//	if err != nil {
//		return err
//	}
//	n, err := push.AppleNotification(map[string]any{"aps": map[string]any{"alert": "Hello!"}})
//	if err != nil {
//		return err
//	}
//	receipt, err := client.Send(ctx, n, push.Tags("sports", "politics"))
//
// The hub name may instead come from the connection string, as EntityPath=HUB,
// with New(connectionString, ""). New does no I/O.
//
// # What a send is on the wire
//
// Every request carries a shared access signature (Authorization), signed for
// the hub with the rule's key, cached and renewed a little before it expires
// (never signed per send); x-ms-version and api-version (WithAPIVersion); and a
// fresh client TrackingId (WithIDs). A send adds Content-Type and
// ServiceBusNotification-Format from the notification, its platform headers
// (apns-*, X-WNS-*, X-WindowsPhone-Target, X-NotificationClass) and, by target:
//
//   - push.Broadcast: POST /HUB/messages, no tags;
//   - push.Tags, push.Expression, push.Installation, push.User: the same, with
//     the tag expression, as its author wrote it, in ServiceBusNotification-Tags;
//   - push.Device, push.BrowserDevice, or push.Devices with one handle: a direct
//     send, POST /HUB/messages?direct with ServiceBusNotification-DeviceHandle
//     (and a browser subscription's P256DH and Auth headers);
//   - push.Devices with several handles: a batch direct send, POST
//     /HUB/messages/$batch?direct with a multipart/mixed body holding the
//     notification and the handles. More than push.MaxBatchDevices handles are
//     sent as several requests, in order, and Receipt.Parts holds one Receipt
//     per request; if one fails, Send returns the Receipt of the accepted parts
//     with the error, so that the caller can resend the rest.
//
// Client.Schedule posts to /HUB/schedulednotifications with
// ServiceBusNotification-ScheduleTime (UTC, whole seconds, at most seven days
// ahead); Client.Cancel deletes a scheduled notification by the ID its Receipt
// holds. Scheduled sends need the Standard tier.
//
// The Receipt holds the notification ID (the last segment of the Location
// header; the Free and Basic tiers send none, which is not an error), and the
// TrackingId and x-ms-correlation-request-id of the response, which Azure
// support asks for.
//
// # Test sends and debug logging
//
// WithTestSend(true) makes each send to tags or a broadcast a test send: the
// service delivers to at most 10 devices and reports what happened at each,
// which Send returns in Receipt.Outcome (successes, failures and one result per
// device, or no result when no device matched). The service throttles test
// sends to about 10 a minute and does not support them for direct or batch
// sends: Send refuses those before any I/O.
//
// With WithTestSend(true) and a logger (WithLogger) enabled at level Debug, the
// Client also logs every request ("azurenh: request": method, URL, headers
// sorted by name, body) and every response ("azurenh: response": status,
// headers, body) as Debug records, the debug mode of the service's Python
// sample. The Authorization header shows as "SharedAccessSignature REDACTED".
// When the logger is not enabled at Debug, the check costs one call to
// Enabled. At level Info the Client logs nothing per send; it warns before
// each retry.
//
// # Managing devices
//
// A Client also manages the devices of the hub, as the official SDKs do.
//
// Installations are the service's JSON API and the one to prefer.
// Client.PutInstallation creates or overwrites one; Client.GetInstallation
// reads it, with an error matching push.ErrNotFound when there is none;
// Client.PatchInstallation changes parts of it with JSON-Patch operations
// (AddTag, RemoveTag, SetTags, SetUserID, SetPushChannel,
// SetBrowserPushChannel, AddTemplate, RemoveTemplate, ...); and
// Client.DeleteInstallation deletes it, without error when it does not exist,
// since the service answers 204 either way. Installations are checked before
// any I/O (see Installation.Validate): the ID's characters, the platform names
// of the installations API (apns, fcmv1, wns, browser, ..., which are not the
// send formats of push.Platform: InstallationPlatformFor and
// InstallationPlatform.PushPlatform convert between the two, as
// RegistrationKindFor and RegistrationKind.PushPlatform do for registrations),
// the push channel's shape (a Web Push subscription for a browser), at most 60
// tags in 8000 bytes, the user ID's characters, template headers.
//
// The service applies installation writes asynchronously. A GetInstallation
// right after a PutInstallation, a PatchInstallation or a
// DeleteInstallation may answer push.ErrNotFound or the previous state for a
// few seconds, and a send right after may miss the device or still reach it.
// Do not read a write back to confirm it: a nil error means the service took
// it. The emulator in package nhtest applies every write at once, so a test
// that reads its own writes passes there and may not against Azure.
//
// Registrations are the older Atom XML API, still used by many apps. The flow
// the service recommends is Client.NewRegistrationID once per device, then
// Client.CreateOrUpdateRegistration under that ID, which can be repeated
// safely. Client.UpdateRegistration sends the ETag it read in If-Match
// (quoted, or "*" without one): when the registration changed in between, the
// service answers 412 and the error's StatusCode is
// http.StatusPreconditionFailed. Client.Registrations,
// Client.RegistrationsByTag and Client.RegistrationsByChannel are iterators
// (iter.Seq2) over every page of a listing: each page is asked for with the
// x-ms-continuationtoken of the previous answer, passed back verbatim. Every
// description type, native and template, is written with encoding/xml in the
// element order the service's reader requires, and read leniently.
//
// Client.NotificationDetails reads the telemetry of a sent notification, by
// the ID of its Receipt; Client.FeedbackContainerURL gives the blob container
// of the push services' refusals, whose blobs ParsePnsFeedback reads, so that
// dead devices can be deleted; Client.SubmitJob, Client.Job, Client.Jobs and
// Client.WaitJob run import and export jobs. All three need the Standard tier.
//
// The rule of the connection string needs Listen for installations, single
// registrations, registration IDs and listings by channel (what a device
// does), and Manage for listing every registration or those of a tag, and for
// jobs.
//
// Reads, and writes that give the same result when repeated (PutInstallation,
// PatchInstallation, DeleteInstallation, NewRegistrationID,
// CreateOrUpdateRegistration, UpdateRegistration without an ETag), are
// retried even when an attempt's outcome is unknown; CreateRegistration,
// UpdateRegistration with an ETag, DeleteRegistration and SubmitJob are not,
// since repeating them could duplicate a registration or a job, or fail on
// the first attempt's own effect.
//
// The feedback container URL, the URLs of a job and NotificationDetails'
// PnsErrorDetailsURI carry shared access signatures. The Client logs none of
// them; the debug dump shows every "sig=" value as REDACTED.
//
// # Errors
//
// Bad input (a malformed notification, an invalid tag expression, a schedule
// time in the past) is refused before any I/O, by push.Render, with an error
// matching push.ErrInvalidNotification, push.ErrPayloadTooLarge,
// push.ErrInvalidTarget or push.ErrInvalidSchedule. Every other error is, or
// wraps, a *push.Error whose Op names the operation ("azurenh: send",
// "azurenh: schedule", "azurenh: cancel", "azurenh: put installation",
// "azurenh: update registration", "azurenh: wait job", ...), with the HTTP
// status, the service's code and detail, the tracking ID and the Retry-After
// the service asked for. Its Kind maps the status:
//
//	400  push.ErrInvalidNotification (push.ErrInvalidTarget when the service blames the tags)
//	401  push.ErrUnauthorized: the detail says which: a rule without the right
//	     ("Send claim is required"), a wrong key or rule name, a clock far off
//	403  push.ErrThrottled with Retry-After; push.ErrForbidden without it: the
//	     rule lacks the right, or the feature is "not available for your tier"
//	404  push.ErrNotFound: no such hub, scheduled notification, installation,
//	     registration, job, or telemetry (yet)
//	408, 500, 503, 504  push.ErrUnavailable
//	413  push.ErrPayloadTooLarge
//	409  push.ErrThrottled: registration operations too frequent (retried)
//	410  no Kind: a registration ID the service cannot use (get a new one)
//	412  push.ErrConflict: a stale ETag in If-Match (read again, reapply)
//	429  push.ErrThrottled
//	502 and other 5xx  push.ErrOutcomeUnknown (which also matches push.ErrUnavailable)
//
// An answer of the service that cannot be read (a registration entry, a
// NotificationDetails document, a job that does not parse) is a *push.Error
// without Kind, the parse error in Err.
//
// Test them with errors.Is; reach the details with errors.As. Detail holds the
// service's whole text (an <Error> document's detail, or the body a proxy sent
// instead); the message shows it on one line, bounded. No error, log record or
// formatted value of this package holds the key or a signature.
//
// # Retries and the unknown-outcome rule
//
// A request that fails with push.ErrThrottled or push.ErrUnavailable (429,
// 409, 408, 500, 503, 504, 403 with Retry-After, or a connection that failed before
// the request was sent) is repeated under the Client's push.RetryPolicy
// (WithRetry; push.DefaultRetryPolicy by default), waiting the longer of the
// backoff and the Retry-After the service asked for (seconds or an HTTP date),
// on the Client's clock, and never past the context's deadline.
//
// A send is not idempotent: Notification Hubs has no way to tell a repeated
// send from a new one. When the connection fails after the whole request was
// written (the Client watches for it with net/http/httptrace), or a gateway
// answers 502, the service may already have accepted the notification; sending
// it again could notify every device twice. Such an error has the kind
// push.ErrOutcomeUnknown and is not retried unless the policy sets
// RetryUnknownOutcome, for callers to whom a duplicate is harmless. Cancel,
// being idempotent, retries unknown outcomes anyway.
//
// # A server that misbehaves
//
// The Client trusts the service no more than it must. It never follows a
// redirect, whatever the *http.Client's CheckRedirect says: a 3xx is an error
// (no Kind, not retried) that names where it pointed, and the request, with
// its token, goes nowhere else. Each attempt is bounded in time, headers and
// body alike (DefaultAttemptTimeout, WithAttemptTimeout), so that a server
// that answers a byte at a time cannot hold a send until the context ends. A
// certificate the client does not trust fails at once, as a configuration
// error that says how to trust an emulator's or a proxy's certificate. Every
// string the Client emits (errors, retry warnings, the debug dump, the
// Receipt, what a recorder writes of them) passes through one scrubber that
// removes the key and the signatures of its recent tokens, in whatever form a
// server echoed them, and every sig= value of a signed URL. A listing whose
// pages never end ends with an error; an ID that would address another path
// of the hub (".", "..", a slash) is refused before any I/O.
//
// # Concurrency and performance
//
// A Client is safe for concurrent use and meant to be shared by every goroutine
// of a process. It precomputes its URLs and constant header values, reuses its
// token until shortly before it expires, hands each request to its transport
// directly (an *http.Client with no jar or timeout would only copy its
// headers), and by default sends through its own transport: HTTP/2 when the
// service offers it, with ping health checks, and hundreds of kept-alive
// connections otherwise, so that a send costs no more than a bare HTTP POST.
// Close releases the idle connections when the Client is no longer needed.
// Throughput beyond one process's tens of thousands of sends a second is the
// service's job: one send to a tag reaches millions of devices.
package azurenh
