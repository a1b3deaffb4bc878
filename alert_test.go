package push_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// alertNow is the time of rendering of every Alert golden file.
var alertNow = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// alertCases are the Alerts rendered on every platform into testdata/alert/NAME/PLATFORM.golden.
func alertCases() []struct {
	name  string
	alert push.Alert
} {
	return []struct {
		name  string
		alert push.Alert
	}{
		{"order_shipped", push.Alert{
			Title: "Order shipped", Body: "Your order #42 is on its way", Badge: payloadInt(3), Sound: "default",
			Data: map[string]string{"orderID": "42", "carrier": "DHL"}, Priority: push.PriorityHigh,
			Expiry: alertNow.Add(90 * time.Minute), CollapseKey: "order-42",
			Image: "https://example.com/box.png", DeepLink: "shop://orders/42",
		}},
		{"body_only", push.Alert{Body: "Your order #42 is on its way"}},
		{"badge_zero_normal", push.Alert{
			Title: "All caught up", Body: "No unread messages", Badge: payloadInt(0), Priority: push.PriorityNormal,
			Data: map[string]string{"z": "last", "a": "first", "m": "a&b=c"},
		}},
		{"overrides", push.Alert{
			Title: "Meeting in 5 minutes", Body: "Room 4",
			Apple: func(a *push.APNs) { a.Category = "MEETING"; a.InterruptionLevel = push.APNsTimeSensitive },
			FCM: func(m *push.FCMMessage) {
				m.Android = &push.FCMAndroid{Notification: &push.FCMAndroidNotification{ChannelID: "meetings"}}
			},
			Windows: func(t *push.WNSToast) {
				t.Scenario = "reminder"
				t.Actions = []push.WNSAction{{Content: "Snooze", Arguments: "snooze"}}
			},
			ADM:     func(m *push.ADMMessage) { m.Display.ChannelID = "meetings" },
			Baidu:   func(m *push.BaiduMessage) { m.NotificationBasicStyle = push.BaiduRing },
			Browser: func(w *push.WebPush) { w.RequireInteraction = true },
			Xiaomi:  func(m *push.XiaomiMessage) { m.NotifyID = 7 },
		}},
	}
}

// formatAlert writes the rendering of an Alert for a golden file: the
// notification, or the error that refused it.
func formatAlert(n push.Notification, err error) []byte {
	if err != nil {
		return []byte("Error: " + err.Error() + "\n")
	}
	return formatPayload(n)
}

func TestAlertGolden(t *testing.T) {
	for _, tc := range alertCases() {
		for _, p := range push.Platforms() {
			t.Run(tc.name+"/"+string(p), func(t *testing.T) {
				n, err := tc.alert.NotificationAt(p, alertNow)
				if err == nil {
					checkPayloadBuilt(t, n)
					assert.Equal(t, p, n.Platform)
				} else {
					assert.ErrorIs(t, err, push.ErrInvalidNotification)
					assert.Contains(t, err.Error(), "Alert as "+string(p)+": ")
				}
				payloadGolden(t, "alert/"+tc.name, string(p), formatAlert(n, err))
			})
		}
	}
}

func TestAlertRendersOnEveryPlatform(t *testing.T) {
	a := push.Alert{Title: "Order shipped", Body: "Your order #42 is on its way"}
	for _, p := range push.Platforms() {
		n, err := a.NotificationAt(p, alertNow)
		require.NoError(t, err, p)
		checkPayloadBuilt(t, n)
	}
}

