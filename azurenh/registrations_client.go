package azurenh

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pushwire/push"
)

// The Op of the errors of the registration operations.
const (
	opNewRegistrationID          = "azurenh: new registration ID"
	opCreateRegistration         = "azurenh: create registration"
	opCreateOrUpdateRegistration = "azurenh: create or update registration"
	opUpdateRegistration         = "azurenh: update registration"
	opGetRegistration            = "azurenh: get registration"
	opDeleteRegistration         = "azurenh: delete registration"
	opListRegistrations          = "azurenh: list registrations"
	opListRegistrationsByTag     = "azurenh: list registrations by tag"
	opListRegistrationsByChannel = "azurenh: list registrations by channel"
)

// Headers of the registrations API, canonical.
const (
	headerIfMatch           = "If-Match"
	headerContinuationToken = "X-Ms-Continuationtoken" // x-ms-continuationtoken
)

// NewRegistrationID asks the service for a new registration ID with POST
// /HUB/registrationIDs (201), and returns the last path segment of the
// Location header. No registration exists yet: store the ID on the device and
// create the registration with CreateOrUpdateRegistration, which makes
// repeating the registration safe (the flow the service recommends).
//
// An unused ID costs nothing, so NewRegistrationID retries even an attempt
// whose outcome is unknown. An answer without a Location gives a *push.Error
// without Kind. The rule needs the Listen right. NewRegistrationID is safe for
// concurrent use.
func (c *Client) NewRegistrationID(ctx context.Context) (string, error) {
	r := &hubRequest{op: opNewRegistrationID, method: http.MethodPost, url: c.hubURL("", "registrationIDs"), idempotent: true}
	r.setString(headerContentType, contentTypeAtomEntry)
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return "", err
	}
	id := idFromLocation(resp.value(headerLocation))
	if id == "" {
		return "", &push.Error{Op: opNewRegistrationID, StatusCode: resp.status, TrackingID: resp.trackingID,
			Detail: "the service answered without the Location header that holds the new registration ID"}
	}
	return id, nil
}

// CreateRegistration creates a registration with POST /HUB/registrations and
// returns it as the service stored it: with its new ID, ETag and
// ExpirationTime. The ID and ETag of r are ignored.
//
// r is checked with Registration.Validate before any I/O; the error then
// matches push.ErrInvalidTarget. A create repeated after an unknown outcome
// could leave two registrations of one device, so an attempt whose outcome is
// unknown is not retried: prefer NewRegistrationID and
// CreateOrUpdateRegistration, which can be repeated. The rule needs the Listen
// right. CreateRegistration is safe for concurrent use and keeps nothing of r.
func (c *Client) CreateRegistration(ctx context.Context, r Registration) (Registration, error) {
	body, err := encodeRegistrationRequest(r)
	if err != nil {
		return Registration{}, err
	}
	req := &hubRequest{op: opCreateRegistration, method: http.MethodPost, url: c.hubURL("", "registrations"),
		body: body, keepBody: true}
	return c.writeRegistration(ctx, req)
}

// CreateOrUpdateRegistration creates the registration r.ID, or overwrites it
// whatever its ETag, with PUT /HUB/registrations/ID, and returns it as the
// service stored it. r.ID comes from NewRegistrationID (or an earlier
// registration).
//
// r is checked with Registration.Validate, and r.ID must be set, before any
// I/O; the errors match push.ErrInvalidTarget. Writing the same registration
// twice is harmless, so an attempt whose outcome is unknown is retried. A
// registration ID the service cannot use gives a *push.Error of status 410
// without Kind. The rule needs the Listen right. CreateOrUpdateRegistration is
// safe for concurrent use and keeps nothing of r.
func (c *Client) CreateOrUpdateRegistration(ctx context.Context, r Registration) (Registration, error) {
	req, err := c.putRegistration(opCreateOrUpdateRegistration, r)
	if err != nil {
		return Registration{}, err
	}
	req.idempotent = true
	return c.writeRegistration(ctx, req)
}

