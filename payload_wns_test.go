package push_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestWNSGolden(t *testing.T) {
	runPayloadGoldens(t, []payloadCase{
		{"wns_toast", push.WNSToast{Lines: []string{"Order shipped", "Your order #42 is on its way"}}.Notification},
		{"wns_toast_full", push.WNSToast{
			Lines:       []string{"Meeting <now>", "Room 4 & 5", "Bring \"slides\""},
			Attribution: "via Calendar", Image: "https://example.com/map.png",
			HeroImage: "https://example.com/hero.png", AppLogo: "ms-appx:///Assets/logo.png",
			Launch: "action=open&id=7", ActivationType: "foreground", Scenario: "reminder", Duration: "long",
			Actions: []push.WNSAction{
				{Content: "Snooze", Arguments: "snooze", ActivationType: "background"},
				{Content: "Open", Arguments: "https://example.com/m/7", ActivationType: "protocol", ImageURI: "ms-appx:///Assets/open.png"},
			},
			Audio: "ms-winsoundevent:Notification.Reminder",
			Tag:   "meeting-7", Group: "calendar", TTL: 90 * time.Second, SuppressPopup: true,
		}.Notification},
		{"wns_toast_silent", push.WNSToast{Lines: []string{"Quiet"}, Silent: true}.Notification},
		{"wns_tile", push.WNSTile{Lines: []string{"3 new orders", "Latest: #42"}}.Notification},
		{"wns_tile_full", push.WNSTile{
			Lines: []string{"Sunny", "21°"}, Image: "https://example.com/sun.png", DisplayName: "Weather",
			Branding: "nameAndLogo", Sizes: []string{push.WNSTileSmall, push.WNSTileWide}, Tag: "weather", TTL: time.Hour,
		}.Notification},
		{"wns_badge_count", push.WNSBadge{Count: 7}.Notification},
		{"wns_badge_clear", push.WNSBadge{}.Notification},
		{"wns_badge_glyph", push.WNSBadge{Glyph: "newMessage", TTL: time.Minute}.Notification},
	})
}

