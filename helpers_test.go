package push_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// The seed sample's send_*_notification family, one for one.
func TestHelpersMatchTheSeedSample(t *testing.T) {
	seedPayload := map[string]any{"data": map[string]string{"msg": "Hello!"}}
	tests := []struct {
		name     string
		build    func() (push.Notification, error)
		platform push.Platform
		body     string
		header   http.Header
	}{
		{"send_apple_notification", func() (push.Notification, error) { return push.AppleNotification(seedPayload) }, push.Apple, `{"data":{"msg":"Hello!"}}`, nil},
		{"send_gcm_notification", func() (push.Notification, error) { return push.GCMNotification(seedPayload) }, push.GCM, `{"data":{"msg":"Hello!"}}`, nil},
		{"send_adm_notification", func() (push.Notification, error) { return push.ADMNotification(seedPayload) }, push.ADM, `{"data":{"msg":"Hello!"}}`, nil},
		{"send_baidu_notification", func() (push.Notification, error) { return push.BaiduNotification(seedPayload) }, push.Baidu, `{"data":{"msg":"Hello!"}}`, nil},
		{"send_windows_notification", func() (push.Notification, error) { return push.WindowsNotification(wnsToastBody) }, push.Windows, wnsToastBody, http.Header{"X-Wns-Type": {"wns/toast"}}},
		{"send_mpns_notification", func() (push.Notification, error) { return push.MPNSNotification(mpnsToast) }, push.WindowsPhone, mpnsToast,
			http.Header{"X-Windowsphone-Target": {"toast"}, "X-Notificationclass": {"2"}}},
		{"send_template_notification", func() (push.Notification, error) {
			return push.TemplateNotification(map[string]string{"greeting_en": "Hello", "greeting_fr": "Salut"})
		}, push.Template, `{"greeting_en":"Hello","greeting_fr":"Salut"}`, nil},
		{"fcmv1", func() (push.Notification, error) {
			return push.FCMV1Notification(map[string]any{"message": map[string]any{"notification": map[string]string{"title": "Hi"}}})
		}, push.FCMV1, `{"message":{"notification":{"title":"Hi"}}}`, nil},
		{"browser", func() (push.Notification, error) { return push.BrowserNotification(`{"title":"Hi"}`) }, push.Browser, `{"title":"Hi"}`, nil},
		{"xiaomi", func() (push.Notification, error) { return push.XiaomiNotification([]byte(`{"title":"Hi"}`)) }, push.Xiaomi, `{"title":"Hi"}`, nil},
		{"raw json", func() (push.Notification, error) { return push.AppleNotification(json.RawMessage(`{"aps":{}}`)) }, push.Apple, `{"aps":{}}`, nil},
		{"no html escaping", func() (push.Notification, error) {
			return push.AppleNotification(map[string]any{"aps": map[string]string{"alert": "Tom & Jerry <3"}})
		}, push.Apple, `{"aps":{"alert":"Tom & Jerry <3"}}`, nil},
		{"wns toast", func() (push.Notification, error) { return push.WindowsToastNotification(`<toast launch="x"/>`) }, push.Windows, `<toast launch="x"/>`, http.Header{"X-Wns-Type": {"wns/toast"}}},
		{"wns tile", func() (push.Notification, error) { return push.WindowsTileNotification(`<tile/>`) }, push.Windows, `<tile/>`, http.Header{"X-Wns-Type": {"wns/tile"}}},
		{"wns badge number", func() (push.Notification, error) { return push.WindowsBadgeNotification("7") }, push.Windows, `<badge value="7"></badge>`, http.Header{"X-Wns-Type": {"wns/badge"}}},
		{"wns badge glyph", func() (push.Notification, error) { return push.WindowsBadgeNotification("newMessage") }, push.Windows, `<badge value="newMessage"></badge>`, http.Header{"X-Wns-Type": {"wns/badge"}}},
		{"wns raw", func() (push.Notification, error) { return push.WindowsRawNotification([]byte{0, 1, 2}) }, push.Windows, "\x00\x01\x02", http.Header{"X-Wns-Type": {"wns/raw"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.build()
			require.NoError(t, err)
			assert.Equal(t, tt.platform, n.Platform)
			assert.Equal(t, tt.body, string(n.Body))
			assert.Equal(t, tt.header, n.Header)
		})
	}
}

func TestHelpersRefuse(t *testing.T) {
	tests := []struct {
		name  string
		build func() (push.Notification, error)
		want  string
	}{
		{"json helper with xml platform", func() (push.Notification, error) { return push.JSONNotification(push.Windows, "{}", nil) }, `JSONNotification takes a JSON platform, not "windows"`},
		{"unmarshalable", func() (push.Notification, error) { return push.AppleNotification(make(chan int)) }, "apple payload: json: unsupported type: chan int"},
		{"apple not an object", func() (push.Notification, error) { return push.AppleNotification([]string{"x"}) }, "apple body must be a JSON object"},
		{"empty template", func() (push.Notification, error) { return push.TemplateNotification(nil) }, "template notification needs at least one property"},
		{"toast helper with tile", func() (push.Notification, error) { return push.WindowsToastNotification(`<tile/>`) }, "X-WNS-Type is wns/toast but the body's root element makes it wns/tile"},
		{"badge bad value", func() (push.Notification, error) { return push.WindowsBadgeNotification("lots") }, `badge value "lots" is neither a number nor a WNS glyph`},
		{"badge negative", func() (push.Notification, error) { return push.WindowsBadgeNotification("-1") }, `badge value "-1"`},
		{"fcmv1 shape", func() (push.Notification, error) { return push.FCMV1Notification(map[string]int{"message": 1}) }, "fcmv1 message: must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.build()
			assert.ErrorIs(t, err, push.ErrInvalidNotification)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}