// UpdateRegistration overwrites the registration r.ID with PUT
// /HUB/registrations/ID only if it has not changed since r was read: If-Match
// carries r.ETag, quoted, as the SDKs send it (or "*", any version, when
// r.ETag is empty). It returns the registration as the service stored it, with
// its new ETag.
//
// When the registration changed in between, the service answers 412 and the
// error is a *push.Error with StatusCode http.StatusPreconditionFailed and no
// Kind (no sentinel says "changed"): get the registration again and reapply
// the change. A registration that does not exist gives push.ErrNotFound. r is
// checked as CreateOrUpdateRegistration checks it, before any I/O. With an
// ETag, a repeated update would fail with 412 once the first took effect, so
// an attempt whose outcome is unknown is retried only without one. The rule
// needs the Listen right. UpdateRegistration is safe for concurrent use.
func (c *Client) UpdateRegistration(ctx context.Context, r Registration) (Registration, error) {
	req, err := c.putRegistration(opUpdateRegistration, r)
	if err != nil {
		return Registration{}, err
	}
	req.setString(headerIfMatch, ifMatch(r.ETag))
	req.idempotent = r.ETag == ""
	return c.writeRegistration(ctx, req)
}

// putRegistration returns the PUT request of r, checked.
func (c *Client) putRegistration(op string, r Registration) (*hubRequest, error) {
	if err := checkResourceID(op, "registration ID", r.ID); err != nil {
		return nil, err
	}
	body, err := encodeRegistrationRequest(r)
	if err != nil {
		return nil, err
	}
	return &hubRequest{op: op, method: http.MethodPut, url: c.hubURL("", "registrations", r.ID), body: body, keepBody: true}, nil
}

// writeRegistration sends a create or update of a registration and reads the
// entry the service answers with.
func (c *Client) writeRegistration(ctx context.Context, req *hubRequest) (Registration, error) {
	req.setString(headerContentType, contentTypeAtomEntry)
	resp, err := c.doRequest(ctx, req)
	if err != nil {
		return Registration{}, err
	}
	return decodeAnswer(req.op, resp)
}

// decodeAnswer reads the registration entry of a successful response.
func decodeAnswer(op string, resp hubResponse) (Registration, error) {
	out, err := decodeRegistration(resp.body)
	if err != nil {
		return Registration{}, answerError(op, resp, err)
	}
	return out, nil
}

// ifMatch returns the If-Match value of an ETag: the ETag in quotes, as the
// .NET and JavaScript SDKs send it (an ETag already quoted, or weak W/"...",
// is sent as it is), or "*" for any version when etag is empty.
func ifMatch(etag string) string {
	switch {
	case etag == "":
		return "*"
	case etag == "*", strings.HasPrefix(etag, `"`), strings.HasPrefix(etag, `W/"`):
		return etag
	}
	return `"` + etag + `"`
}

// GetRegistration reads the registration id with GET /HUB/registrations/ID. A
// registration that does not exist gives an error matching push.ErrNotFound;
// an answer that does not parse, a *push.Error without Kind. The rule needs
// the Listen right. GetRegistration is safe for concurrent use.
func (c *Client) GetRegistration(ctx context.Context, id string) (Registration, error) {
	if err := checkResourceID(opGetRegistration, "registration ID", id); err != nil {
		return Registration{}, err
	}
	req := &hubRequest{op: opGetRegistration, method: http.MethodGet, url: c.hubURL("", "registrations", id),
		idempotent: true, keepBody: true}
	resp, err := c.doRequest(ctx, req)
	if err != nil {
		return Registration{}, err
	}
	return decodeAnswer(opGetRegistration, resp)
}

