package azurenh

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// The Op of the errors of each operation.
const (
	opSend     = "azurenh: send"
	opSchedule = "azurenh: schedule"
	opCancel   = "azurenh: cancel"
)

// scheduleTimeLayout is how ServiceBusNotification-ScheduleTime is written: UTC,
// whole seconds.
const scheduleTimeLayout = "2006-01-02T15:04:05Z"

// Send renders n for to with push.Render and posts it to the hub:
//
//   - push.Broadcast and tag targets (push.Tags, push.Expression,
//     push.Installation, push.User) go to .../messages, the tag expression in
//     ServiceBusNotification-Tags;
//   - one handle (push.Device, push.BrowserDevice, push.Devices with one handle)
//     goes to .../messages?direct, in ServiceBusNotification-DeviceHandle (a
//     browser's keys in P256DH and Auth);
//   - several browser subscriptions (push.BrowserDevices) go as one direct
//     send each, direct.DefaultConcurrency at a time: a batch carries no
//     subscription keys. The Receipt lists one part per subscription, in
//     order (a zero Receipt for one that failed), and the error, when any
//     failed, is a *push.DevicesError naming each;
//   - several handles (push.Devices) go to .../messages/$batch?direct as a
//     multipart/mixed body, in requests of at most push.MaxBatchDevices handles
//     sent one after the other. The Receipt then lists one part per request; if
//     a request fails, Send stops and returns the Receipt of the parts accepted
//     so far with the error.
//
// With WithTestSend(true), a send to tags or a broadcast is a test send whose
// per-device outcome is in Receipt.Outcome; a test send to device handles is
// refused before any I/O with an error matching push.ErrInvalidTarget.
//
// Bad input is refused before any I/O with Render's error. Failures are
// *push.Error values whose Kind tells what happened (see the package
// documentation); retryable ones were retried under the Client's RetryPolicy.
// A nil error means the service accepted the notification, not that a device
// received it. Send is safe for concurrent use and keeps nothing of n or to.
func (c *Client) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if err := push.CheckContext(ctx, opSend); err != nil {
		return push.Receipt{}, err
	}
	if err := c.caps.CheckSend(opSend, n.Platform, to.Kind()); err != nil {
		return push.Receipt{}, err
	}
	env, err := push.Render(n, to)
	if err != nil {
		return push.Receipt{}, err
	}
	switch {
	case len(env.Devices) > 0 && c.cfg.testSend:
		return push.Receipt{}, &push.Error{Op: opSend, Kind: push.ErrInvalidTarget,
			Detail: "a test send (WithTestSend) goes to tags or a broadcast; Notification Hubs does not support test sends to device handles"}
	case len(env.Devices) == 1:
		return c.sendDirect(ctx, env)
	case len(env.Subscriptions) > 1:
		return c.sendBrowsers(ctx, n, to)
	case len(env.Devices) > 1:
		return c.sendBatch(ctx, env)
	}
	return c.sendToTags(ctx, env)
}

// Schedule renders n for to with push.RenderAt, as seen from the Client's clock,
// and posts it to .../schedulednotifications with
// ServiceBusNotification-ScheduleTime set to at (UTC, whole seconds). The
// Receipt's ID identifies the scheduled notification for Cancel.
//
// Only tags and broadcasts can be scheduled, at most push.MaxScheduleAhead
// ahead and not in the past: other input is refused before any I/O. Scheduled
// sends need the Standard tier; on other tiers the error matches
// push.ErrForbidden. WithTestSend does not apply. Schedule is safe for
// concurrent use.
func (c *Client) Schedule(ctx context.Context, n push.Notification, to push.Target, at time.Time) (push.Receipt, error) {
	if err := push.CheckContext(ctx, opSchedule); err != nil {
		return push.Receipt{}, err
	}
	env, err := push.RenderAt(n, to, at, c.cfg.clock.Now())
	if err != nil {
		return push.Receipt{}, err
	}
	r := c.notificationRequest(opSchedule, c.urls.schedule, env)
	r.setString(headerScheduleTime, env.ScheduleTime.UTC().Format(scheduleTimeLayout))
	if env.Tags != "" {
		r.setString(headerTags, env.Tags)
	}
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return push.Receipt{}, err
	}
	return receiptOf(resp), nil
}

// Cancel cancels the scheduled notification whose ID Schedule returned, with
// DELETE .../schedulednotifications/ID. An unknown or already delivered ID (and
// an empty one, refused before any I/O) gives an error matching
// push.ErrNotFound. Repeating a cancel is harmless, so Cancel retries even when
// the outcome of an attempt is unknown. Cancel is safe for concurrent use.
func (c *Client) Cancel(ctx context.Context, id string) error {
	if err := push.CheckContext(ctx, opCancel); err != nil {
		return err
	}
	if id == "" {
		return &push.Error{Op: opCancel, Kind: push.ErrNotFound,
			Detail: "the notification ID is empty; pass the ID of the Receipt that Schedule returned"}
	}
	if err := checkResourceID(opCancel, "notification ID", id); err != nil {
		return err
	}
	u := c.hubURL("", "schedulednotifications", id)
	r := &hubRequest{op: opCancel, method: http.MethodDelete, url: u, idempotent: true}
	_, err := c.doRequest(ctx, r)
	return err
}

