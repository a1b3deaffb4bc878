package push_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestAPNsGolden(t *testing.T) {
	runPayloadGoldens(t, []payloadCase{
		{"apns_alert", push.APNs{Title: "Order shipped", Body: "Your order #42 is on its way"}.Notification},
		{"apns_full", push.APNs{
			Title: "Game request", Subtitle: "Five card draw", Body: "Bob wants to play poker",
			LaunchImage: "poker.png", Badge: payloadInt(9), Sound: "bingbong.aiff",
			ThreadID: "game-42", Category: "GAME_INVITATION", MutableContent: true,
			InterruptionLevel: push.APNsTimeSensitive, RelevanceScore: payloadFloat(0.75),
			TargetContentID: "window-1", FilterCriteria: "work",
			Custom:   map[string]any{"gameID": "12345678", "players": []string{"bob", "alice"}, "z": 1},
			Priority: 10, Expiration: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
			CollapseID: "game-42", ID: "123e4567-e89b-12d3-a456-4266554400a0",
		}.Notification},
		{"apns_localized", push.APNs{
			TitleLocKey: "GAME_TITLE", TitleLocArgs: []string{"Poker"},
			SubtitleLocKey: "GAME_SUB", SubtitleLocArgs: []string{"5"},
			LocKey: "GAME_PLAY_REQUEST_FORMAT", LocArgs: []string{"Jenna", "Frank"},
		}.Notification},
		{"apns_badge_zero", push.APNs{Badge: payloadInt(0)}.Notification},
		{"apns_critical", push.APNs{
			Title: "Glucose low", Body: "54 mg/dL",
			CriticalSound:     &push.APNsCriticalSound{Name: "alarm.caf", Volume: 0.8},
			InterruptionLevel: push.APNsCritical,
		}.Notification},
		{"apns_background", push.APNs{ContentAvailable: true, Custom: map[string]any{"sync": "inbox"}, Priority: 5}.Notification},
		{"apns_deliver_once", push.APNs{Body: "Now or never", Expiration: time.Unix(0, 0)}.Notification},
		{"apns_html_not_escaped", push.APNs{Body: "<b>Tom & Jerry</b>"}.Notification},
	})
}

func TestAPNsRules(t *testing.T) {
	runPayloadErrors(t, []payloadErrCase{
		{"empty payload", push.APNs{}.Notification, push.ErrInvalidNotification, "APNs payload is empty"},
		{"aps as a custom key", push.APNs{Body: "x", Custom: map[string]any{"aps": 1}}.Notification, push.ErrInvalidNotification, `APNs.Custom may not hold "aps"`},
		{"empty custom key", push.APNs{Body: "x", Custom: map[string]any{"": 1}}.Notification, push.ErrInvalidNotification, "APNs.Custom has an empty key"},
		{"custom value not JSON", push.APNs{Body: "x", Custom: map[string]any{"f": func() {}}}.Notification, push.ErrInvalidNotification, `APNs.Custom["f"]`},
		{"relevance above 1", push.APNs{Body: "x", RelevanceScore: payloadFloat(1.5)}.Notification, push.ErrInvalidNotification, "APNs.RelevanceScore is 1.5"},
		{"relevance below 0", push.APNs{Body: "x", RelevanceScore: payloadFloat(-0.1)}.Notification, push.ErrInvalidNotification, "APNs.RelevanceScore is -0.1"},
		{"critical volume above 1", push.APNs{Body: "x", CriticalSound: &push.APNsCriticalSound{Volume: 2}}.Notification, push.ErrInvalidNotification, "APNs.CriticalSound.Volume is 2"},
		{"critical volume below 0", push.APNs{Body: "x", CriticalSound: &push.APNsCriticalSound{Volume: -1}}.Notification, push.ErrInvalidNotification, "APNs.CriticalSound.Volume is -1"},
		{"two sounds", push.APNs{Body: "x", Sound: "a", CriticalSound: &push.APNsCriticalSound{Volume: 1}}.Notification, push.ErrInvalidNotification, "APNs.Sound and APNs.CriticalSound are both set"},
		{"negative badge", push.APNs{Badge: payloadInt(-1)}.Notification, push.ErrInvalidNotification, "APNs.Badge is -1"},
		{"unknown interruption level", push.APNs{Body: "x", InterruptionLevel: "loud"}.Notification, push.ErrInvalidNotification, `APNs.InterruptionLevel "loud"`},
		{"title args without key", push.APNs{Body: "x", TitleLocArgs: []string{"a"}}.Notification, push.ErrInvalidNotification, "APNs.TitleLocArgs needs APNs.TitleLocKey"},
		{"subtitle args without key", push.APNs{Body: "x", SubtitleLocArgs: []string{"a"}}.Notification, push.ErrInvalidNotification, "APNs.SubtitleLocArgs needs APNs.SubtitleLocKey"},
		{"body args without key", push.APNs{Body: "x", LocArgs: []string{"a"}}.Notification, push.ErrInvalidNotification, "APNs.LocArgs needs APNs.LocKey"},
		{"priority 7", push.APNs{Body: "x", Priority: 7}.Notification, push.ErrInvalidNotification, "APNs.Priority is 7"},
		{"background at priority 10", push.APNs{ContentAvailable: true, Priority: 10}.Notification, push.ErrInvalidNotification, "apns-priority 10 is refused by APNs for apns-push-type background"},
		{"malformed push type", push.APNs{Body: "x", PushType: "Banner"}.Notification, push.ErrInvalidNotification, `apns-push-type "Banner" is not a push type`},
		{"expiration looks like a TTL", push.APNs{Body: "x", Expiration: time.Unix(3600, 0)}.Notification, push.ErrInvalidNotification, "APNs.Expiration 1970-01-01T01:00:00Z is before 2001-09-09"},
		{"collapse ID over 64 bytes", push.APNs{Body: "x", CollapseID: strings.Repeat("c", 65)}.Notification, push.ErrInvalidNotification, "APNs.CollapseID is 65 bytes"},
		{"apns-id not a UUID", push.APNs{Body: "x", ID: "42"}.Notification, push.ErrInvalidNotification, `apns-id "42" is not a UUID`},
		{"over 4 KB", push.APNs{Body: strings.Repeat("b", 4096)}.Notification, push.ErrPayloadTooLarge, "accepts at most 4096"},
	})
}