// DeleteRegistration deletes the registration id with DELETE
// /HUB/registrations/ID, If-Match carrying etag quoted (or "*", any version,
// when etag is empty). Unlike an installation, a registration that does not
// exist gives an error matching push.ErrNotFound, which a caller that only
// wants it gone may ignore; a stale etag gives a *push.Error of status 412
// without Kind. Because a repeated delete would answer 404 once the first took
// effect, an attempt whose outcome is unknown is not retried. The rule needs
// the Listen right. DeleteRegistration is safe for concurrent use.
func (c *Client) DeleteRegistration(ctx context.Context, id, etag string) error {
	if err := checkResourceID(opDeleteRegistration, "registration ID", id); err != nil {
		return err
	}
	req := &hubRequest{op: opDeleteRegistration, method: http.MethodDelete, url: c.hubURL("", "registrations", id)}
	req.setString(headerContentType, contentTypeAtomEntry)
	req.setString(headerIfMatch, ifMatch(etag))
	_, err := c.doRequest(ctx, req)
	return err
}

// ListOption tunes a listing of registrations (Client.Registrations,
// RegistrationsByTag, RegistrationsByChannel); Top is the one there is.
type ListOption func(*listOptions)

// listOptions is what the ListOptions set.
type listOptions struct {
	top int
}

// Top asks the service for pages of at most n registrations ($top=n); the
// iteration still goes through every page. n below 1 leaves the page size to
// the service.
func Top(n int) ListOption {
	return func(o *listOptions) { o.top = n }
}

// registrationQuery is one listing of registrations: where, with what filter.
type registrationQuery struct {
	op       string
	segments []string
	filter   string
	top      int
}

// Registrations lists every registration of the hub, page after page, with
// GET /HUB/registrations?$top=N; each next page is asked for with the
// continuation token of the previous answer (x-ms-continuationtoken), passed
// back verbatim as the continuationtoken parameter, until an answer has none.
//
// The iteration makes the requests as it goes, under ctx, and stops at the
// first error, which it yields with a zero Registration; a failed page is not
// skipped. Breaking out of the loop stops it. The rule needs the Manage right.
// The iterator may be used more than once, each time from the first page; it
// is safe for concurrent use.
//
//	for r, err := range client.Registrations(ctx, azurenh.Top(100)) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(r.ID, r.Tags)
//	}
func (c *Client) Registrations(ctx context.Context, opts ...ListOption) iter.Seq2[Registration, error] {
	q := registrationQuery{op: opListRegistrations, segments: []string{"registrations"}}
	return c.listRegistrations(ctx, q, nil, opts)
}

// RegistrationsByTag lists the registrations that carry tag, with GET
// /HUB/tags/TAG/registrations (the tag path-escaped), page after page as
// Registrations does. The tag is checked with push.ValidateTag before any I/O;
// the error, yielded first, matches push.ErrInvalidTarget. The rule needs the
// Manage right.
func (c *Client) RegistrationsByTag(ctx context.Context, tag string, opts ...ListOption) iter.Seq2[Registration, error] {
	q := registrationQuery{op: opListRegistrationsByTag, segments: []string{"tags", tag, "registrations"}}
	var err error
	if verr := push.ValidateTag(tag); verr != nil {
		err = &push.Error{Op: q.op, Kind: push.ErrInvalidTarget, Detail: errorDetail(verr)}
	} else {
		err = checkResourceID(q.op, "tag", tag)
	}
	return c.listRegistrations(ctx, q, err, opts)
}

