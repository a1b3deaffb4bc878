package push_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestFCMGolden(t *testing.T) {
	runPayloadGoldens(t, []payloadCase{
		{"fcm_notification", push.FCMMessage{Display: &push.FCMNotification{Title: "Order shipped", Body: "Your order #42 is on its way"}}.Notification},
		{"fcm_data_only", push.FCMMessage{Data: map[string]string{"orderID": "42", "status": "shipped"}}.Notification},
		{"fcm_full", push.FCMMessage{
			Display: &push.FCMNotification{Title: "Order shipped", Body: "On its way", Image: "https://example.com/box.png"},
			Data:    map[string]string{"orderID": "42"},
			Android: &push.FCMAndroid{
				CollapseKey: "order-42", Priority: push.PriorityHigh, TTL: 3500 * time.Millisecond,
				RestrictedPackageName: "com.example.shop", Data: map[string]string{"orderID": "42", "android": "1"},
				DirectBootOK: true,
				Notification: &push.FCMAndroidNotification{
					ChannelID: "orders", ClickAction: "OPEN_ORDER", Tag: "order-42", Icon: "ic_box",
					Color: "#1a73e8", Sound: "default", Ticker: "Order shipped", Sticky: true,
					TitleLocKey: "ORDER_TITLE", TitleLocArgs: []string{"42"}, BodyLocKey: "ORDER_BODY", BodyLocArgs: []string{"DHL"},
					EventTime:         time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC),
					NotificationCount: payloadInt(0),
				},
			},
			APNs: &push.APNs{Badge: payloadInt(1), Sound: "default", Priority: 10, CollapseID: "order-42"},
			Webpush: &push.FCMWebpush{
				Headers:      map[string]string{"TTL": "60", "Urgency": "high"},
				Data:         map[string]string{"orderID": "42"},
				Notification: &push.WebPush{Body: "On its way", Icon: "https://example.com/icon.png"},
				Link:         "https://example.com/orders/42",
			},
			AnalyticsLabel: "order_shipped-v2",
		}.Notification},
		{"fcm_ttl_whole_seconds", push.FCMMessage{Data: map[string]string{"a": "b"}, Android: &push.FCMAndroid{TTL: time.Hour, Priority: push.PriorityNormal}}.Notification},
	})
}

