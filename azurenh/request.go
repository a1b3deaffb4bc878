package azurenh

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"

	"github.com/pushwire/push"
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

// hubResponse is what doRequest returns of a response: its status, headers,
// the body when asked for (or when the status is an error), and the tracking ID
// of the request (the service's, or the one the Client sent).
type hubResponse struct {
	status     int
	header     http.Header
	body       []byte
	trackingID string
}

// accepted reports whether the response says the service did what was asked.
func (r hubResponse) accepted() bool { return r.status >= 200 && r.status < 300 }

// doRequest makes the HTTP request r describes and returns the service's
// answer. It is the one place where a Client talks to the service:
//
//   - each attempt is a fresh *http.Request carrying the SAS token
//     (Authorization), x-ms-version, a fresh client TrackingId and r's headers;
//   - a status outside 2xx becomes a *push.Error (see statusError): op, kind,
//     status, the service's code and detail, tracking ID, Retry-After;
//   - a transport failure becomes a *push.Error of kind push.ErrUnavailable
//     when the request was not written, push.ErrOutcomeUnknown when it was
//     (the service may have acted on it);
//   - attempts are repeated under the Client's push.RetryPolicy, on its clock,
//     warning on the logger before each retry. For an idempotent request,
//     unknown outcomes are retried too;
//   - with WithTestSend(true) and a logger enabled at Debug, each request and
//     response is dumped (see dumpRequest), the sig of every shared access
//     signature in a body redacted (see redactSignatures).
//
// On success the response is that of the last attempt. On failure it is the
// last attempt's when the service answered (status set), zero otherwise.
func (c *Client) doRequest(ctx context.Context, r *hubRequest) (hubResponse, error) {
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
		resp, err = c.attempt(ctx, r)
		last = err
		return err
	})
	return resp, err
}

// warnRetry logs, at level Warn, that attempt n of r follows the error prev.
func (c *Client) warnRetry(ctx context.Context, r *hubRequest, n int, prev error) {
	if !c.cfg.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	c.cfg.logger.LogAttrs(ctx, slog.LevelWarn, "azurenh: retrying",
		slog.String("op", r.op), slog.Int("attempt", n), slog.String("error", errorText(prev)))
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// attempt is the state of one HTTP request: its body reader, its tracking ID
// and whether the transport reported the request written. One allocation
// holds it all.
type attempt struct {
	body       bytes.Reader
	trackingID [1]string
	trace      httptrace.ClientTrace
	wrote      atomic.Bool
}

// wroteRequest records that the whole request reached the connection: from
// then on, a failure leaves the outcome unknown.
func (a *attempt) wroteRequest(info httptrace.WroteRequestInfo) {
	if info.Err == nil {
		a.wrote.Store(true)
	}
}

// attempt makes one HTTP request for r.
func (c *Client) attempt(ctx context.Context, r *hubRequest) (hubResponse, error) {
	a := &attempt{}
	a.trackingID[0] = c.cfg.ids()
	a.trace.WroteRequest = a.wroteRequest
	var tmpl http.Request // stays on the stack: WithContext makes the request sent
	c.fillRequest(&tmpl, r, a)
	req := tmpl.WithContext(httptrace.WithClientTrace(ctx, &a.trace))
	dump := c.dumping(ctx)
	if dump {
		c.dumpRequest(ctx, req, redactSignatures(r.body))
	}
	resp, err := c.cfg.httpClient.Do(req)
	if err != nil {
		return hubResponse{}, transportError(ctx, r.op, a, err)
	}
	return c.readResponse(ctx, r, a, resp, dump)
}

// fillRequest fills req for one attempt of r. The header map is new (the
// transport may still read the map of a failed attempt); its values are
// shared slices, except the tracking ID, which lives in a.
func (c *Client) fillRequest(req *http.Request, r *hubRequest, a *attempt) {
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
	*req = http.Request{
		Method:     r.method,
		URL:        r.url,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       r.url.Host,
		Body:       http.NoBody,
	}
	if len(r.body) > 0 {
		// An io.NopCloser of a *bytes.Reader, which net/http knows not to
		// block, so that it writes the headers and the body in one go.
		a.body.Reset(r.body)
		body := r.body
		req.Body = io.NopCloser(&a.body)
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
}

// readResponse reads resp, closes its body, and turns an error status into an
// error.
func (c *Client) readResponse(ctx context.Context, r *hubRequest, a *attempt, resp *http.Response, dump bool) (hubResponse, error) {
	defer resp.Body.Close()
	out := hubResponse{status: resp.StatusCode, header: resp.Header, trackingID: firstValue(resp.Header, headerTrackingID)}
	if out.trackingID == "" {
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
	case resp.ContentLength != 0: // drained, so that the connection is reused
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, limit))
	}
	if dump {
		c.dumpResponse(ctx, resp, redactSignatures(out.body))
	}
	switch {
	case !out.accepted():
		return out, c.statusError(r.op, out)
	case err != nil && r.keepBody:
		return out, &push.Error{Op: r.op, StatusCode: out.status, TrackingID: out.trackingID,
			Detail: "the service accepted the request but its answer could not be read", Err: err}
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

// transportError classifies a failure of the HTTP client: the request never
// completed, so there is no status. When the transport had written the whole
// request, the service may have acted on it (kind push.ErrOutcomeUnknown);
// otherwise it cannot have (push.ErrUnavailable, retryable). The cause, which
// holds the URL but no header, is kept as Err.
func transportError(ctx context.Context, op string, a *attempt, err error) error {
	e := &push.Error{Op: op, Kind: push.ErrUnavailable, TrackingID: a.trackingID[0], Err: err}
	switch {
	case a.wrote.Load():
		e.Kind = push.ErrOutcomeUnknown
		e.Detail = "the connection failed after the request was sent, so the service may have acted on it"
	case ctx.Err() != nil:
		e.Detail = "the request was abandoned before it was sent"
	default:
		e.Detail = "the request could not be sent"
	}
	return e
}
