package nhtest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// Request headers of a send.
const (
	headerFormat       = "Servicebusnotification-Format"
	headerTags         = "Servicebusnotification-Tags"
	headerDeviceHandle = "Servicebusnotification-Devicehandle"
	headerScheduleTime = "Servicebusnotification-Scheduletime"
	headerP256DH       = "P256dh"
	headerAuth         = "Auth"
	headerWNSType      = "X-Wns-Type"
	headerMPNSTarget   = "X-Windowsphone-Target"
	headerMPNSClass    = "X-Notificationclass"
)

// Kind is the kind of a send request, as Send.Kind records it: to tell a test
// send, a direct or batch send or a scheduled send from a plain one.
type Kind string

// The kinds of send.
const (
	KindSend      Kind = "send"      // POST /messages: to tags, or a broadcast
	KindTest      Kind = "test"      // POST /messages?test: a test send, answered with a NotificationOutcome
	KindDirect    Kind = "direct"    // POST /messages?direct: to one device handle
	KindBatch     Kind = "batch"     // POST /messages/$batch?direct: to up to 1000 device handles
	KindScheduled Kind = "scheduled" // POST /schedulednotifications: to tags or a broadcast, later
)

// ReadEnvelope turns a Notification Hubs send request back into the push.Envelope
// it carries, so that a test can compare what a client put on the wire with what
// push.Render produced. It takes the request a server received or one a client
// sent (for example one captured by httpmock): it reads only r.Method, r.URL.Path,
// r.URL.RawQuery, r.Header and r.Body.
//
// The kind of send comes from the path (a trailing slash is ignored) and the query:
//
//	POST .../messages                    send, or a test send with "test"
//	POST .../messages?direct             direct send
//	POST .../messages/$batch             batch direct send (multipart/mixed body)
//	POST .../schedulednotifications      scheduled send
//
// The Envelope is read exactly, without normalising or checking what the service
// would refuse (the Server does that):
//
//   - Platform is the ServiceBusNotification-Format header as sent ("" if absent).
//   - ContentType is the Content-Type header as sent; for a batch, that of the
//     notification part.
//   - Header holds, with canonical keys and all their values, the platform headers
//     the core puts in an Envelope: apns-*, X-WNS-*, X-WindowsPhone-Target and
//     X-NotificationClass. It is nil when there are none.
//   - Body is the request body; for a batch, the notification part.
//   - Tags is the ServiceBusNotification-Tags header as sent, "" if absent.
//   - Devices is [ServiceBusNotification-DeviceHandle] for a direct send, the
//     devices part (a JSON array of strings) for a batch, nil otherwise.
//   - Subscriptions is, for a direct send of format browser, the subscription
//     of the handle and the P256DH and Auth headers; nil otherwise.
//   - ScheduleTime is ServiceBusNotification-ScheduleTime of a scheduled send, in
//     UTC; RFC 3339 with or without fractional seconds, or without a zone (read as
//     UTC).
//
// ReadEnvelope reads the whole body and puts an equivalent reader back in r.Body,
// so the caller (or a handler after it) can read it again. It reads at most
// MaxSendBody bytes, the most any send the service takes can hold: a longer
// body gives an error of kind push.ErrPayloadTooLarge, and r.Body is then left
// part read. Other errors, of kind push.ErrInvalidNotification, say why the
// request is not a send or cannot be read.
func ReadEnvelope(r *http.Request) (push.Envelope, error) {
	kind, err := kindOf(r)
	if err != nil {
		return push.Envelope{}, err
	}
	body, err := readAndRestore(r)
	if err != nil {
		return push.Envelope{}, err
	}
	env, err := readEnvelope(r, kind, body)
	if err != nil {
		return push.Envelope{}, readError(err.Error())
	}
	return env, nil
}

// opReadEnvelope is the Op of ReadEnvelope's errors.
const opReadEnvelope = "nhtest: read envelope"

func readError(detail string) error {
	return &push.Error{Op: opReadEnvelope, Kind: push.ErrInvalidNotification, Detail: detail}
}

// MaxSendBody is the most ReadEnvelope reads of a request's body: a batch
// direct send of a 64 KB notification to push.MaxBatchDevices handles of
// push.MaxHandleLength bytes, with room for the multipart framing.
const MaxSendBody = 64<<10 + push.MaxBatchDevices*(push.MaxHandleLength+8) + 4<<10