func TestAPNsSizeLimitIsInclusive(t *testing.T) {
	base, err := push.APNs{Body: ""}.Notification()
	require.Error(t, err, "an empty alert is no payload")
	_ = base
	overhead := len(`{"aps":{"alert":{"body":""}}}`)
	n, err := push.APNs{Body: strings.Repeat("b", push.MaxAppleBodySize-overhead)}.Notification()
	require.NoError(t, err)
	assert.Len(t, n.Body, push.MaxAppleBodySize)
	_, err = push.APNs{Body: strings.Repeat("b", push.MaxAppleBodySize-overhead+1)}.Notification()
	assert.ErrorIs(t, err, push.ErrPayloadTooLarge)
}

func TestAPNsHeaders(t *testing.T) {
	tests := []struct {
		name string
		in   push.APNs
		want map[string]string
	}{
		{"alert by default", push.APNs{Body: "x"}, map[string]string{"Apns-Push-Type": "alert"}},
		{"background when only content-available", push.APNs{ContentAvailable: true}, map[string]string{"Apns-Push-Type": "background"}},
		{"alert when content-available has a badge", push.APNs{ContentAvailable: true, Badge: payloadInt(1)}, map[string]string{"Apns-Push-Type": "alert"}},
		{"explicit push type wins", push.APNs{Body: "x", PushType: "voip"}, map[string]string{"Apns-Push-Type": "voip"}},
		{"priority 5", push.APNs{Body: "x", Priority: 5}, map[string]string{"Apns-Push-Type": "alert", "Apns-Priority": "5"}},
		{"expiration in unix seconds", push.APNs{Body: "x", Expiration: time.Date(2030, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))},
			map[string]string{"Apns-Push-Type": "alert", "Apns-Expiration": "1893452400"}},
		{"deliver once", push.APNs{Body: "x", Expiration: time.Unix(0, 0)}, map[string]string{"Apns-Push-Type": "alert", "Apns-Expiration": "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.in.Notification()
			require.NoError(t, err)
			got := map[string]string{}
			for k := range n.Header {
				got[k] = n.Header.Get(k)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAPNsDoesNotModifyItsInput(t *testing.T) {
	custom := map[string]any{"k": "v"}
	badge := payloadInt(3)
	a := push.APNs{Body: "x", Badge: badge, Custom: custom}
	_, err := a.Notification()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"k": "v"}, custom)
	assert.Equal(t, 3, *badge)
}