func TestFCMRules(t *testing.T) {
	runPayloadErrors(t, []payloadErrCase{
		{"empty message", push.FCMMessage{}.Notification, push.ErrInvalidNotification, "FCMMessage is empty"},
		{"reserved data key", push.FCMMessage{Data: map[string]string{"from": "x"}}.Notification, push.ErrInvalidNotification, `FCMMessage.Data key "from" is reserved`},
		{"reserved google prefix", push.FCMMessage{Data: map[string]string{"google.x": "x"}}.Notification, push.ErrInvalidNotification, `key "google.x" is reserved`},
		{"reserved android data key", push.FCMMessage{Android: &push.FCMAndroid{Data: map[string]string{"message_type": "x"}}}.Notification, push.ErrInvalidNotification, `FCMAndroid.Data key "message_type"`},
		{"empty data key", push.FCMMessage{Data: map[string]string{"": "x"}}.Notification, push.ErrInvalidNotification, "FCMMessage.Data has an empty key"},
		{"negative TTL", push.FCMMessage{Android: &push.FCMAndroid{TTL: -time.Second}}.Notification, push.ErrInvalidNotification, "FCMAndroid.TTL is -1s; a time-to-live cannot be negative"},
		{"TTL over 4 weeks", push.FCMMessage{Android: &push.FCMAndroid{TTL: 29 * 24 * time.Hour}}.Notification, push.ErrInvalidNotification, "FCMAndroid.TTL is 696h0m0s"},
		{"unknown priority", push.FCMMessage{Android: &push.FCMAndroid{Priority: "urgent"}}.Notification, push.ErrInvalidNotification, `FCMAndroid.Priority "urgent"`},
		{"upper-case priority", push.FCMMessage{Android: &push.FCMAndroid{Priority: "HIGH"}}.Notification, push.ErrInvalidNotification, `FCMAndroid.Priority "HIGH"`},
		{"color name", push.FCMMessage{Android: &push.FCMAndroid{Notification: &push.FCMAndroidNotification{Color: "red"}}}.Notification, push.ErrInvalidNotification, `FCMAndroidNotification.Color "red" must be #rrggbb`},
		{"short color", push.FCMMessage{Android: &push.FCMAndroid{Notification: &push.FCMAndroidNotification{Color: "#fff"}}}.Notification, push.ErrInvalidNotification, `Color "#fff"`},
		{"color not hex", push.FCMMessage{Android: &push.FCMAndroid{Notification: &push.FCMAndroidNotification{Color: "#12345g"}}}.Notification, push.ErrInvalidNotification, `Color "#12345g"`},
		{"negative count", push.FCMMessage{Android: &push.FCMAndroid{Notification: &push.FCMAndroidNotification{NotificationCount: payloadInt(-2)}}}.Notification, push.ErrInvalidNotification, "NotificationCount is -2"},
		{"loc args without key", push.FCMMessage{Android: &push.FCMAndroid{Notification: &push.FCMAndroidNotification{BodyLocArgs: []string{"a"}}}}.Notification, push.ErrInvalidNotification, "BodyLocArgs needs BodyLocKey"},
		{"title loc args without key", push.FCMMessage{Android: &push.FCMAndroid{Notification: &push.FCMAndroidNotification{TitleLocArgs: []string{"a"}}}}.Notification, push.ErrInvalidNotification, "TitleLocArgs needs TitleLocKey"},
		{"relative image", push.FCMMessage{Display: &push.FCMNotification{Image: "box.png"}}.Notification, push.ErrInvalidNotification, `FCMNotification.Image "box.png" is not an absolute URL`},
		{"label with space", push.FCMMessage{Data: map[string]string{"a": "b"}, AnalyticsLabel: "a b"}.Notification, push.ErrInvalidNotification, `AnalyticsLabel "a b" has ' '`},
		{"label too long", push.FCMMessage{Data: map[string]string{"a": "b"}, AnalyticsLabel: strings.Repeat("a", 51)}.Notification, push.ErrInvalidNotification, "AnalyticsLabel has 51 characters"},
		{"webpush link not https", push.FCMMessage{Webpush: &push.FCMWebpush{Link: "http://example.com"}}.Notification, push.ErrInvalidNotification, "FCMWebpush.Link \"http://example.com\" must be an https URL"},
		{"webpush notification rule", push.FCMMessage{Webpush: &push.FCMWebpush{Notification: &push.WebPush{Dir: "up"}}}.Notification, push.ErrInvalidNotification, `FCMWebpush.Notification.Dir "up"`},
		{"apns rule inside fcm", push.FCMMessage{APNs: &push.APNs{Body: "x", RelevanceScore: payloadFloat(3)}}.Notification, push.ErrInvalidNotification, "APNs.RelevanceScore is 3"},
		{"over 4 KB", push.FCMMessage{Data: map[string]string{"big": strings.Repeat("x", 4096)}}.Notification, push.ErrPayloadTooLarge, "accepts at most 4096"},
	})
}

func TestFCMTTLFormat(t *testing.T) {
	tests := []struct {
		ttl  time.Duration
		want string
	}{
		{3 * time.Second, `"ttl":"3s"`},
		{3500 * time.Millisecond, `"ttl":"3.5s"`},
		{3*time.Second + time.Nanosecond, `"ttl":"3.000000001s"`},
		{time.Nanosecond, `"ttl":"0.000000001s"`},
		{28 * 24 * time.Hour, `"ttl":"2419200s"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			n, err := push.FCMMessage{Android: &push.FCMAndroid{TTL: tt.ttl}}.Notification()
			require.NoError(t, err)
			assert.Contains(t, string(n.Body), tt.want)
		})
	}
	n, err := push.FCMMessage{Android: &push.FCMAndroid{CollapseKey: "c"}}.Notification()
	require.NoError(t, err)
	assert.NotContains(t, string(n.Body), "ttl", "a zero TTL sends none")
}
