package push_test

import (
	"strings"
	"testing"

	"github.com/pushwire/push"
)

func TestBaiduGolden(t *testing.T) {
	runPayloadGoldens(t, []payloadCase{
		{"baidu_simple", push.BaiduMessage{Title: "Order shipped", Description: "Your order #42 is on its way"}.Notification},
		{"baidu_full", push.BaiduMessage{
			Title: "订单已发货", Description: "您的订单 #42 正在路上", NotificationBuilderID: 2,
			NotificationBasicStyle: push.BaiduRing | push.BaiduVibrate | push.BaiduClearable,
			URL:                    "https://example.com/orders/42",
			CustomContent:          map[string]string{"orderID": "42"},
		}.Notification},
		{"baidu_pkg_content", push.BaiduMessage{Description: "Open the app", PkgContent: "#Intent;component=com.example/.Main;end"}.Notification},
	})
}

func TestBaiduRules(t *testing.T) {
	runPayloadErrors(t, []payloadErrCase{
		{"no description", push.BaiduMessage{Title: "x"}.Notification, push.ErrInvalidNotification, "BaiduMessage.Description is empty"},
		{"style out of range", push.BaiduMessage{Description: "x", NotificationBasicStyle: 8}.Notification, push.ErrInvalidNotification, "BaiduMessage.NotificationBasicStyle is 8"},
		{"negative builder", push.BaiduMessage{Description: "x", NotificationBuilderID: -1}.Notification, push.ErrInvalidNotification, "BaiduMessage.NotificationBuilderID is -1"},
		{"url and pkg content", push.BaiduMessage{Description: "x", URL: "https://e.com", PkgContent: "p"}.Notification, push.ErrInvalidNotification, "both URL and PkgContent"},
		{"relative url", push.BaiduMessage{Description: "x", URL: "orders/42"}.Notification, push.ErrInvalidNotification, `BaiduMessage.URL "orders/42"`},
		{"empty custom key", push.BaiduMessage{Description: "x", CustomContent: map[string]string{"": "v"}}.Notification, push.ErrInvalidNotification, "BaiduMessage.CustomContent has an empty key"},
		{"over 4096 bytes", push.BaiduMessage{Description: strings.Repeat("d", 4096)}.Notification, push.ErrPayloadTooLarge, "Baidu Cloud Push takes at most 4096"},
	})
}
