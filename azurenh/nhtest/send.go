package nhtest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushwire/push"
)

// maxBatchBodySize is the largest batch request the emulator reads: a notification
// of at most 64 KB and 1000 handles of at most push.MaxHandleLength bytes.
const maxBatchBodySize = MaxSendBody

// errNotAvailable is the service's answer to an operation the tier lacks.
const errNotAvailable = "This operation is not available for your tier."

// sendRequest is a send being served: its kind, what it carries (exactly as sent),
// the format it is served as, its parsed tag expression (nil for a broadcast
// or a direct send) and, for a template send, its properties.
type sendRequest struct {
	kind     Kind
	env      push.Envelope
	platform push.Platform // env.Platform, or template when the header is absent
	expr     *push.Expr
	props    map[string]string // the body of a template send, decoded
}

// serveSend serves the four kinds of send: it reads the request back into an
// Envelope, checks it as the service does, records it and answers 201 with the
// notification's Location (Standard tier), TrackingId and a correlation ID; a test
// send also gets a NotificationOutcome. A template send records what each
// matching template expands to.
func (s *Server) serveSend(w http.ResponseWriter, r *http.Request, x *exchange, kind Kind) *apiError {
	req, aerr := s.readSend(r, x, kind)
	if aerr != nil {
		return aerr
	}
	matched := s.matchDevices(req.platform, kind, req.expr, req.env.Devices)
	send := Send{Kind: kind, ID: s.newUUID(), TrackingID: x.trackingID, Envelope: req.env,
		Time: s.clock.Now(), Matched: reachedIDs(matched), Payloads: expandPayloads(matched, req.props), devices: matched}
	send.Envelope.Body = bytes.Clone(send.Envelope.Body) // right-sized, not the buffer it was read into
	s.record(send)
	if kind != KindScheduled && kind != KindTest {
		s.reportDead(send.ID, string(req.platform), matched, req.env.Devices)
	}
	if s.tier.returnsLocation() {
		w.Header().Set(headerLocation, s.location(kind, send.ID, x.apiVersion))
	}
	if kind == KindTest {
		s.writeXML(w, http.StatusCreated, newOutcome(matched))
		return nil
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// readSend reads and checks a send request.
func (s *Server) readSend(r *http.Request, x *exchange, kind Kind) (sendRequest, *apiError) {
	if err := s.checkKind(r, x, kind); err != nil {
		return sendRequest{}, err
	}
	limit := int64(maxBodySize)
	if kind == KindBatch {
		limit = maxBatchBodySize
	}
	body, aerr := readBody(r, limit)
	if aerr != nil {
		return sendRequest{}, aerr
	}
	env, err := readEnvelope(r, kind, body)
	if err != nil {
		return sendRequest{}, badRequest(sentence(err.Error()))
	}
	req := sendRequest{kind: kind, env: env, platform: env.Platform}
	if req.platform == "" { // the REST reference makes the format optional for templates
		req.platform = push.Template
	}
	return req, s.checkSend(&req)
}

// checkKind checks what the kind of send needs of the tier, the api-version and
// the query.
func (s *Server) checkKind(r *http.Request, x *exchange, kind Kind) *apiError {
	q := r.URL.Query()
	switch {
	case kind == KindBatch && !s.tier.allowsBatch(), kind == KindScheduled && !s.tier.allowsSchedule():
		return newError(http.StatusForbidden, errNotAvailable)
	case kind == KindDirect && x.apiVersion < "2015-04":
		return badRequest("Direct send needs api-version 2015-04 or later; the request has " + x.apiVersion + ".")
	case kind == KindDirect && queryFlag(q, "test"):
		return badRequest("Test send is not available for direct sends.")
	case kind == KindBatch && !queryFlag(q, "direct"):
		return badRequest("A batch send is a direct send: add the direct query parameter (/messages/$batch?direct).")
	case (kind == KindBatch || kind == KindScheduled) && queryFlag(q, "test"):
		return badRequest("Test send is only available for sends to tags or broadcasts.")
	case kind == KindScheduled && queryFlag(q, "direct"):
		return badRequest("A scheduled send goes to tags or a broadcast; it cannot be direct.")
	}
	return nil
}

// checkSend checks a send's format, content type, platform headers, target and
// body.
func (s *Server) checkSend(req *sendRequest) *apiError {
	checks := []func(*sendRequest) *apiError{checkFormat, checkWNSType, checkContentType, checkTarget, s.checkSchedule, checkBody}
	for _, check := range checks {
		if err := check(req); err != nil {
			return err
		}
	}
	return nil
}

func checkFormat(req *sendRequest) *apiError {
	if !req.platform.Valid() {
		return badRequest("The ServiceBusNotification-Format '" + string(req.platform) +
			"' is not supported; want one of apple, fcmv1, gcm, windows, windowsphone, adm, baidu, browser, xiaomi, template.")
	}
	return nil
}

// checkContentType checks the media type (parameters are not checked) against the
// format: application/json for the JSON formats (Baidu also takes
// application/x-www-form-urlencoded, which .NET sends), application/xml for
// windows and windowsphone, application/octet-stream for wns/raw (and any type for
// raw windowsphone).
func checkContentType(req *sendRequest) *apiError {
	ct, p := req.env.ContentType, req.platform
	if ct == "" {
		return badRequest("The request has no Content-Type.")
	}
	ok := false
	switch {
	case p == push.Windows && req.env.Header.Get(headerWNSType) == "wns/raw":
		ok = mediaTypeIs(ct, push.ContentTypeOctetStream)
	case p == push.Windows:
		ok = isXMLType(ct)
	case p == push.WindowsPhone:
		ok = isXMLType(ct) || req.env.Header.Get(headerMPNSTarget) == ""
	case p == push.Baidu:
		ok = mediaTypeIs(ct, "application/json") || mediaTypeIs(ct, "application/x-www-form-urlencoded")
	default:
		ok = mediaTypeIs(ct, "application/json")
	}
	if !ok {
		return badRequest("The Content-Type '" + ct + "' does not suit the format '" + string(p) + "'.")
	}
	return nil
}

func isXMLType(ct string) bool {
	return mediaTypeIs(ct, "application/xml") || mediaTypeIs(ct, "text/xml")
}

// checkWNSType requires a known X-WNS-Type on a windows send.
func checkWNSType(req *sendRequest) *apiError {
	if req.platform != push.Windows {
		return nil
	}
	switch t := req.env.Header.Get(headerWNSType); t {
	case "wns/toast", "wns/tile", "wns/badge", "wns/raw":
		return nil
	case "":
		return badRequest("A windows notification needs the X-WNS-Type header (wns/toast, wns/tile, wns/badge or wns/raw).")
	default:
		return badRequest("The X-WNS-Type '" + t + "' is not one of wns/toast, wns/tile, wns/badge, wns/raw.")
	}
}

// checkTarget checks the tag expression, or the device handles of a direct or
// batch send.
func checkTarget(req *sendRequest) *apiError {
	switch req.kind {
	case KindDirect:
		return checkDirect(req.platform, req.env)
	case KindBatch:
		return checkBatch(req.platform, req.env)
	}
	if req.env.Tags == "" {
		return nil
	}
	expr, err := push.ParseExpression(req.env.Tags)
	if err != nil {
		return badRequest("An invalid tag(s) '" + req.env.Tags + "' was supplied. Valid tag characters are alphanumeric, _, @, -, ., : and #. (" + detailOf(err) + ")")
	}
	req.expr = expr
	return nil
}

// detailOf returns the detail of a *push.Error, or its message.
func detailOf(err error) string {
	var pe *push.Error
	if errors.As(err, &pe) && pe.Detail != "" {
		return pe.Detail
	}
	return err.Error()
}

func checkDirect(p push.Platform, env push.Envelope) *apiError {
	switch {
	case p == push.Template:
		return badRequest("A template notification cannot be sent directly: templates live in installations and registrations.")
	case len(env.Devices) == 0 || env.Devices[0] == "":
		return badRequest("A direct send needs the ServiceBusNotification-DeviceHandle header.")
	case !utf8.ValidString(env.Devices[0]):
		return badRequest("The ServiceBusNotification-DeviceHandle is not valid UTF-8.")
	case p == push.Browser && (len(env.Subscriptions) == 0 || env.Subscriptions[0].P256DH == "" || env.Subscriptions[0].Auth == ""):
		return badRequest("A browser direct send needs the P256DH and Auth headers of the subscription.")
	case p == push.Browser && !(utf8.ValidString(env.Subscriptions[0].P256DH) && utf8.ValidString(env.Subscriptions[0].Auth)):
		return badRequest("The P256DH and Auth headers must be valid UTF-8.")
	}
	return nil
}

func checkBatch(p push.Platform, env push.Envelope) *apiError {
	switch {
	case p == push.Template:
		return badRequest("A template notification cannot be sent directly: templates live in installations and registrations.")
	case len(env.Devices) == 0:
		return badRequest("The batch devices part is empty; a batch needs 1 to 1000 device handles.")
	case len(env.Devices) > push.MaxBatchDevices:
		return badRequest("The batch has " + itoa(int64(len(env.Devices))) + " device handles; a batch takes at most 1000.")
	case len(env.Body) > maxBodySize:
		return newError(http.StatusRequestEntityTooLarge, "The notification is larger than the 64 KB the service accepts.")
	}
	for i, h := range env.Devices {
		switch {
		case h == "":
			return badRequest("Device handle " + itoa(int64(i+1)) + " of the batch is empty.")
		case !utf8.ValidString(h):
			return badRequest("Device handle " + itoa(int64(i+1)) + " of the batch is not valid UTF-8.")
		}
	}
	return nil
}

// checkSchedule checks the time of a scheduled send: not in the past, at most 7
// days ahead.
func (s *Server) checkSchedule(req *sendRequest) *apiError {
	if req.kind != KindScheduled {
		return nil
	}
	at, now := req.env.ScheduleTime, s.clock.Now()
	switch {
	case at.Before(now.Truncate(time.Second)):
		return badRequest("The ServiceBusNotification-ScheduleTime " + at.Format(timeLayout) + " is in the past (now is " + now.UTC().Format(timeLayout) + ").")
	case at.Sub(now) > push.MaxScheduleAhead:
		return badRequest("The ServiceBusNotification-ScheduleTime " + at.Format(timeLayout) + " is more than 7 days ahead (now is " + now.UTC().Format(timeLayout) + ").")
	}
	return nil
}

// timeLayout writes times in messages.
const timeLayout = "2006-01-02T15:04:05Z07:00"

// checkBody checks what the service checks of a body at the door: it is not
// empty; a template's body is a JSON object of strings (kept, decoded, in
// req.props); the body of another JSON format is JSON (Baidu's may also be
// form-encoded); a windows body other than raw, and a windowsphone toast or tile,
// is well-formed XML. Platform limits such as the 4 KB of APNs are left to the
// platform, as the service does.
func checkBody(req *sendRequest) *apiError {
	body, p := req.env.Body, req.platform
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("The notification body is empty.")
	}
	switch p {
	case push.Template:
		props, ok := templateProperties(body)
		if !ok {
			return badRequest("A template notification's body must be a JSON object whose values are strings.")
		}
		req.props = props
	case push.Windows, push.WindowsPhone:
		if isXMLType(req.env.ContentType) && !wellFormedXML(body) {
			return badRequest("The " + string(p) + " notification body is not well-formed XML.")
		}
	default:
		if mediaTypeIs(req.env.ContentType, "application/json") && !json.Valid(body) {
			return badRequest("The " + string(p) + " notification body is not valid JSON.")
		}
	}
	return nil
}

// wellFormedXML reports whether body is one well-formed XML document.
func wellFormedXML(body []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(body))
	roots := 0
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return roots == 1
		}
		if err != nil {
			return false
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

// serveCancel answers DELETE /schedulednotifications/{id}: 200, or 404 for an ID
// that is not pending.
func (s *Server) serveCancel(w http.ResponseWriter, x *exchange) *apiError {
	if !s.tier.allowsSchedule() {
		return newError(http.StatusForbidden, errNotAvailable)
	}
	if !s.cancelScheduled(x.target.id) {
		return newError(http.StatusNotFound, "The scheduled notification '"+x.target.id+"' was not found.")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// location is the Location of an accepted send: the notification under
// /messages/{id}, a batch under /messages/$batch/{id}, a scheduled send under
// /schedulednotifications/{id} (where it is cancelled).
func (s *Server) location(kind Kind, id, apiVersion string) string {
	path := "/messages/"
	switch kind {
	case KindBatch:
		path = "/messages/$batch/"
	case KindScheduled:
		path = "/schedulednotifications/"
	}
	return "https://" + s.host + "/" + s.hub + path + id + "?api-version=" + apiVersion
}

// sentence capitalises a message for an error detail and ends it with a period.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
