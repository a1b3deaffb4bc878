package azurenh

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// Canonical header keys (http.CanonicalHeaderKey of the names the service
// documents), so that header maps are filled without re-canonicalising.
const (
	headerAuthorization = "Authorization"
	headerContentType   = "Content-Type"
	headerFormat        = "Servicebusnotification-Format"       // ServiceBusNotification-Format
	headerTags          = "Servicebusnotification-Tags"         // ServiceBusNotification-Tags
	headerDeviceHandle  = "Servicebusnotification-Devicehandle" // ServiceBusNotification-DeviceHandle
	headerScheduleTime  = "Servicebusnotification-Scheduletime" // ServiceBusNotification-ScheduleTime
	headerVersion       = "X-Ms-Version"                        // x-ms-version
	headerTrackingID    = "Trackingid"                          // TrackingId
	headerCorrelationID = "X-Ms-Correlation-Request-Id"         // x-ms-correlation-request-id
	headerLocation      = "Location"
	headerRetryAfter    = "Retry-After"
	headerP256DH        = "P256dh" // a browser subscription's key, on a direct send
	headerAuth          = "Auth"   // a browser subscription's secret, on a direct send
)

// Bounds on the response bodies a Client reads.
const (
	maxResponseBody = 1 << 20  // a test send's outcome, an installation, a page of registrations
	maxErrorBody    = 64 << 10 // an <Error> document
)

// hubRequest is one call to the hub's REST API: the input of doRequest, the
// layer every operation of the Client goes through (sends here; installations,
// registrations and telemetry too).
//
// A hubRequest is built by its operation and only read by doRequest. Header
// values are shared with every attempt's *http.Request, never modified. For
// example, reading an installation:
//
//	r := &hubRequest{op: "azurenh: get installation", method: http.MethodGet,
//		url: c.hubURL("", "installations", id), idempotent: true, keepBody: true}
//	resp, err := c.doRequest(ctx, r) // resp.body holds the JSON on success
//
// and writing one adds a body and its type: r.body = b;
// r.set(headerContentType, ...) or r.setString(headerContentType, "application/json").
type hubRequest struct {
	// op names the operation for errors and logs: "azurenh: send", ...
	op     string
	method string
	// url is absolute; it is shared, read-only, by the attempts.
	url  *url.URL
	body []byte
	// header holds the request's own headers, with canonical keys:
	// Content-Type, ServiceBusNotification-*, ... Fixed arrays hold them and
	// their one-off values, so that building them allocates nothing more.
	header   [8]headerField
	nheader  int
	values   [6]string
	nvalues  int
	platform http.Header // more headers, copied as they are (a notification's platform headers)
	// idempotent says that repeating the request is harmless, so that an
	// attempt whose outcome is unknown may be retried (see doRequest).
	idempotent bool
	// keepBody says to return the body of a successful response (a test send's
	// outcome, a GET); otherwise it is discarded.
	keepBody bool

	// first is the state of the first attempt, allocated with the request;
	// a retry gets a fresh one (see Client.attempt).
	first attempt
}

// headerField is one header of a hubRequest: a canonical key and its values.
type headerField struct {
	key    string
	values []string
}

// set adds a header to r; values are shared, not copied. A hubRequest holds
// at most len(r.header) headers besides its platform headers.
func (r *hubRequest) set(key string, values []string) {
	r.header[r.nheader] = headerField{key, values}
	r.nheader++
}

// setString adds a header of one value to r; at most len(r.values) of them.
func (r *hubRequest) setString(key, value string) {
	i := r.nvalues
	r.values[i] = value
	r.nvalues++
	r.set(key, r.values[i:i+1:i+1])
}

// hubResponse is what doRequest returns of a response: its status, the body
// when asked for (or when the status is an error), and the tracking ID of the
// request (the service's, or the one the Client sent). The body and every
// value read with value have passed through the Client's Scrubber: whatever
// the server echoed of the Client's key or tokens is gone.
type hubResponse struct {
	status     int
	header     http.Header // read with value, never directly
	body       []byte
	trackingID string
	scrub      *httpx.Scrubber
}