// readAndRestore reads r.Body, at most MaxSendBody bytes, and replaces it
// with a reader of the same bytes.
func readAndRestore(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxSendBody+1))
	if len(body) > MaxSendBody {
		return nil, &push.Error{Op: opReadEnvelope, Kind: push.ErrPayloadTooLarge,
			Detail: "the body is larger than " + sizeText(MaxSendBody) + ", more than any send the service takes"}
	}
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, &push.Error{Op: opReadEnvelope, Kind: push.ErrInvalidNotification, Detail: "reading the body", Err: err}
	}
	return body, nil
}

// kindOf tells the kind of send from the method, path and query.
func kindOf(r *http.Request) (Kind, error) {
	if r.Method != http.MethodPost {
		return "", readError("a send is a POST, not " + r.Method)
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case strings.HasSuffix(path, "/messages/$batch"):
		return KindBatch, nil
	case strings.HasSuffix(path, "/schedulednotifications"):
		return KindScheduled, nil
	case !strings.HasSuffix(path, "/messages"):
		return "", readError("path " + r.URL.Path + " is not a send: want .../messages, .../messages/$batch or .../schedulednotifications")
	}
	return messagesKind(r.URL.Query()), nil
}

// messagesKind tells the kind of a POST /messages from its query: direct, test or
// plain send.
func messagesKind(q url.Values) Kind {
	switch {
	case queryFlag(q, "direct"):
		return KindDirect
	case queryFlag(q, "test"):
		return KindTest
	}
	return KindSend
}

// queryFlag reports whether a flag parameter is on: present ("&test", "test=true",
// "test=") and not "false".
func queryFlag(q url.Values, name string) bool {
	return q.Has(name) && !strings.EqualFold(q.Get(name), "false")
}

// readEnvelope builds the Envelope of a send of the given kind from its request
// and body.
func readEnvelope(r *http.Request, kind Kind, body []byte) (push.Envelope, error) {
	h := r.Header
	env := push.Envelope{
		Platform:    push.Platform(headerValue(h, headerFormat)),
		ContentType: headerValue(h, "Content-Type"),
		Body:        body,
		Tags:        headerValue(h, headerTags),
	}
	env.Header = platformHeaders(h)
	switch kind {
	case KindDirect:
		if handle, ok := headerLookup(h, headerDeviceHandle); ok {
			env.Devices = []string{handle}
		}
		if env.Platform == push.Browser && len(env.Devices) == 1 {
			env.Subscriptions = []push.BrowserSubscription{{Endpoint: env.Devices[0],
				P256DH: headerValue(h, headerP256DH), Auth: headerValue(h, headerAuth)}}
		}
	case KindBatch:
		b, err := readBatch(env.ContentType, body)
		if err != nil {
			return push.Envelope{}, err
		}
		env.ContentType, env.Body, env.Devices = b.contentType, b.notification, b.devices
	case KindScheduled:
		at, err := parseScheduleTime(headerValue(h, headerScheduleTime))
		if err != nil {
			return push.Envelope{}, err
		}
		env.ScheduleTime = at
	}
	return env, nil
}

// headerValue returns the first value of a header, "" if absent; see headerLookup.
func headerValue(h http.Header, key string) string {
	v, _ := headerLookup(h, key)
	return v
}

// headerLookup returns the first value of the header with canonical key ck. A
// request a server received has canonical keys; one a client built may not (a
// value set with h["ServiceBusNotification-Format"] = ... goes on the wire all the
// same), so other spellings of the key are looked for too.
func headerLookup(h http.Header, ck string) (string, bool) {
	if vs := h[ck]; len(vs) > 0 {
		return vs[0], true
	}
	for k, vs := range h {
		if len(vs) > 0 && strings.EqualFold(k, ck) {
			return vs[0], true
		}
	}
	return "", false
}

// platformHeaders copies the platform headers of h, with canonical keys; nil when
// there are none.
func platformHeaders(h http.Header) http.Header {
	var out http.Header
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		if !isPlatformHeader(ck) {
			continue
		}
		if out == nil {
			out = make(http.Header)
		}
		out[ck] = append(out[ck], vs...)
	}
	return out
}

// isPlatformHeader reports whether a canonical header key is one of the headers a
// notification carries for its platform.
func isPlatformHeader(ck string) bool {
	return strings.HasPrefix(ck, "Apns-") || strings.HasPrefix(ck, "X-Wns-") ||
		ck == headerMPNSTarget || ck == headerMPNSClass
}

// parseScheduleTime reads ServiceBusNotification-ScheduleTime: RFC 3339 (with or
// without fractional seconds, any offset), or the same without a zone, read as
// UTC. The result is in UTC.
func parseScheduleTime(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, errorf("a scheduled send needs the ServiceBusNotification-ScheduleTime header")
	}
	for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errorf("ServiceBusNotification-ScheduleTime %q is not a UTC time like 2030-01-02T03:04:05Z", v)
}
