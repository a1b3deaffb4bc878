package push_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
)

func TestXiaomiGolden(t *testing.T) {
	runPayloadGoldens(t, []payloadCase{
		{"xiaomi_simple", push.XiaomiMessage{Title: "Order shipped", Description: "Your order #42 is on its way"}.Notification},
		{"xiaomi_full", push.XiaomiMessage{
			Title: "订单已发货", Description: "您的订单 #42 正在路上", Payload: `{"orderID":"42"}`,
			NotifyType: push.XiaomiNotifySound | push.XiaomiNotifyVibrate, NotifyID: 42, TimeToLive: 2 * time.Hour,
			RestrictedPackageName: "com.example.shop", Extra: map[string]string{"notify_foreground": "1"},
		}.Notification},
		{"xiaomi_pass_through", push.XiaomiMessage{Payload: "sync", PassThrough: true, NotifyType: push.XiaomiNotifyAll}.Notification},
	})
}

func TestXiaomiRules(t *testing.T) {
	runPayloadErrors(t, []payloadErrCase{
		{"no title", push.XiaomiMessage{Description: "x"}.Notification, push.ErrInvalidNotification, "XiaomiMessage needs a Title and a Description"},
		{"blank description", push.XiaomiMessage{Title: "x", Description: "  "}.Notification, push.ErrInvalidNotification, "XiaomiMessage needs a Title and a Description"},
		{"title of 50", push.XiaomiMessage{Title: strings.Repeat("标", 50), Description: "x"}.Notification, push.ErrInvalidNotification, "XiaomiMessage.Title has 50 characters"},
		{"description of 128", push.XiaomiMessage{Title: "x", Description: strings.Repeat("d", 128)}.Notification, push.ErrInvalidNotification, "XiaomiMessage.Description has 128 characters"},
		{"payload over 4 KB", push.XiaomiMessage{PassThrough: true, Payload: strings.Repeat("p", 4097)}.Notification, push.ErrPayloadTooLarge, "XiaomiMessage.Payload is 4097 bytes"},
		{"notify type 8", push.XiaomiMessage{Title: "x", Description: "y", NotifyType: 8}.Notification, push.ErrInvalidNotification, "XiaomiMessage.NotifyType is 8"},
		{"notify type -2", push.XiaomiMessage{Title: "x", Description: "y", NotifyType: -2}.Notification, push.ErrInvalidNotification, "XiaomiMessage.NotifyType is -2"},
		{"negative notify id", push.XiaomiMessage{Title: "x", Description: "y", NotifyID: -1}.Notification, push.ErrInvalidNotification, "XiaomiMessage.NotifyID is -1"},
		{"ttl over two weeks", push.XiaomiMessage{Title: "x", Description: "y", TimeToLive: 15 * 24 * time.Hour}.Notification, push.ErrInvalidNotification, "XiaomiMessage.TimeToLive is 360h0m0s"},
		{"negative ttl", push.XiaomiMessage{Title: "x", Description: "y", TimeToLive: -time.Second}.Notification, push.ErrInvalidNotification, "XiaomiMessage.TimeToLive is -1s"},
		{"empty extra key", push.XiaomiMessage{Title: "x", Description: "y", Extra: map[string]string{"": "v"}}.Notification, push.ErrInvalidNotification, "XiaomiMessage.Extra has an empty key"},
	})
}