// RegistrationsByChannel lists the registrations of one device, by its handle
// for send format p (push.Apple, push.FCMV1, push.Browser, ...), with GET
// /HUB/registrations?$filter=..., page after page as Registrations does: to
// find what a device registered before registering it again, or to clean
// up a handle the feedback says is dead. The filter names the handle the way
// the service stores it for the platform: an APNs token in upper case, a WNS
// channel URI URL-encoded, a browser endpoint, a Baidu "USERID-CHANNELID", ...
// A format no registration has (push.Template) or an empty handle is refused
// before any I/O with an error, yielded first, that matches
// push.ErrInvalidTarget. The rule needs the Listen right.
func (c *Client) RegistrationsByChannel(ctx context.Context, p push.Platform, handle string, opts ...ListOption) iter.Seq2[Registration, error] {
	q := registrationQuery{op: opListRegistrationsByChannel, segments: []string{"registrations"}}
	var err error
	if _, ok := RegistrationKindFor(p, false); !ok {
		err = &push.Error{Op: q.op, Kind: push.ErrInvalidTarget,
			Detail: "platform " + strconv.Quote(clipText(string(p), 40)) + " has no registrations (want push.Apple, push.FCMV1, push.Windows, push.Browser, ...)"}
	} else if q.filter, err = listByChannelFilter(p, handle); err != nil {
		err = &push.Error{Op: q.op, Kind: push.ErrInvalidTarget, Detail: errorDetail(err)}
	}
	return c.listRegistrations(ctx, q, err, opts)
}

// listRegistrations returns the iterator of a listing; a non-nil invalid is
// yielded instead of making any request.
func (c *Client) listRegistrations(ctx context.Context, q registrationQuery, invalid error, opts []ListOption) iter.Seq2[Registration, error] {
	var o listOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	q.top = o.top
	return func(yield func(Registration, error) bool) {
		if invalid != nil {
			yield(Registration{}, invalid)
			return
		}
		c.iterateRegistrations(ctx, q, yield)
	}
}

// maxEmptyPages bounds the pages in a row without a registration that a
// listing follows: the service never answers one with a continuation token,
// so a run of them means it is looping, and the caller, who sees no
// registration, would have no chance to break out.
const maxEmptyPages = 8

// iterateRegistrations yields the registrations of every page of q. It
// always ends: at the last page, or with an error when the service answers
// the same continuation token again or maxEmptyPages empty pages in a row.
func (c *Client) iterateRegistrations(ctx context.Context, q registrationQuery, yield func(Registration, error) bool) {
	token, empty := "", 0
	for {
		page, next, err := c.registrationPage(ctx, q, token)
		if err != nil {
			yield(Registration{}, err)
			return
		}
		for _, r := range page {
			if !yield(r, nil) {
				return
			}
		}
		if next == "" {
			return
		}
		if empty = empty + 1; len(page) > 0 {
			empty = 0
		}
		switch {
		case next == token:
			yield(Registration{}, &push.Error{Op: q.op, Detail: "the service answered the same continuation token twice; stopping rather than looping"})
			return
		case empty >= maxEmptyPages:
			yield(Registration{}, &push.Error{Op: q.op, Detail: fmt.Sprintf("the service answered %d empty pages in a row, each with a new continuation token; stopping rather than looping", empty)})
			return
		}
		token = next
	}
}

// registrationPage reads one page of q, from token ("" for the first), and
// returns it with the token of the next page ("" after the last).
func (c *Client) registrationPage(ctx context.Context, q registrationQuery, token string) ([]Registration, string, error) {
	req := &hubRequest{op: q.op, method: http.MethodGet, url: c.hubURL(q.query(token), q.segments...),
		idempotent: true, keepBody: true}
	resp, err := c.doRequest(ctx, req)
	if err != nil {
		return nil, "", err
	}
	page, err := decodeRegistrationFeed(resp.body)
	if err != nil {
		return nil, "", answerError(q.op, resp, err)
	}
	return page, resp.value(headerContinuationToken), nil
}

// query returns the encoded query of a page of q: $filter, $top and
// continuationtoken, when set, encoded by url.Values (so the token travels
// verbatim, whatever characters it holds).
func (q registrationQuery) query(token string) string {
	v := url.Values{}
	if q.filter != "" {
		v.Set("$filter", q.filter)
	}
	if q.top > 0 {
		v.Set("$top", strconv.Itoa(q.top))
	}
	if token != "" {
		v.Set("continuationtoken", token)
	}
	return v.Encode()
}