func TestWNSRules(t *testing.T) {
	six := []push.WNSAction{}
	for i := 0; i < 6; i++ {
		six = append(six, push.WNSAction{Content: "b", Arguments: "a"})
	}
	runPayloadErrors(t, []payloadErrCase{
		{"toast without text", push.WNSToast{}.Notification, push.ErrInvalidNotification, "WNSToast.Lines needs a first line"},
		{"toast with empty title", push.WNSToast{Lines: []string{"", "body"}}.Notification, push.ErrInvalidNotification, "WNSToast.Lines needs a first line"},
		{"toast with four lines", push.WNSToast{Lines: []string{"a", "b", "c", "d"}}.Notification, push.ErrInvalidNotification, "WNSToast.Lines has 4 lines"},
		{"unknown scenario", push.WNSToast{Lines: []string{"a"}, Scenario: "party"}.Notification, push.ErrInvalidNotification, `WNSToast.Scenario "party"`},
		{"unknown duration", push.WNSToast{Lines: []string{"a"}, Duration: "forever"}.Notification, push.ErrInvalidNotification, `WNSToast.Duration "forever"`},
		{"unknown activation", push.WNSToast{Lines: []string{"a"}, ActivationType: "sideways"}.Notification, push.ErrInvalidNotification, `WNSToast.ActivationType "sideways"`},
		{"protocol launch not a URI", push.WNSToast{Lines: []string{"a"}, ActivationType: "protocol", Launch: "id=7"}.Notification, push.ErrInvalidNotification, "WNSToast.Launch (a protocol activation)"},
		{"six actions", push.WNSToast{Lines: []string{"a"}, Actions: six}.Notification, push.ErrInvalidNotification, "WNSToast.Actions has 6 buttons"},
		{"action without arguments", push.WNSToast{Lines: []string{"a"}, Actions: []push.WNSAction{{Content: "b"}}}.Notification, push.ErrInvalidNotification, "WNSToast.Actions[0] needs both Content"},
		{"action activation", push.WNSToast{Lines: []string{"a"}, Actions: []push.WNSAction{{Content: "b", Arguments: "c", ActivationType: "x"}}}.Notification, push.ErrInvalidNotification, `WNSToast.Actions[0].ActivationType "x"`},
		{"relative image", push.WNSToast{Lines: []string{"a"}, Image: "map.png"}.Notification, push.ErrInvalidNotification, `WNSToast.Image "map.png"`},
		{"tag over 16", push.WNSToast{Lines: []string{"a"}, Tag: strings.Repeat("t", 17)}.Notification, push.ErrInvalidNotification, "WNSToast.Tag"},
		{"group over 16", push.WNSToast{Lines: []string{"a"}, Group: strings.Repeat("g", 17)}.Notification, push.ErrInvalidNotification, "WNSToast.Group"},
		{"negative toast TTL", push.WNSToast{Lines: []string{"a"}, TTL: -time.Second}.Notification, push.ErrInvalidNotification, "WNSToast.TTL is -1s"},
		{"toast over 5 KB", push.WNSToast{Lines: []string{strings.Repeat("x", 5<<10)}}.Notification, push.ErrPayloadTooLarge, "WNS accepts at most 5120"},
		{"empty tile", push.WNSTile{}.Notification, push.ErrInvalidNotification, "WNSTile has neither Lines nor Image"},
		{"unknown tile size", push.WNSTile{Lines: []string{"a"}, Sizes: []string{"TileHuge"}}.Notification, push.ErrInvalidNotification, `WNSTile.Sizes has "TileHuge"`},
		{"unknown branding", push.WNSTile{Lines: []string{"a"}, Branding: "loud"}.Notification, push.ErrInvalidNotification, `WNSTile.Branding "loud"`},
		{"tile tag over 16", push.WNSTile{Lines: []string{"a"}, Tag: strings.Repeat("t", 17)}.Notification, push.ErrInvalidNotification, "WNSTile.Tag"},
		{"negative badge", push.WNSBadge{Count: -1}.Notification, push.ErrInvalidNotification, "WNSBadge.Count is -1"},
		{"unknown glyph", push.WNSBadge{Glyph: "smile"}.Notification, push.ErrInvalidNotification, `WNSBadge.Glyph "smile" is not a WNS glyph`},
		{"numeric glyph", push.WNSBadge{Glyph: "7"}.Notification, push.ErrInvalidNotification, `WNSBadge.Glyph "7"`},
		{"count and glyph", push.WNSBadge{Count: 2, Glyph: "alert"}.Notification, push.ErrInvalidNotification, "WNSBadge has both Count 2 and Glyph"},
		{"negative badge TTL", push.WNSBadge{Count: 1, TTL: -time.Second}.Notification, push.ErrInvalidNotification, "WNSBadge.TTL"},
	})
}

func TestWNSTypesComeFromTheBuilder(t *testing.T) {
	tests := []struct {
		name  string
		build func() (push.Notification, error)
		want  string
	}{
		{"toast", push.WNSToast{Lines: []string{"a"}}.Notification, "wns/toast"},
		{"tile", push.WNSTile{Lines: []string{"a"}}.Notification, "wns/tile"},
		{"badge", push.WNSBadge{Count: 1}.Notification, "wns/badge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.build()
			require.NoError(t, err)
			assert.Equal(t, tt.want, n.Header.Get("X-WNS-Type"))
			assert.Equal(t, push.ContentTypeXML, n.ContentType)
		})
	}
}

func TestWNSBadgeValues(t *testing.T) {
	for _, glyph := range []string{"none", "activity", "alarm", "alert", "attention", "available", "away",
		"busy", "error", "newMessage", "paused", "playing", "unavailable"} {
		n, err := push.WNSBadge{Glyph: glyph}.Notification()
		require.NoError(t, err, glyph)
		assert.Equal(t, `<badge value="`+glyph+`"></badge>`, string(n.Body))
	}
	n, err := push.WNSBadge{Count: 150}.Notification()
	require.NoError(t, err)
	assert.Equal(t, `<badge value="150"></badge>`, string(n.Body), "WNS shows 99+ itself")
}