func TestAlertRules(t *testing.T) {
	ok := push.Alert{Title: "t", Body: "b"}
	with := func(f func(*push.Alert)) push.Alert { a := ok; f(&a); return a }
	tests := []struct {
		name string
		a    push.Alert
		p    push.Platform
		kind error
		want string
	}{
		{"no text", push.Alert{Badge: payloadInt(1)}, push.Apple, push.ErrInvalidNotification, "Alert as apple: Alert needs a Title or a Body"},
		{"negative badge", with(func(a *push.Alert) { a.Badge = payloadInt(-1) }), push.FCMV1, push.ErrInvalidNotification, "Alert.Badge is -1"},
		{"unknown priority", with(func(a *push.Alert) { a.Priority = "urgent" }), push.Apple, push.ErrInvalidNotification, `Alert.Priority "urgent"`},
		{"expiry in the past", with(func(a *push.Alert) { a.Expiry = alertNow.Add(-time.Second) }), push.Apple, push.ErrInvalidNotification, "Alert.Expiry 2030-01-02T03:04:04Z is not after the time of rendering"},
		{"expiry now", with(func(a *push.Alert) { a.Expiry = alertNow }), push.FCMV1, push.ErrInvalidNotification, "is not after the time of rendering"},
		{"relative image", with(func(a *push.Alert) { a.Image = "box.png" }), push.FCMV1, push.ErrInvalidNotification, `Alert.Image "box.png"`},
		{"relative deep link", with(func(a *push.Alert) { a.DeepLink = "orders/42" }), push.Apple, push.ErrInvalidNotification, `Alert.DeepLink "orders/42"`},
		{"deepLink data key", with(func(a *push.Alert) { a.DeepLink = "x://y"; a.Data = map[string]string{"deepLink": "z"} }), push.FCMV1, push.ErrInvalidNotification, `Alert.Data key "deepLink" collides with Alert.DeepLink`},
		{"image data key", with(func(a *push.Alert) { a.Image = "https://e.com/i.png"; a.Data = map[string]string{"image": "z"} }), push.Apple, push.ErrInvalidNotification, `Alert.Data key "image" collides with Alert.Image`},
		{"aps data key on apple", with(func(a *push.Alert) { a.Data = map[string]string{"aps": "z"} }), push.Apple, push.ErrInvalidNotification, `Alert as apple: Alert.Data key "aps" cannot travel to apple`},
		{"empty data key", with(func(a *push.Alert) { a.Data = map[string]string{"": "z"} }), push.Apple, push.ErrInvalidNotification, "Alert.Data has an empty key"},
		{"fcm reserved data key", with(func(a *push.Alert) { a.Data = map[string]string{"from": "z"} }), push.FCMV1, push.ErrInvalidNotification, `Alert as fcmv1: FCMMessage.Data key "from" is reserved`},
		{"gcm reserved data key", with(func(a *push.Alert) { a.Data = map[string]string{"gcm.x": "z"} }), push.GCM, push.ErrInvalidNotification, `Alert as gcm: Alert.Data key "gcm.x" is reserved`},
		{"windows tag over 16", with(func(a *push.Alert) { a.CollapseKey = "order-4242424242424" }), push.Windows, push.ErrInvalidNotification, "Alert as windows: WNSToast.Tag"},
		{"apple collapse id over 64", with(func(a *push.Alert) { a.CollapseKey = strings.Repeat("c", 65) }), push.Apple, push.ErrInvalidNotification, "Alert as apple: APNs.CollapseID is 65 bytes"},
		{"adm expiry under a minute", with(func(a *push.Alert) { a.Expiry = alertNow.Add(30 * time.Second) }), push.ADM, push.ErrInvalidNotification, "Alert as adm: Alert.Expiry is 30s ahead; ADM keeps a message at least 60s"},
		{"browser needs a title", push.Alert{Body: "b"}, push.Browser, push.ErrInvalidNotification, "Alert as browser: WebPush.Title is empty"},
		{"xiaomi needs a title", push.Alert{Body: "b"}, push.Xiaomi, push.ErrInvalidNotification, "Alert as xiaomi: XiaomiMessage needs a Title"},
		{"template data key not a property name", with(func(a *push.Alert) { a.Data = map[string]string{"order-id": "1"} }), push.Template, push.ErrInvalidNotification, `Alert.Data key "order-id" cannot be a template property`},
		{"template keys differing in case", with(func(a *push.Alert) { a.Data = map[string]string{"id": "1", "ID": "2"} }), push.Template, push.ErrInvalidNotification, `template properties "data_ID" and "data_id" differ only in case`},
		{"override breaks a rule", with(func(a *push.Alert) { a.Apple = func(x *push.APNs) { x.RelevanceScore = payloadFloat(2) } }), push.Apple, push.ErrInvalidNotification, "Alert as apple: APNs.RelevanceScore is 2"},
		{"too large for apple", with(func(a *push.Alert) { a.Body = strings.Repeat("b", 5000) }), push.Apple, push.ErrPayloadTooLarge, "Alert as apple: apple body is"},
		{"unknown platform", ok, "symbian", push.ErrInvalidNotification, `unknown platform "symbian"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.a.NotificationAt(tt.p, alertNow)
			require.Error(t, err)
			assert.Zero(t, n)
			assert.ErrorIs(t, err, tt.kind)
			var pe *push.Error
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestAlertPriority(t *testing.T) {
	tests := []struct {
		priority push.Priority
		apns     string
		android  string
	}{
		{push.PriorityHigh, "10", `"priority":"high"`},
		{push.PriorityNormal, "5", `"priority":"normal"`},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.priority), func(t *testing.T) {
			a := push.Alert{Title: "t", Priority: tt.priority}
			apple, err := a.NotificationAt(push.Apple, alertNow)
			require.NoError(t, err)
			assert.Equal(t, tt.apns, apple.Header.Get("apns-priority"))
			fcm, err := a.NotificationAt(push.FCMV1, alertNow)
			require.NoError(t, err)
			if tt.android == "" {
				assert.NotContains(t, string(fcm.Body), "priority")
			} else {
				assert.Contains(t, string(fcm.Body), tt.android)
			}
		})
	}
}

func TestAlertExpiry(t *testing.T) {
	tests := []struct {
		name   string
		ahead  time.Duration
		p      push.Platform
		header string
		want   string
	}{
		{"apple is absolute", 90 * time.Minute, push.Apple, "apns-expiration", "1893558845"},
		{"windows ttl in seconds", 90*time.Minute + 500*time.Millisecond, push.Windows, "X-WNS-TTL", "5400"},
		{"windows ttl at least a second", 200 * time.Millisecond, push.Windows, "X-WNS-TTL", "1"},
		{"fcm ttl", 90 * time.Minute, push.FCMV1, "", `"ttl":"5400s"`},
		{"fcm ttl capped at 4 weeks", 60 * 24 * time.Hour, push.FCMV1, "", `"ttl":"2419200s"`},
		{"gcm ttl", 90 * time.Minute, push.GCM, "", `"time_to_live":5400`},
		{"adm expiresAfter capped at 31 days", 60 * 24 * time.Hour, push.ADM, "", `"expiresAfter":2678400`},
		{"xiaomi ttl in ms capped at 2 weeks", 60 * 24 * time.Hour, push.Xiaomi, "", `"time_to_live":1209600000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := push.Alert{Title: "t", Body: "b", Expiry: alertNow.Add(tt.ahead)}
			n, err := a.NotificationAt(tt.p, alertNow)
			require.NoError(t, err)
			if tt.header != "" {
				assert.Equal(t, tt.want, n.Header.Get(tt.header))
			} else {
				assert.Contains(t, string(n.Body), tt.want)
			}
		})
	}
}