// accepted reports whether the response says the service did what was asked.
func (r hubResponse) accepted() bool { return r.status >= 200 && r.status < 300 }

// value returns the first value of the response header with canonical key k,
// scrubbed, or "".
func (r hubResponse) value(k string) string {
	v := r.header[k]
	if len(v) == 0 {
		return ""
	}
	if r.scrub == nil {
		return v[0]
	}
	return r.scrub.Scrub(v[0])
}

// values returns the values of the response header k, for parseRetryAfter.
func (r hubResponse) values(k string) []string { return r.header[k] }

// doRequest makes the HTTP request r describes and returns the service's
// answer. It is the one place where a Client talks to the service:
//
//   - a nil ctx is refused with push.CheckContext's error, before any I/O;
//   - each attempt is a fresh *http.Request carrying the SAS token
//     (Authorization), x-ms-version, a client TrackingId and r's headers,
//     bounded in time by the attempt timeout (see WithAttemptTimeout);
//   - a status outside 2xx becomes a *push.Error (see statusError): op,
//     kind, status, the service's code and detail, tracking ID, Retry-After;
//     a 3xx is never followed, and names where it pointed;
//   - a transport failure becomes a *push.Error (see transportError):
//     push.ErrUnavailable when the request was not written,
//     push.ErrOutcomeUnknown when it was (the service may have acted on it),
//     no kind for an untrusted certificate, a configuration error;
//   - attempts are repeated under the Client's push.RetryPolicy, on its clock,
//     warning on the logger before each retry. For an idempotent request,
//     unknown outcomes are retried too;
//   - with WithTestSend(true) and a logger enabled at Debug, each request and
//     response is dumped (see dumpRequest);
//   - what it returns, the response and the error, has passed through the
//     Client's Scrubber: no key or token signature, whoever echoed it.
//
// On success the response is that of the last attempt. On failure it is the
// last attempt's when the service answered (status set), zero otherwise.
func (c *Client) doRequest(ctx context.Context, r *hubRequest) (hubResponse, error) {
	if err := push.CheckContext(ctx, r.op); err != nil {
		return hubResponse{}, err
	}
	policy := c.cfg.retry
	if r.idempotent {
		policy.RetryUnknownOutcome = true
	}
	var resp hubResponse
	var last error
	n := 0
	err := policy.Do(ctx, c.cfg.clock, func(ctx context.Context) error {
		n++
		if n > 1 {
			c.warnRetry(ctx, r, n, last)
		}
		var err error
		resp, err = c.attempt(ctx, r, n)
		last = err
		return err
	})
	return resp, c.logText.Err(err)
}

