package azurenh

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

const notificationID = "215e3aba529b49da9b6d35c134147952-20300102030405-2001061088-1"

func sentDetails() NotificationDetails {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	return NotificationDetails{
		NotificationID: notificationID, Location: "sb://contoso.servicebus.windows.net/myhub/messages/" + notificationID + "?api-version=2020-06",
		State: NotificationCompleted, EnqueueTime: at, StartTime: at, EndTime: at.Add(time.Second),
		NotificationBody: appleAlert, Tags: "sports", TargetPlatforms: []push.Platform{push.Apple, push.FCMV1},
		PnsErrorDetailsURI: "https://pushpnsfb.blob.core.windows.net/00000000002001061088/" + notificationID + "?sv=2014-02-14&sr=b&sig=c2VjcmV0&se=2030-01-03T00%3A00%3A00Z&sp=r",
		Outcomes: map[push.Platform][]OutcomeCount{
			push.Apple: {{Name: "Success", Count: 3}, {Name: "WrongToken", Count: 1}},
			push.FCMV1: {{Name: "Success", Count: 2}},
		},
	}
}

func TestTelemetryWire(t *testing.T) {
	body := string(must(encodeNotificationDetails(sentDetails())))
	runMgmtWire(t, []mgmtCase{
		{name: "notification_details", answer: answerStatus(http.StatusOK, body, "Content-Type", "application/xml; charset=utf-8"),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				d, err := c.NotificationDetails(ctx, notificationID)
				require.NoError(t, err)
				assert.Equal(t, sentDetails(), d)
				assert.Equal(t, int64(3), d.Count(push.Apple, "Success"))
			}},
	})
}

func TestTelemetryErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("an empty ID", func(t *testing.T) {
		rec, mock := newRecorder(nil)
		c, _ := newTestClient(t, mock)
		_, err := c.NotificationDetails(ctx, "")
		require.ErrorIs(t, err, push.ErrNotFound)
		assert.Contains(t, err.Error(), "Free and Basic tiers return none")
		assert.Empty(t, rec.requests())
	})
	t.Run("tier", func(t *testing.T) {
		_, mock := newRecorder(func(int, captured) (*http.Response, error) {
			return errorResponse(http.StatusForbidden, "This operation is not available for your tier.", nil)
		})
		c, _ := newTestClient(t, mock)
		_, err := c.NotificationDetails(ctx, notificationID)
		require.ErrorIs(t, err, push.ErrForbidden)
		assert.Equal(t, "azurenh: notification details", pushError(t, err).Op)
	})
	t.Run("not yet", func(t *testing.T) {
		_, mock := newRecorder(func(int, captured) (*http.Response, error) {
			return errorResponse(http.StatusNotFound, "Telemetry does not exist.", nil)
		})
		c, _ := newTestClient(t, mock)
		_, err := c.NotificationDetails(ctx, notificationID)
		require.ErrorIs(t, err, push.ErrNotFound)
	})
	t.Run("unknown state kept", func(t *testing.T) {
		d := sentDetails()
		d.State = "Scheduled"
		_, mock := newRecorder(answerStatus(http.StatusOK, string(must(encodeNotificationDetails(d)))))
		c, _ := newTestClient(t, mock)
		got, err := c.NotificationDetails(ctx, notificationID)
		require.NoError(t, err)
		assert.Equal(t, NotificationState("Scheduled"), got.State)
		assert.False(t, got.State.Final())
	})
	t.Run("does not parse", func(t *testing.T) {
		_, mock := newRecorder(answerStatus(http.StatusOK, "<NotificationDetails><State>"))
		c, _ := newTestClient(t, mock)
		_, err := c.NotificationDetails(ctx, notificationID)
		assert.Nil(t, pushError(t, err).Kind)
	})
}
