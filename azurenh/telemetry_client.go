package azurenh

import (
	"context"
	"net/http"

	"github.com/pushwire/push"
)

// opNotificationDetails is the Op of the errors of NotificationDetails.
const opNotificationDetails = "azurenh: notification details"

// NotificationDetails reads the telemetry of a sent notification with GET
// /HUB/messages/ID: its state, times and per-platform outcome counts (see
// parseNotificationDetails). id is the ID of the push.Receipt of Send or
// Schedule; the Free and Basic tiers return none, and answer this call with an
// error matching push.ErrForbidden (telemetry needs the Standard tier).
//
// The service builds the telemetry as the send progresses: until the State is
// Final the counts may be partial, and for a while after the send (up to 30
// minutes, says the REST reference) the answer may be 404, an error matching
// push.ErrNotFound; wait about ten seconds and ask again. An empty id is
// refused before any I/O with an error matching push.ErrNotFound, as Cancel
// does. An answer that does not parse gives a *push.Error without Kind; a
// state this package does not know is kept, not refused. NotificationDetails
// is safe for concurrent use.
func (c *Client) NotificationDetails(ctx context.Context, id string) (NotificationDetails, error) {
	if id == "" {
		return NotificationDetails{}, &push.Error{Op: opNotificationDetails, Kind: push.ErrNotFound,
			Detail: "the notification ID is empty; pass the ID of the Receipt that Send returned (the Free and Basic tiers return none)"}
	}
	if err := checkResourceID(opNotificationDetails, "notification ID", id); err != nil {
		return NotificationDetails{}, err
	}
	r := &hubRequest{op: opNotificationDetails, method: http.MethodGet, url: c.hubURL("", "messages", id),
		idempotent: true, keepBody: true}
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return NotificationDetails{}, err
	}
	d, err := parseNotificationDetails(resp.body)
	if err != nil {
		return NotificationDetails{}, answerError(opNotificationDetails, resp, err)
	}
	return d, nil
}
