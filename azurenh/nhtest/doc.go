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
// Every request goes through, in order: the shared access signature (401:
// MissingToken, MalformedToken, InvalidSignature, ExpiredToken,
// InvalidAudience); an injected Fault (see Fail), which only a request that
// passed authentication gets, or uses up; the api-version query parameter,
// required and one of APIVersions, with an x-ms-version header, if any, equal
// to it (400); the path (404 for another hub or an unknown path); the claim of
// the signing rule (401 "Send claim is required for this operation.", the
// service's wording and status); the method (405).
//
// The token is checked as the service checks it: the HMAC-SHA256, keyed with the
// rule's key text (not base64-decoded), of sr exactly as sent (still URL-encoded),
// a newline and se, compared in constant time; se in the future on the Server's
// clock; the decoded sr, without regard to case, the request's URL on the
// emulator's own endpoint (whatever Host header the request carries) or a
// prefix of it ending at a path segment, so that both the namespace audience
// (https://127.0.0.1:PORT/) and the hub audience (https://127.0.0.1:PORT/hub)
// work. Authorization signs a token for requests made by hand.
//
// # Answers
//
// Errors are <Error><Code>STATUS</Code><Detail>...</Detail></Error>, the detail
// in the service's form: its sentence followed, with no space, by
// "TrackingId:ID,TimeStamp:M/D/YYYY h:mm:ss AM" (UTC). XML answers write their
// text as the service's writer does: quotes (" and '), line feeds and tabs as they
// are, not as the numeric references of encoding/xml, which the JavaScript
// SDK's parser shows literally.
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
//	POST /{hub}/registrationIDs, POST /{hub}/registrations,
//	    GET, PUT, DELETE /{hub}/registrations/{id},
//	    GET /{hub}/registrations?$filter=...      Listen
//	GET /{hub}/registrations, GET /{hub}/tags/{tag}/registrations,
//	    POST, GET /{hub}/jobs, GET /{hub}/jobs/{id}     Manage
//	GET /{hub}/messages/{id}, GET /{hub}/feedbackcontainer   any rule (the service does not document it)
//	/{hub}                                        Manage (not emulated: 501)
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
// ReadEnvelope. A send keeps what it reached (its memory grows with the devices
// it matched, not with the devices on the hub); WithSendLimit bounds how many
// are kept. Sends are never delivered anywhere, and scheduled sends stay
// pending until cancelled.
//
// # Installations
//
// PUT (200), PATCH (200; JSON Patch, see below), GET (200, or 404) and DELETE (204,
// even for an unknown ID) of /{hub}/installations/{id} keep installations in
// memory. They are validated as the service does: a platform of apns, fcmv1, gcm,
// wns, mpns, adm, baidu, browser, xiaomi; a push channel (an object with keys for a
// browser); templates whose bodies compile (see Templates below); at most 60
// tags, each valid for push.ValidateTag and none of the reserved $ forms, which
// the service sets itself: every installation carries the implicit tags
// $InstallationId:{id} and, with a user ID, $UserId:{userId}. PutInstallation
// and Installation seed and read them directly, their Platform the send format
// that reaches them (push.Apple for "apns"), as the rest of this module names
// platforms; the wire keeps the service's names. The service applies
// installation writes asynchronously (a GET right after a PUT may miss it); the
// emulator applies them at once.
//
// A send reaches the installations of its format (apple reaches apns, fcmv1
// fcmv1, windows wns, windowsphone mpns, ...) whose tags and implicit tags match
// its expression (all of them for a broadcast); a template send reaches
// installations with a template, whose own tags count too; a direct or batch send
// reaches those whose push channel is one of its handles. A send reaches
// registrations the same way: the native registrations of its format whose tags
// match, the template registrations for a template send, the native
// registrations of a handle for a direct or batch send. Send.Matched lists them
// all, and a test send's NotificationOutcome lists the first 10. For a template
// send, Send.Payloads holds what each matching template expands to.
//
// # Registrations
//
// The registrations API takes and answers Atom entries whose content is a
// registration description (AppleRegistrationDescription,
// WindowsTemplateRegistrationDescription, ... of every platform). The emulator
// reads a description on its own, by local names: its elements must come in the
// order of the service's data contract (ETag, ExpirationTime, RegistrationId,
// Tags, PushVariables, then the handle, then the template's elements), each
// once. As the service's reader does, the emulator skips an element out of
// order, or repeated, and stores the registration without it; unlike the
// service it says so, in Warnings, so that a test catches the data loss.
// Unknown elements are ignored. It needs the handle of the kind, at most 60 valid tags, a
// BodyTemplate that compiles for a template (see Templates below), and
// X-WNS-Type among a Windows template's headers. Answers echo the elements as written, after ETag, ExpirationTime,
// RegistrationId and the tags.
//
// POST /registrationIDs answers 201 with a new ID in Location. PUT
// /registrations/{id} without If-Match creates (201; only an ID from
// /registrationIDs, or 410) or overwrites (200); with If-Match it updates an
// existing registration (404 otherwise) whose ETag it names ("*", quoted or
// not, weak or not; 412 otherwise). POST /registrations creates one under a new
// ID (201). GET answers 200 or 404; DELETE 200, 404 when it does not exist, 412
// for another ETag. The ETag starts at 1 and counts the writes.
//
// GET /registrations lists every registration in order of creation, GET
// /tags/{tag}/registrations those with a tag, and GET
// /registrations?$filter=... those of one channel: DeviceToken eq 'HEX' (in
// upper case, as the REST reference requires; 400 otherwise),
// FcmV1RegistrationId, GcmRegistrationId, AdmRegistrationId,
// XiaomiRegistrationId, ChannelUri and Endpoint (URL-encoded), and conditions
// joined by "and": BaiduUserId and BaiduChannelId, or Endpoint, P256DH and
// Auth, as the JavaScript SDK lists a browser's. Pages hold $top registrations (at most and by
// default MaxRegistrationPage); X-MS-ContinuationToken names the next page, to
// be passed back verbatim as continuationtoken: the emulator's tokens hold
// characters a query must escape, so that a client that does not escape them
// gets a 400. Registrations and Registration read them directly.
//
// # Templates
//
// A template body, of an installation's template or of a template
// registration's BodyTemplate, is compiled with push.CompileTemplate when it is
// written (the service's expression language: $(prop), $(prop, n), .(prop, n),
// %(prop), #(prop), literals and {a + b}), as the service checks it then. A body
// that does not compile is refused with 400: "The installation template "name"
// does not compile: ..." or "The BodyTemplate of the
// AppleTemplateRegistrationDescription (TemplateName "name") does not compile:
// ...", followed by the compiler's detail, which says what is wrong and where.
//
// A template send expands, with its properties (its body, a JSON object of
// strings), every template that matches: an installation's templates whose own
// tags, together with the installation's tags and implicit tags, match the
// expression (all of them for a broadcast), and the template registrations the
// send reaches. Send.Payloads holds one Payload per template: the device, the
// template's name, the native format and the body the device would receive,
// byte for byte, in the order of Send.Matched, then by template name. Test and
// scheduled sends have them too (a scheduled send's as of the request); other
// sends have none. Template headers (X-WNS-Type, apns-*, expiry) are kept as
// written, not expanded.
//
// # Telemetry, feedback and jobs
//
// On the Standard tier (403 "This operation is not available for your tier."
// otherwise):
//
// GET /messages/{id} answers the NotificationDetails of a recorded send: state
// Completed with one Success per device reached, in the outcome counts of its
// platform (ApnsOutcomeCounts, FcmV1OutcomeCounts, WnsOutcomeCounts,
// BrowserOutcomeCounts, XiaomiOutcomeCounts, ...), NoTargetFound when it
// reached none, Scheduled or Cancelled for a scheduled send; 404 for an unknown
// ID.
//
// GET /feedbackcontainer answers, as text, the URL of an emulated Azure
// Storage container (FeedbackContainerURL), signed for an hour on the Server's
// clock: with &restype=container&comp=list it lists one blob per day of the
// records AddFeedback seeded, or sends to handles made dead with Unregister
// left, and each blob holds their PnsFeedback documents.
// A URL whose signature is altered or expired gets Azure Storage's 403
// AuthenticationFailed. The Server never logs the signature.
//
// POST /jobs accepts an import or export job (201, Started); it moves to
// Running, then Completed, one state each time it is read (GET /jobs/{id}, GET
// /jobs), or at once to Completed when JobDuration has passed on the Server's
// clock. Jobs reads them directly. No file is read or written.
//
// # Not emulated
//
// Hub management answers 501 after the token and claim checks. Test sends and
// registration operations are not throttled. Delivery to devices, PNS failures
// (telemetry always reports success; only a handle made dead with Unregister
// gives feedback) and per-platform payload limits (APNs' 4 KB, ...) are the
// service's and platforms' business and are not emulated: Send.Payloads shows
// what each device would receive from a template send, and nothing is
// delivered. Whether an expanded payload suits its platform (JSON
// for APNs, XML for WNS) is not checked.
package nhtest