func TestAlertTemplateProperties(t *testing.T) {
	a := push.Alert{
		Title: "Order shipped", Body: "On its way", Badge: payloadInt(0), Sound: "default",
		Data: map[string]string{"orderID": "42", "title": "not the title"}, Priority: push.PriorityHigh,
		Expiry: time.Unix(1893558845, 0), CollapseKey: "order-42", Image: "https://e.com/i.png", DeepLink: "shop://orders/42",
	}
	want := map[string]string{
		"title": "Order shipped", "body": "On its way", "badge": "0", "sound": "default",
		"priority": "high", "expiry": "1893558845", "collapseKey": "order-42",
		"image": "https://e.com/i.png", "deepLink": "shop://orders/42",
		"data_orderID": "42", "data_title": "not the title",
	}
	assert.Equal(t, want, a.TemplateProperties())

	n, err := a.NotificationAt(push.Template, alertNow)
	require.NoError(t, err)
	var got map[string]string
	require.NoError(t, json.Unmarshal(n.Body, &got))
	assert.Equal(t, want, got)

	minimal := push.Alert{Body: "b"}.TemplateProperties()
	assert.Equal(t, map[string]string{"body": "b"}, minimal, "unset fields are left out")
}

func TestAlertOverridesCannotChangeTheAlert(t *testing.T) {
	a := push.Alert{
		Title: "t", Badge: payloadInt(1), Data: map[string]string{"k": "v"},
		Apple: func(x *push.APNs) { *x.Badge = 99; x.Custom["k"] = "changed" },
		FCM:   func(m *push.FCMMessage) { m.Data["k"] = "changed"; *m.Android.Notification.NotificationCount = 99 },
		ADM:   func(m *push.ADMMessage) { m.Data["k"] = "changed" },
	}
	for _, p := range []push.Platform{push.Apple, push.FCMV1, push.ADM} {
		n, err := a.NotificationAt(p, alertNow)
		require.NoError(t, err, p)
		assert.Contains(t, string(n.Body), "changed", "the override applies to the rendering")
	}
	assert.Equal(t, 1, *a.Badge)
	assert.Equal(t, map[string]string{"k": "v"}, a.Data)
}

