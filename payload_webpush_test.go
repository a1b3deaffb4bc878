package push_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
)

func TestWebPushGolden(t *testing.T) {
	runPayloadGoldens(t, []payloadCase{
		{"webpush_simple", push.WebPush{Title: "Order shipped", Body: "Your order #42 is on its way"}.Notification},
		{"webpush_full", push.WebPush{
			Title: "Order shipped", Body: "On its way <today>", Icon: "https://example.com/icon.png",
			Image: "https://example.com/box.png", Badge: "https://example.com/badge.png", Tag: "order-42",
			Lang: "en-GB", Dir: "ltr", RequireInteraction: true, Renotify: true,
			Timestamp: time.Date(2030, 1, 2, 3, 4, 5, 6e6, time.UTC), Vibrate: []int{200, 100, 200},
			Actions: []push.WebPushAction{{Action: "track", Title: "Track", Icon: "https://example.com/t.png"}, {Action: "dismiss", Title: "Dismiss"}},
			Data:    map[string]string{"url": "https://example.com/orders/42", "orderID": "42"},
		}.Notification},
		{"webpush_headers", push.WebPush{Title: "Order shipped", TTL: 36 * time.Hour, Urgency: "high", Topic: "order-42"}.Notification},
		{"webpush_ttl_now_only", push.WebPush{Title: "Doorbell", TTL: -1}.Notification},
	})
}

func TestWebPushRules(t *testing.T) {
	runPayloadErrors(t, []payloadErrCase{
		{"no title", push.WebPush{Body: "x"}.Notification, push.ErrInvalidNotification, "WebPush.Title is empty"},
		{"bad dir", push.WebPush{Title: "x", Dir: "up"}.Notification, push.ErrInvalidNotification, `WebPush.Dir "up"`},
		{"renotify without tag", push.WebPush{Title: "x", Renotify: true}.Notification, push.ErrInvalidNotification, "WebPush.Renotify needs a Tag"},
		{"silent vibration", push.WebPush{Title: "x", Silent: true, Vibrate: []int{100}}.Notification, push.ErrInvalidNotification, "WebPush.Silent and WebPush.Vibrate"},
		{"negative vibration", push.WebPush{Title: "x", Vibrate: []int{100, -1}}.Notification, push.ErrInvalidNotification, "WebPush.Vibrate[1] is -1"},
		{"action without title", push.WebPush{Title: "x", Actions: []push.WebPushAction{{Action: "a"}}}.Notification, push.ErrInvalidNotification, "WebPush.Actions[0] needs both"},
		{"relative icon", push.WebPush{Title: "x", Icon: "icon.png"}.Notification, push.ErrInvalidNotification, `WebPush.Icon "icon.png"`},
		{"empty data key", push.WebPush{Title: "x", Data: map[string]string{"": "v"}}.Notification, push.ErrInvalidNotification, "WebPush.Data has an empty key"},
		{"bad urgency", push.WebPush{Title: "x", Urgency: "asap"}.Notification, push.ErrInvalidNotification, `Urgency "asap" must be very-low, low, normal or high`},
		{"topic with a dot", push.WebPush{Title: "x", Topic: "order.42"}.Notification, push.ErrInvalidNotification, `Topic "order.42" must be 1 to 32 characters`},
		{"ttl over 28 days", push.WebPush{Title: "x", TTL: 29 * 24 * time.Hour}.Notification, push.ErrInvalidNotification, "more than 28 days"},
		{"over the encrypted limit", push.WebPush{Title: "x", Body: strings.Repeat("b", 4000)}.Notification, push.ErrPayloadTooLarge, "a Web Push message carries at most 3993"},
	})
}
