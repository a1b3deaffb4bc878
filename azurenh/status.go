package azurenh

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// statusError turns a response whose status is not 2xx into a *push.Error: the
// kind from the status (see classify), the service's code and detail from its
// <Error> body, the tracking ID and the wait Retry-After asks for (seconds or an
// HTTP date, read against the Client's clock).
func (c *Client) statusError(op string, resp hubResponse) *push.Error {
	code, detail := parseErrorBody(resp.body)
	wait, hasWait := httpx.RetryAfter(resp.values(headerRetryAfter), c.cfg.clock.Now())
	explanation, kind := classify(resp.status, hasWait, detail)
	trackingID := resp.value(headerTrackingID)
	if trackingID == "" {
		trackingID = trackingIDInDetail(detail)
	}
	if trackingID == "" {
		trackingID = resp.trackingID
	}
	return &push.Error{
		Op:         op,
		Kind:       kind,
		StatusCode: resp.status,
		Code:       code,
		Detail:     joinDetail(explanation, detail),
		TrackingID: trackingID,
		RetryAfter: wait,
	}
}

// joinDetail returns the Client's explanation followed by the service's own
// words, when it sent any.
func joinDetail(explanation, service string) string {
	if service == "" {
		return explanation
	}
	return explanation + "; the service said: " + service
}

// classify returns a sentence a person can act on and the sentinel for an
// error status. hasRetryAfter says whether the response carried Retry-After; detail is
// the service's own detail, which refines 400 and 403.
//
//	400 ErrInvalidNotification (ErrInvalidTarget when the detail is about tags)
//	401 ErrUnauthorized            404 ErrNotFound        413 ErrPayloadTooLarge
//	403 ErrThrottled with Retry-After, ErrForbidden without
//	408, 500, 503, 504 ErrUnavailable (retried)           429 ErrThrottled (retried)
//	409 ErrThrottled: the REST reference's "registration operations rate is too high" (retried)
//	410 no kind: the registration ID cannot be used (create another with NewRegistrationID)
//	412 ErrConflict: If-Match named an ETag that is no longer current
//	502 and other 5xx ErrOutcomeUnknown: a gateway or server failure after the
//	    request arrived, which may have taken effect; it matches ErrUnavailable
//	    but is retried only for idempotent requests or with RetryUnknownOutcome
//	other statuses: no kind
func classify(status int, hasRetryAfter bool, detail string) (string, error) {
	switch status {
	case http.StatusBadRequest:
		if aboutTags(detail) {
			return "the service refused the tags or tag expression", push.ErrInvalidTarget
		}
		return "the service refused the request (headers, format or payload)", push.ErrInvalidNotification
	case http.StatusUnauthorized:
		return explainUnauthorized(detail), push.ErrUnauthorized
	case http.StatusForbidden:
		return classifyForbidden(hasRetryAfter, detail)
	case http.StatusNotFound:
		return "the hub, or what the request names in it, does not exist", push.ErrNotFound
	case http.StatusRequestTimeout:
		return "the service timed out", push.ErrUnavailable
	case http.StatusRequestEntityTooLarge:
		return "the request is larger than the service accepts (64 KB)", push.ErrPayloadTooLarge
	case http.StatusTooManyRequests:
		return "the service is throttling requests to this hub", push.ErrThrottled
	case http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "the service failed transiently", push.ErrUnavailable
	case http.StatusConflict:
		return "the service refused the write because registration operations on this hub are too frequent (its documented meaning of 409): nothing was written; slow down", push.ErrThrottled
	case http.StatusGone:
		return "the service cannot use this registration ID: get a new one with NewRegistrationID", nil
	case http.StatusPreconditionFailed:
		return "the ETag in If-Match is no longer current: the registration changed since it was read; get it again and reapply the change, or pass no ETag to overwrite it", push.ErrConflict
	}
	if status >= 500 {
		return "the service or a gateway failed after receiving the request, which may have taken effect", push.ErrOutcomeUnknown
	}
	return "the service answered with an unexpected status " + strconv.Itoa(status) + " " + http.StatusText(status), nil
}

