package azurenh

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pushwire/push"
)

// The Op of the errors of the installation operations.
const (
	opPutInstallation    = "azurenh: put installation"
	opGetInstallation    = "azurenh: get installation"
	opDeleteInstallation = "azurenh: delete installation"
	opPatchInstallation  = "azurenh: patch installation"
)

// Content types of the management API.
const (
	contentTypeJSON      = "application/json"
	contentTypeJSONPatch = "application/json-patch+json"
	contentTypeAtomEntry = "application/atom+xml;type=entry;charset=utf-8"
)

// PutInstallation creates the installation in.ID, or overwrites it whole, with
// PUT /HUB/installations/ID (JSON, 200). The read-only fields of in are not
// sent.
//
// in is checked with Installation.Validate before any I/O; the error then
// matches push.ErrInvalidTarget. Writing the same installation twice is
// harmless, so PutInstallation retries even an attempt whose outcome is
// unknown. The rule needs the Listen right.
//
// The service applies installation writes asynchronously: a GetInstallation
// right after PutInstallation may answer push.ErrNotFound, or the previous
// state, for a few seconds; a send right after may not reach the device yet.
// PutInstallation is safe for concurrent use and keeps nothing of in.
func (c *Client) PutInstallation(ctx context.Context, in Installation) error {
	body, err := encodeInstallationRequest(in)
	if err != nil {
		return err
	}
	if err := checkResourceID(opPutInstallation, "installation ID", in.ID); err != nil {
		return err
	}
	r := &hubRequest{op: opPutInstallation, method: http.MethodPut, url: c.hubURL("", "installations", in.ID),
		body: body, idempotent: true}
	r.setString(headerContentType, contentTypeJSON)
	_, err = c.doRequest(ctx, r)
	return err
}

// GetInstallation reads the installation id with GET /HUB/installations/ID.
// An installation that does not exist (or that a recent PutInstallation has
// not reached yet) gives an error matching push.ErrNotFound. An answer that
// does not parse gives a *push.Error without Kind. The rule needs the Listen
// right. GetInstallation is safe for concurrent use; the Installation is the
// caller's.
func (c *Client) GetInstallation(ctx context.Context, id string) (Installation, error) {
	if err := checkResourceID(opGetInstallation, "installation ID", id); err != nil {
		return Installation{}, err
	}
	r := &hubRequest{op: opGetInstallation, method: http.MethodGet, url: c.hubURL("", "installations", id),
		idempotent: true, keepBody: true}
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return Installation{}, err
	}
	var in Installation
	if err := json.Unmarshal(resp.body, &in); err != nil {
		return Installation{}, answerError(opGetInstallation, resp, err)
	}
	return in, nil
}

// DeleteInstallation deletes the installation id with DELETE
// /HUB/installations/ID. The service answers 204 whether or not the
// installation existed, so deleting a missing installation is not an error.
// Deleting twice is harmless, so DeleteInstallation retries even an attempt
// whose outcome is unknown. Like every installation write, the deletion is
// applied asynchronously: for a few seconds sends may still reach the device.
// The rule needs the Listen right. DeleteInstallation is safe for concurrent
// use.
func (c *Client) DeleteInstallation(ctx context.Context, id string) error {
	if err := checkResourceID(opDeleteInstallation, "installation ID", id); err != nil {
		return err
	}
	r := &hubRequest{op: opDeleteInstallation, method: http.MethodDelete, url: c.hubURL("", "installations", id),
		idempotent: true}
	_, err := c.doRequest(ctx, r)
	return err
}

// PatchInstallation applies ops to the installation id with PATCH
// /HUB/installations/ID (a JSON Patch, application/json-patch+json, 200),
// without rewriting the rest of it. Build the operations with AddTag,
// RemoveTag, SetTags, SetUserID, SetPushChannel, AddTemplate, ...; see
// applyPatch for what the service does with each.
//
// The operations are checked with encodePatch before any I/O (an empty patch
// is refused); the error then matches push.ErrInvalidTarget. A patch of an
// installation that does not exist gives an error matching push.ErrNotFound;
// one the service cannot apply, a 400 matching push.ErrInvalidNotification.
// The service's patch operations give the same result when repeated, so
// PatchInstallation retries even an attempt whose outcome is unknown. The
// patch is applied asynchronously, like every installation write. The rule
// needs the Listen right. PatchInstallation is safe for concurrent use and
// keeps nothing of ops.
func (c *Client) PatchInstallation(ctx context.Context, id string, ops ...PatchOp) error {
	if err := checkResourceID(opPatchInstallation, "installation ID", id); err != nil {
		return err
	}
	body, err := encodePatch(ops)
	if err != nil {
		return err
	}
	r := &hubRequest{op: opPatchInstallation, method: http.MethodPatch, url: c.hubURL("", "installations", id),
		body: body, idempotent: true}
	r.setString(headerContentType, contentTypeJSONPatch)
	_, err = c.doRequest(ctx, r)
	return err
}

// maxResourceID bounds the IDs a read or a delete takes: an installation, a
// registration or a job ID.
const maxResourceID = 1024

// checkResourceID checks an ID that names a resource in a URL path (an
// installation, registration, job or notification ID, a tag), before any
// I/O: not empty, at most maxResourceID bytes of UTF-8 without spaces or
// control characters, and a path segment that stays one: not "." or "..",
// without '/' or '\' (which a server or a proxy on the way may read as a
// separator, even escaped), so that no request reaches another resource than
// the one named (DELETE /HUB/installations/.. must never be sent). It is
// more lenient than Installation.Validate otherwise, so that an installation
// another SDK wrote with other characters can still be read and deleted. The
// error matches push.ErrInvalidTarget.
func checkResourceID(op, what, id string) error {
	fail := func(detail string) error { return &push.Error{Op: op, Kind: push.ErrInvalidTarget, Detail: detail} }
	switch {
	case id == "":
		return fail("the " + what + " is empty")
	case len(id) > maxResourceID:
		return fail(fmt.Sprintf("the %s is %d bytes; at most %d", what, len(id), maxResourceID))
	case !utf8.ValidString(id):
		return fail("the " + what + " is not valid UTF-8")
	case id == "." || id == "..":
		return fail(fmt.Sprintf("the %s %q would address another path of the hub, not a resource", what, id))
	}
	if i := strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return fail(fmt.Sprintf("the %s %s has %s at column %d", what, quoteShort(id), describeByte(id, i), utf8.RuneCountInString(id[:i])+1))
	}
	if i := strings.IndexAny(id, `/\`); i >= 0 {
		return fail(fmt.Sprintf("the %s %s has %s at column %d: a resource ID is one segment of a URL path", what, quoteShort(id), describeByte(id, i), utf8.RuneCountInString(id[:i])+1))
	}
	return nil
}

// answerError reports a successful response whose body cannot be read as the
// operation's answer. No sentinel applies: the Kind is nil, the cause in Err.
func answerError(op string, resp hubResponse, err error) error {
	return &push.Error{Op: op, StatusCode: resp.status, TrackingID: resp.trackingID,
		Detail: "the service accepted the request but its answer does not parse", Err: err}
}
