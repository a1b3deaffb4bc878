package push_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
)

func TestADMGolden(t *testing.T) {
	runPayloadGoldens(t, []payloadCase{
		{"adm_data", push.ADMMessage{Data: map[string]string{"from": "Sam", "message": "Hey, Max"}}.Notification},
		{"adm_full", push.ADMMessage{
			Display: &push.ADMDisplay{
				Title: "Order shipped", Body: "On its way", Icon: "ic_box", Color: "#ff9900", Sound: "default",
				Tag: "order-42", ClickAction: "OPEN_ORDER", ChannelID: "orders", Image: "https://example.com/box.png",
			},
			Data:     map[string]string{"orderID": "42"},
			Priority: push.PriorityHigh, ConsolidationKey: "order-42", ExpiresAfter: 24 * time.Hour,
		}.Notification},
	})
}

func TestADMRules(t *testing.T) {
	runPayloadErrors(t, []payloadErrCase{
		{"empty", push.ADMMessage{}.Notification, push.ErrInvalidNotification, "ADMMessage is empty"},
		{"empty data key", push.ADMMessage{Data: map[string]string{"": "x"}}.Notification, push.ErrInvalidNotification, "ADMMessage.Data has an empty key"},
		{"data over 6 KB", push.ADMMessage{Data: map[string]string{"k": strings.Repeat("x", 6<<10)}}.Notification, push.ErrPayloadTooLarge, "ADMMessage.Data holds 6145 bytes"},
		{"long consolidation key", push.ADMMessage{Data: map[string]string{"a": "b"}, ConsolidationKey: strings.Repeat("c", 65)}.Notification, push.ErrInvalidNotification, "ADMMessage.ConsolidationKey has 65 characters"},
		{"expires too soon", push.ADMMessage{Data: map[string]string{"a": "b"}, ExpiresAfter: 59 * time.Second}.Notification, push.ErrInvalidNotification, "ADMMessage.ExpiresAfter is 59s"},
		{"expires too late", push.ADMMessage{Data: map[string]string{"a": "b"}, ExpiresAfter: 32 * 24 * time.Hour}.Notification, push.ErrInvalidNotification, "ADMMessage.ExpiresAfter is 768h0m0s"},
		{"negative expiry", push.ADMMessage{Data: map[string]string{"a": "b"}, ExpiresAfter: -time.Minute}.Notification, push.ErrInvalidNotification, "ADMMessage.ExpiresAfter is -1m0s"},
		{"priority", push.ADMMessage{Data: map[string]string{"a": "b"}, Priority: "max"}.Notification, push.ErrInvalidNotification, `ADMMessage.Priority "max"`},
		{"color", push.ADMMessage{Display: &push.ADMDisplay{Color: "orange"}}.Notification, push.ErrInvalidNotification, `ADMDisplay.Color "orange"`},
		{"image", push.ADMMessage{Display: &push.ADMDisplay{Image: "box.png"}}.Notification, push.ErrInvalidNotification, `ADMDisplay.Image "box.png"`},
	})
}
