// Package nhtest is an in-process emulator of Azure Notification Hubs' data-plane
// REST API: a TLS httptest server on a loopback address that checks every request
// the way the service does and answers with the service's status codes, headers
// and error bodies. It is the HTTP-level test double of package azurenh and the
// embedded default of the examples, and it depends on no client: it reads the wire
// on its own, so a bug in a client cannot hide behind the same bug in the emulator.
//
//	s := nhtest.NewServer()
//	defer s.Close()
//	// connect a client with s.ConnectionString(), s.Hub() and s.Client(), then:
//	sends := s.Sends()
//
// # What is checked
//
// Every request goes through, in order: an injected Fault (see Fail); the shared
// access signature (401: MissingToken, MalformedToken, InvalidSignature,
// ExpiredToken, InvalidAudience); the api-version query parameter, required and
// one of APIVersions, with an x-ms-version header, if any, equal to it (400); the
// path (404 for another hub or an unknown path); the claim of the signing rule
// (401 "Send claim is required for this operation.", the service's wording and
// status); the method (405).
//
// The token is checked as the service checks it: the HMAC-SHA256, keyed with the
// rule's key text (not base64-decoded), of sr exactly as sent (still URL-encoded),
// a newline and se, compared in constant time; se in the future on the Server's
// clock; the decoded sr, without regard to case, the request URL or a prefix of it
// ending at a path segment, so that both the namespace audience
// (https://127.0.0.1:PORT/) and the hub audience (https://127.0.0.1:PORT/hub) work.
//
// # Claims
//
// Which claim each operation needs, from the service's security model
// (learn.microsoft.com, "Notification Hubs security": Listen creates, updates,
// reads and deletes single registrations; Send sends; Manage reads registrations by
// tag and manages hubs) and the SDKs' use of the Listen rule for installations:
//
//	POST   /{hub}/messages[?test|?direct]         Send
//	POST   /{hub}/messages/$batch?direct          Send
//	POST   /{hub}/schedulednotifications          Send
//	DELETE /{hub}/schedulednotifications/{id}     Send
//	PUT, PATCH, GET, DELETE /{hub}/installations/{id}   Listen
//	POST /{hub}/registrationIDs, * /{hub}/registrations/{id},
//	    GET /{hub}/registrations?$filter=...      Listen (not emulated: 501)
//	GET /{hub}/registrations, GET /{hub}/tags/{tag}/registrations,
//	    /{hub}/jobs, /{hub}                       Manage (not emulated: 501)
//
// A rule with Manage also has Send and Listen, as in Azure. A missing claim is a
// 401 with the detail "Send claim is required for this operation." (the service
// answers "Manage claim is required for this operation." with 401).
//
// # Sends
//
// A send (POST /{hub}/messages, /messages/$batch or /schedulednotifications; a
// trailing slash is accepted) needs: a ServiceBusNotification-Format of
// push.Platforms (absent means template, as the REST reference says); a
// Content-Type that suits it (application/json for the JSON formats, and also
// form-encoded for baidu; application/xml for windows and windowsphone;
// application/octet-stream for wns/raw); X-WNS-Type for windows; a tag expression,
// if any, that push.ParseExpression accepts (400 "An invalid tag(s) '...' was
// supplied...", which includes a 21-tag OR and a 7-tag AND); a body of at most
// 64 KB (413), not empty, that is JSON for the JSON formats (an object of strings
// for templates) and well-formed XML for XML ones.
//
// A test send (?test or test=true) answers 201 with a NotificationOutcome listing
// at most 10 matching installations, or <Results i:nil="true"></Results> when none
// match. A direct send (?direct) needs ServiceBusNotification-DeviceHandle, and
// for browser also P256DH and Auth; a direct send cannot be a test send. A batch
// (/messages/$batch?direct) takes a multipart/mixed body with the parts
// notification and devices (a JSON array of 1 to 1000 handles); multipart/form-data
// is refused. A scheduled send needs ServiceBusNotification-ScheduleTime, no
// earlier than now and at most 7 days ahead; DELETE
// /schedulednotifications/{id} cancels it (200, or 404).
//
// An accepted send answers 201 with TrackingId (the client's TrackingId header, if
// it sent one), x-ms-correlation-request-id and, on the Standard tier, Location:
// https://HOST/{hub}/messages/{id}?api-version=V (/messages/$batch/{id} for a
// batch, /schedulednotifications/{id} for a scheduled send). WithTier emulates the
// Free and Basic tiers. Every accepted send is recorded: see Sends, Scheduled and
// ReadEnvelope. Sends are never delivered anywhere, and scheduled sends stay
// pending until cancelled.
//
// # Installations
//
// PUT (200), PATCH (200; JSON Patch, see below), GET (200, or 404) and DELETE (204,
// even for an unknown ID) of /{hub}/installations/{id} keep installations in
// memory. They are validated as the service does: a platform of apns, fcmv1, gcm,
// wns, mpns, adm, baidu, browser, xiaomi; a push channel (an object with keys for a
// browser); at most 60 tags, each valid for push.ValidateTag and none of the
// reserved $ forms, which the service sets itself: every installation carries the
// implicit tags $InstallationId:{id} and, with a user ID, $UserId:{userId}.
// PutInstallation and Installation seed and read them directly. The service applies
// installation writes asynchronously (a GET right after a PUT may miss it); the
// emulator applies them at once.
//
// A send reaches the installations of its format (apple reaches apns, fcmv1
// fcmv1, windows wns, windowsphone mpns, ...) whose tags and implicit tags match
// its expression (all of them for a broadcast); a template send reaches
// installations with a template, whose own tags count too; a direct or batch send
// reaches those whose push channel is one of its handles. Send.Matched lists them.
//
// # Not emulated
//
// Registrations (Atom XML), notification details (per-message telemetry), PNS
// feedback, import and export jobs and hub management answer 501 after the token
// and claim checks. Test sends are not throttled. Delivery to devices, template
// expansion and per-platform payload limits (APNs' 4 KB, ...) are the service's
// and platforms' business and are not emulated.
package nhtest