// explainUnauthorized says what a 401 means, from the service's detail: a
// right the rule lacks ("Send claim is required for this operation."), an
// expired token, a signature or an audience that does not verify, or, when
// the detail does not say, the credentials in general.
func explainUnauthorized(detail string) string {
	d := strings.ToLower(detail)
	for _, right := range [...]string{"Manage", "Send", "Listen"} {
		if strings.Contains(d, strings.ToLower(right)+" claim") {
			return "the access rule of the connection string lacks the " + right + " right this operation needs: " +
				"the key is fine; use the connection string of a rule with " + right + " (DefaultFullSharedAccessSignature has every right)"
		}
	}
	switch {
	case strings.Contains(d, "expired"):
		return "the service says the token expired: check the local clock, which signs tokens, against the service's"
	case strings.Contains(d, "signature"):
		return "the service refused the token's signature: check the SharedAccessKey and SharedAccessKeyName of the connection string (a regenerated key invalidates the old one)"
	case strings.Contains(d, "audience"):
		return "the service refused the token's audience: check the Endpoint of the connection string and the hub name"
	}
	return "the service refused the credentials: check the SharedAccessKeyName and SharedAccessKey of the connection string, and the local clock (tokens are signed with it)"
}

// classifyForbidden tells throttling (403 with Retry-After, the service's older
// quota answer) from a missing right or a feature the tier lacks.
func classifyForbidden(hasRetryAfter bool, detail string) (string, error) {
	switch {
	case hasRetryAfter:
		return "the service refused the request for now (quota or throttling) and asked to retry later", push.ErrThrottled
	case strings.Contains(strings.ToLower(detail), "tier"):
		return "this operation is not available for your tier: the namespace's pricing tier lacks it (scheduled sends and telemetry need Standard, batch direct sends Basic or above)", push.ErrForbidden
	}
	return "the access rule lacks the right this operation needs (Send to send; Listen to create, update and delete installations and registrations; Manage to list registrations and run jobs)", push.ErrForbidden
}

// aboutTags reports whether a 400's detail blames the tags: "An invalid tag(s)
// ... was supplied", "Tags can not start with $", a tag expression too complex.
func aboutTags(detail string) bool {
	d := strings.ToLower(detail)
	for _, s := range [...]string{"invalid tag", "tag(s)", "tags can", "tag expression", "tags expression", "servicebusnotification-tags"} {
		if strings.Contains(d, s) {
			return true
		}
	}
	return false
}

// errorBody is the service's error document:
//
//	<Error><Code>400</Code><Detail>... TrackingId:...,TimeStamp:...</Detail></Error>
type errorBody struct {
	XMLName xml.Name `xml:"Error"`
	Code    string   `xml:"Code"`
	Detail  string   `xml:"Detail"`
}

// parseErrorBody returns the code and detail of an error response's body, with
// surrounding space trimmed: the service's whole text, which the Detail of the
// error keeps (its Error method shows it on one line, bounded). It is
// lenient: an empty body gives "", ""; a body that is not an <Error> document
// (an HTML page from a proxy, plain text) gives no code and its text, with
// invalid UTF-8 replaced, as the detail.
func parseErrorBody(body []byte) (code, detail string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", ""
	}
	var e errorBody
	if err := xml.Unmarshal(body, &e); err == nil {
		return strings.TrimSpace(e.Code), strings.TrimSpace(e.Detail)
	}
	return "", strings.ToValidUTF8(string(body), "\uFFFD")
}

// trackingIDInDetail returns the tracking ID the service appends to a detail
// ("... TrackingId:ID,TimeStamp:..."), or "".
func trackingIDInDetail(detail string) string {
	_, rest, ok := strings.Cut(detail, "TrackingId:")
	if !ok {
		return ""
	}
	end := strings.IndexAny(rest, ", \t\r\n")
	if end >= 0 {
		rest = rest[:end]
	}
	return rest
}