// warnRetry logs, at level Warn, that attempt n of r follows the error prev.
func (c *Client) warnRetry(ctx context.Context, r *hubRequest, n int, prev error) {
	if !c.cfg.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	c.cfg.logger.LogAttrs(ctx, slog.LevelWarn, "azurenh: retrying",
		slog.String("op", r.op), slog.Int("attempt", n), slog.String("error", c.logText.Scrub(errorText(prev))))
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// attempt is the state of one HTTP request: whether the transport wrote it,
// its body reader and its tracking ID.
type attempt struct {
	httpx.Attempt
	body       bytes.Reader
	trackingID [1]string
}

// attempt makes attempt n (from 1) of r. The first uses the state allocated
// with r; a later one gets its own, since the transport may still read the
// request of an attempt that failed.
func (c *Client) attempt(ctx context.Context, r *hubRequest, n int) (hubResponse, error) {
	a := &r.first
	if n > 1 {
		a = new(attempt)
	}
	id, err := c.newID(r.op)
	if err != nil {
		return hubResponse{}, err
	}
	a.trackingID[0] = id
	bounded, dl := c.deadlines.bound(ctx)
	defer c.deadlines.release(dl)
	req := c.newRequest(a.Context(bounded), r, a)
	dump := c.dumping(ctx)
	if dump {
		c.dumpRequest(ctx, req, c.logText.ScrubBytes(r.body))
	}
	resp, err := c.doer.Do(req)
	if err != nil {
		return hubResponse{}, c.transportError(ctx, bounded, r.op, a, err)
	}
	if isRedirect(resp.StatusCode) {
		resp.Body.Close()
		e := httpx.RedirectError(r.op, resp)
		e.TrackingID = c.secrets.Scrub(firstValue(resp.Header, headerTrackingID))
		return hubResponse{}, e
	}
	return c.readResponse(ctx, bounded, r, a, resp, dump)
}

// isRedirect reports whether status is a 3xx, which a Client never follows.
func isRedirect(status int) bool { return status >= 300 && status < 400 }

// newRequest returns the *http.Request of attempt a of r, with context ctx.
// The header map is new (the transport may still read the map of a failed
// attempt); its values are shared slices, except the tracking ID, which
// lives in a.
func (c *Client) newRequest(ctx context.Context, r *hubRequest, a *attempt) *http.Request {
	h := make(http.Header, 3+r.nheader+len(r.platform))
	h[headerAuthorization] = c.authorization()
	h[headerVersion] = c.version
	h[headerTrackingID] = a.trackingID[:]
	for _, f := range r.header[:r.nheader] {
		h[f.key] = f.values
	}
	for k, v := range r.platform {
		h[k] = v
	}
	tmpl := http.Request{ // stays on the stack: WithContext makes the request sent
		Method:     r.method,
		URL:        r.url,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Body:       http.NoBody,
	}
	if len(r.body) > 0 {
		// An io.NopCloser of a *bytes.Reader, which net/http knows not to
		// block, so that it writes the headers and the body in one go.
		a.body.Reset(r.body)
		body := r.body
		tmpl.Body = io.NopCloser(&a.body)
		tmpl.ContentLength = int64(len(body))
		tmpl.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return tmpl.WithContext(ctx)
}

// maxDrain bounds the body of a successful answer that the Client reads and
// discards, so that the connection can carry another request; a longer body,
// or one of unknown length, is not waited for: the connection is closed.
const maxDrain = 4 << 10

// readResponse reads resp, closes its body, and turns an error status into an
// error. The body is scrubbed as it is read; an error's body loses any part
// of a secret too (httpx.Scrubber.ScrubFragmentsBytes).
func (c *Client) readResponse(ctx, bounded context.Context, r *hubRequest, a *attempt, resp *http.Response, dump bool) (hubResponse, error) {
	defer resp.Body.Close()
	out := hubResponse{status: resp.StatusCode, header: resp.Header, scrub: c.secrets}
	if out.trackingID = out.value(headerTrackingID); out.trackingID == "" {
		out.trackingID = a.trackingID[0]
	}
	limit := int64(maxResponseBody)
	if !out.accepted() {
		limit = maxErrorBody
	}
	var err error
	switch {
	case r.keepBody || dump || !out.accepted():
		out.body, err = io.ReadAll(io.LimitReader(resp.Body, limit))
		if out.accepted() {
			out.body = c.secrets.ScrubBytes(out.body)
		} else {
			out.body = c.secrets.ScrubFragmentsBytes(out.body) // an error's text is read by people: no part of a secret either
		}
		if err == nil && bounded.Err() != nil && ctx.Err() == nil {
			// The attempt's time ran out as the body ended: a server that saw the
			// request cancelled may end its answer cleanly, cut short.
			err = bounded.Err()
		}
	case resp.ContentLength > 0 && resp.ContentLength <= maxDrain:
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	}
	if dump {
		c.dumpResponse(ctx, resp, c.logText.ScrubBytes(out.body))
	}
	switch {
	case !out.accepted():
		return out, c.statusError(r.op, out)
	case err != nil && r.keepBody:
		return out, &push.Error{Op: r.op, StatusCode: out.status, TrackingID: out.trackingID,
			Detail: "the service accepted the request but its answer could not be read" + c.timeoutNote(ctx, bounded), Err: err}
	}
	return out, nil
}

// firstValue returns the first value of the canonical key k in h, or "".
func firstValue(h http.Header, k string) string {
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}