func TestAlertIsDeterministic(t *testing.T) {
	data := map[string]string{}
	for _, k := range strings.Split("q w e r t y u i o p a s d f g h j k l z x c v b n m", " ") {
		data[k] = strings.ToUpper(k)
	}
	a := push.Alert{Title: "t", Body: "b", Data: data}
	for _, p := range push.Platforms() {
		first, err := a.NotificationAt(p, alertNow)
		require.NoError(t, err, p)
		for i := 0; i < 20; i++ {
			again, err := a.NotificationAt(p, alertNow)
			require.NoError(t, err)
			require.Equal(t, string(first.Body), string(again.Body), p)
		}
	}
}

func TestAlertConcurrentRendering(t *testing.T) {
	a := alertCases()[0].alert
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, p := range push.Platforms() {
				_, _ = a.NotificationAt(p, alertNow)
			}
		}()
	}
	wg.Wait()
}

func TestAlertNotificationUsesTheClock(t *testing.T) {
	a := push.Alert{Title: "t", Expiry: time.Now().Add(time.Hour)}
	n, err := a.Notification(push.Windows)
	require.NoError(t, err)
	ttl := n.Header.Get("X-WNS-TTL")
	assert.True(t, ttl == "3599" || ttl == "3600", "TTL counted from now, got %s", ttl)

	_, err = push.Alert{Title: "t", Expiry: time.Now().Add(-time.Minute)}.Notification(push.Apple)
	assert.ErrorIs(t, err, push.ErrInvalidNotification)
}

func BenchmarkAlertApple(b *testing.B) {
	a := push.Alert{
		Title: "Order shipped", Body: "Your order #42 is on its way", Badge: payloadInt(3), Sound: "default",
		Data: map[string]string{"orderID": "42"}, Priority: push.PriorityHigh, CollapseKey: "order-42",
		DeepLink: "shop://orders/42",
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.NotificationAt(push.Apple, alertNow); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzAlertNotification(f *testing.F) {
	f.Add("Order shipped", "Your order #42", "orderID", "42", "order-42", "shop://orders/42", 3)
	f.Add("", "<b>&</b>", "deepLink", "x", "", "", -1)
	f.Add("\x00\xff", "\u2028", "", "", "tag-longer-than-sixteen", "https://e.com/\x7f", 0)
	f.Fuzz(func(t *testing.T, title, body, key, value, collapse, link string, badge int) {
		a := push.Alert{Title: title, Body: body, Data: map[string]string{key: value}, CollapseKey: collapse, DeepLink: link, Badge: &badge}
		for _, p := range push.Platforms() {
			n, err := a.NotificationAt(p, alertNow)
			if err != nil {
				var pe *push.Error
				if !assert.ErrorAs(t, err, &pe) || !assert.ErrorIs(t, err, push.ErrInvalidNotification) {
					t.Fatalf("%s: untyped error %v", p, err)
				}
				continue
			}
			if err := n.Validate(); err != nil {
				t.Fatalf("%s: the Alert rendered what Validate refuses: %v", p, err)
			}
		}
	})
}