// notificationRequest returns the request that posts env to u: its body,
// Content-Type, ServiceBusNotification-Format and platform headers.
func (c *Client) notificationRequest(op string, u *url.URL, env push.Envelope) *hubRequest {
	r := &hubRequest{op: op, method: http.MethodPost, url: u, body: env.Body, platform: env.Header}
	if ct, ok := c.contentTypes[env.ContentType]; ok {
		r.set(headerContentType, ct)
	} else {
		r.setString(headerContentType, env.ContentType)
	}
	r.set(headerFormat, c.formats[env.Platform])
	return r
}

// sendToTags sends env to its tags, or to every device when it has none.
func (c *Client) sendToTags(ctx context.Context, env push.Envelope) (push.Receipt, error) {
	r := c.notificationRequest(opSend, c.urls.send, env)
	if env.Tags != "" {
		r.setString(headerTags, env.Tags)
	}
	r.keepBody = c.cfg.testSend
	resp, err := c.doRequest(ctx, r)
	if !resp.accepted() {
		return push.Receipt{}, err
	}
	rec := receiptOf(resp)
	if err != nil || !c.cfg.testSend {
		return rec, err
	}
	if rec.Outcome, err = parseOutcome(resp.body); err != nil {
		return rec, &push.Error{Op: opSend, StatusCode: resp.status, TrackingID: rec.TrackingID,
			Detail: "the service accepted the test send but its NotificationOutcome does not parse", Err: err}
	}
	return rec, nil
}

// sendDirect sends env to its one device handle.
func (c *Client) sendDirect(ctx context.Context, env push.Envelope) (push.Receipt, error) {
	r := c.notificationRequest(opSend, c.urls.direct, env)
	r.setString(headerDeviceHandle, env.Devices[0])
	if len(env.Subscriptions) > 0 {
		sub := env.Subscriptions[0]
		r.setString(headerP256DH, sub.P256DH)
		r.setString(headerAuth, sub.Auth)
	}
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return push.Receipt{}, err
	}
	return receiptOf(resp), nil
}

// sendBatch sends env to its handles, push.MaxBatchDevices at a time, in order.
func (c *Client) sendBatch(ctx context.Context, env push.Envelope) (push.Receipt, error) {
	devices := env.Devices
	if len(devices) <= push.MaxBatchDevices {
		return c.sendBatchPart(ctx, env, devices)
	}
	nparts := (len(devices) + push.MaxBatchDevices - 1) / push.MaxBatchDevices
	parts := make([]push.Receipt, 0, nparts)
	for i := range nparts {
		lo, hi := i*push.MaxBatchDevices, min((i+1)*push.MaxBatchDevices, len(devices))
		rec, err := c.sendBatchPart(ctx, env, devices[lo:hi])
		if err != nil {
			return combineParts(parts), partError(err, i+1, nparts, lo+1, hi)
		}
		parts = append(parts, rec)
	}
	return combineParts(parts), nil
}

// sendBatchPart sends env to devices in one batch request.
func (c *Client) sendBatchPart(ctx context.Context, env push.Envelope, devices []string) (push.Receipt, error) {
	boundary, err := newBoundary(func() (string, error) { return c.newID(opSend) }, env.Body)
	if err != nil {
		return push.Receipt{}, err
	}
	body := make([]byte, 0, batchBodySize(boundary, env.ContentType, env.Body, devices))
	body = appendBatchBody(body, boundary, env.ContentType, env.Body, devices)
	r := &hubRequest{op: opSend, method: http.MethodPost, url: c.urls.batch, body: body, platform: env.Header}
	r.setString(headerContentType, batchContentType(boundary))
	r.set(headerFormat, c.formats[env.Platform])
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return push.Receipt{}, err
	}
	return receiptOf(resp), nil
}

// combineParts returns the Receipt of a send made of several requests: the
// first part's fields, and every part in Parts. No part gives a zero Receipt.
func combineParts(parts []push.Receipt) push.Receipt {
	if len(parts) == 0 {
		return push.Receipt{}
	}
	rec := parts[0]
	rec.Parts = parts
	return rec
}

// partError says which part of a split batch failed, in the detail of a copy of
// err when it is a *push.Error; other errors are returned as they are.
func partError(err error, part, nparts, first, last int) error {
	e, ok := err.(*push.Error)
	if !ok {
		return err
	}
	c := *e
	prefix := "batch request " + strconv.Itoa(part) + " of " + strconv.Itoa(nparts) +
		" (handles " + strconv.Itoa(first) + " to " + strconv.Itoa(last) + "; the requests before it were accepted)"
	if c.Detail == "" {
		c.Detail = prefix
	} else {
		c.Detail = prefix + ": " + c.Detail
	}
	return &c
}

// receiptOf returns the Receipt of an accepted request: the notification ID from
// Location (absent on the Free and Basic tiers), the tracking and correlation
// IDs.
func receiptOf(resp hubResponse) push.Receipt {
	return push.Receipt{
		ID:            idFromLocation(resp.value(headerLocation)),
		TrackingID:    resp.trackingID,
		CorrelationID: resp.value(headerCorrelationID),
	}
}

// idFromLocation returns the last path segment of a Location URL, without its
// query or fragment, path-unescaped: https://NS/HUB/messages/ID?api-version=...
// gives ID. An empty Location gives "".
func idFromLocation(loc string) string {
	if i := strings.IndexAny(loc, "?#"); i >= 0 {
		loc = loc[:i]
	}
	loc = strings.TrimRight(loc, "/")
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		loc = loc[i+1:]
	}
	if strings.IndexByte(loc, '%') >= 0 {
		if id, err := url.PathUnescape(loc); err == nil {
			return id
		}
	}
	return loc
}
