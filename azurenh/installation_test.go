package azurenh_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

func TestInstallationPlatformFormat(t *testing.T) {
	pairs := map[azurenh.InstallationPlatform]push.Platform{
		azurenh.InstallationAPNS: push.Apple, azurenh.InstallationFCMV1: push.FCMV1, azurenh.InstallationGCM: push.GCM, //lint:ignore SA1019 legacy GCM is still mapped
		azurenh.InstallationWNS: push.Windows, azurenh.InstallationMPNS: push.WindowsPhone, azurenh.InstallationADM: push.ADM,
		azurenh.InstallationBaidu: push.Baidu, azurenh.InstallationBrowser: push.Browser, azurenh.InstallationXiaomi: push.Xiaomi,
	}
	require.Len(t, azurenh.InstallationPlatforms(), len(pairs))
	for _, p := range azurenh.InstallationPlatforms() {
		assert.Equal(t, pairs[p], p.PushPlatform(), p)
		back, ok := azurenh.InstallationPlatformFor(p.PushPlatform())
		assert.True(t, ok)
		assert.Equal(t, p, back)
	}
	_, ok := azurenh.InstallationPlatformFor(push.Template)
	assert.False(t, ok, "no installation has the template format")
	assert.Equal(t, push.Platform(""), azurenh.InstallationPlatform("apple").PushPlatform(), "the send format is not an installation platform")
}

func TestInstallationPlatformAnyCase(t *testing.T) {
	var in azurenh.Installation
	require.NoError(t, json.Unmarshal([]byte(`{"installationId":"a","platform":"Apns","pushChannel":"00"}`), &in))
	assert.Equal(t, azurenh.InstallationAPNS, in.Platform, "the .NET SDK writes the platform capitalized")
	require.NoError(t, json.Unmarshal([]byte(`{"installationId":"a","platform":"Ios","pushChannel":"00"}`), &in))
	assert.Equal(t, azurenh.InstallationPlatform("Ios"), in.Platform, "an unknown platform is kept for Validate")
}

// sampleInstallation returns a valid installation of platform p with every
// field the platform takes.
func sampleInstallation(p azurenh.InstallationPlatform) azurenh.Installation {
	in := azurenh.Installation{
		ID: "inst-" + string(p) + "_1.0", UserID: "ada@example.com", Platform: p,
		Tags: []string{"sports", "city_Boston"}, PushVariables: map[string]string{"firstName": "Ada"},
	}
	switch p {
	case azurenh.InstallationBrowser:
		in.PushChannel = azurenh.BrowserChannel(push.BrowserSubscription{Endpoint: "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91", P256DH: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA", Auth: "tBHItJI5svbpez7KI4CCXg"})
	case azurenh.InstallationAPNS:
		in.PushChannel = azurenh.HandleChannel(sampleToken)
	case azurenh.InstallationWNS, azurenh.InstallationMPNS:
		in.PushChannel = azurenh.HandleChannel(sampleChannel)
	default:
		in.PushChannel = azurenh.HandleChannel(sampleFCM)
	}
	in.Templates = map[string]azurenh.InstallationTemplate{"scores": sampleTemplate(p)}
	if p == azurenh.InstallationWNS {
		in.SecondaryTiles = map[string]azurenh.SecondaryTile{"tile1": {PushChannel: sampleChannel + "2", Tags: []string{"tile"}}}
	}
	return in
}

func sampleTemplate(p azurenh.InstallationPlatform) azurenh.InstallationTemplate {
	switch p {
	case azurenh.InstallationAPNS:
		return azurenh.InstallationTemplate{Body: `{"aps":{"alert":"$(team) scored"}}`, Expiry: "$(expiry)",
			Headers: map[string]string{"apns-push-type": "alert"}, Tags: []string{"scores"}}
	case azurenh.InstallationWNS:
		return azurenh.InstallationTemplate{Body: `<toast><visual><binding template="ToastText01"><text id="1">$(team)</text></binding></visual></toast>`,
			Headers: map[string]string{"X-WNS-Type": "wns/toast"}}
	case azurenh.InstallationMPNS:
		return azurenh.InstallationTemplate{Body: `<wp:Notification xmlns:wp="WPNotification"><wp:Toast><wp:Text1>$(team)</wp:Text1></wp:Toast></wp:Notification>`,
			Headers: map[string]string{"X-WindowsPhone-Target": "toast", "X-NotificationClass": "2"}}
	}
	return azurenh.InstallationTemplate{Body: `{"message":{"notification":{"title":"$(team)"}}}`, Tags: []string{"scores"}}
}

// TestEncodeInstallationRequestGolden pins the JSON of an installation of every
// platform.
func TestEncodeInstallationRequestGolden(t *testing.T) {
	for _, p := range azurenh.InstallationPlatforms() {
		t.Run(string(p), func(t *testing.T) {
			body, err := azurenh.EncodeInstallationRequest(sampleInstallation(p))
			require.NoError(t, err)
			checkMgmtGolden(t, "installation_"+string(p), body)
		})
	}
}

func TestEncodeInstallationRequestDropsReadOnly(t *testing.T) {
	in := sampleInstallation(azurenh.InstallationFCMV1)
	expired := true
	now := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
	in.PushChannelExpired, in.ExpirationTime, in.LastActiveOn, in.LastUpdate = &expired, &now, &now, &now
	body, err := azurenh.EncodeInstallationRequest(in)
	require.NoError(t, err)
	for _, field := range []string{"pushChannelExpired", "expirationTime", "lastActiveOn", "lastUpdate"} {
		assert.NotContains(t, string(body), field)
	}
	assert.NotNil(t, in.LastUpdate, "the caller's installation is not modified")
}

// TestInstallationRoundTrip marshals an installation of every platform with
// its read-only fields, as the service answers, and reads it back.
func TestInstallationRoundTrip(t *testing.T) {
	for _, p := range azurenh.InstallationPlatforms() {
		t.Run(string(p), func(t *testing.T) {
			want := sampleInstallation(p)
			expired := false
			at := time.Date(2031, 1, 2, 3, 4, 5, 600000000, time.UTC)
			want.PushChannelExpired, want.ExpirationTime, want.LastActiveOn, want.LastUpdate = &expired, &at, &at, &at
			body, err := json.Marshal(want)
			require.NoError(t, err)
			var got azurenh.Installation
			require.NoError(t, json.Unmarshal(body, &got))
			assert.Equal(t, want, got)
		})
	}
}

// serviceInstallation is an installation as the service answers a read, with
// values of our own: times without a zone, a field this package does not know.
const serviceInstallation = `{
  "installationId": "d2ab8c0e-6b83-4a2f-9a5e-3f0c7b1e2d44",
  "userId": "ada",
  "platform": "browser",
  "pushChannel": {"endpoint": "https://updates.push.services.mozilla.com/wpush/v2/gAAAA", "p256dh": "BOr9", "auth": "8eDy"},
  "pushChannelExpired": false,
  "expirationTime": "9999-12-31T23:59:59.9999999",
  "lastActiveOn": "2031-05-06T07:08:09.123Z",
  "lastUpdate": "2031-05-06T07:08:10+02:00",
  "tags": ["news"],
  "templates": {"breaking": {"body": "{\"title\":\"$(title)\"}", "tags": ["breaking"]}},
  "appId": "ignored"
}`

func TestDecodeServiceInstallation(t *testing.T) {
	var got azurenh.Installation
	require.NoError(t, json.Unmarshal([]byte(serviceInstallation), &got))
	require.NoError(t, got.Validate())
	assert.Equal(t, "d2ab8c0e-6b83-4a2f-9a5e-3f0c7b1e2d44", got.ID)
	assert.Equal(t, push.BrowserSubscription{Endpoint: "https://updates.push.services.mozilla.com/wpush/v2/gAAAA", P256DH: "BOr9", Auth: "8eDy"}, *got.PushChannel.Subscription)
	assert.Equal(t, "https://updates.push.services.mozilla.com/wpush/v2/gAAAA", got.PushChannel.DeviceHandle())
	require.NotNil(t, got.PushChannelExpired)
	assert.False(t, *got.PushChannelExpired)
	assert.Equal(t, time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC), *got.ExpirationTime)
	assert.True(t, got.LastUpdate.Equal(time.Date(2031, 5, 6, 5, 8, 10, 0, time.UTC)))
	assert.Equal(t, []string{"breaking"}, got.Templates["breaking"].Tags)
}

func TestDecodeInstallationBadTime(t *testing.T) {
	var in azurenh.Installation
	err := json.Unmarshal([]byte(`{"installationId":"a","lastUpdate":"yesterday"}`), &in)
	require.EqualError(t, err, `time "yesterday" is not in RFC 3339 form`)
}

func TestPushChannelJSON(t *testing.T) {
	cases := []struct {
		name, json string
		want       azurenh.PushChannel
	}{
		{"handle", `"abc"`, azurenh.HandleChannel("abc")},
		{"null", `null`, azurenh.PushChannel{}},
		{"browser", `{"endpoint":"https://e/1","p256dh":"k","auth":"a"}`, azurenh.BrowserChannel(push.BrowserSubscription{Endpoint: "https://e/1", P256DH: "k", Auth: "a"})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got azurenh.PushChannel
			require.NoError(t, json.Unmarshal([]byte(c.json), &got))
			assert.Equal(t, c.want, got)
			if c.name != "null" {
				back, err := json.Marshal(got)
				require.NoError(t, err)
				assert.JSONEq(t, c.json, string(back))
			}
		})
	}
	var got azurenh.PushChannel
	assert.EqualError(t, json.Unmarshal([]byte(`42`), &got), `pushChannel must be a string or a browser subscription {"endpoint","p256dh","auth"}`)
}

func TestInstallationClone(t *testing.T) {
	in := sampleInstallation(azurenh.InstallationBrowser)
	c := in.Clone()
	c.Tags[0], c.PushVariables["firstName"] = "changed", "changed"
	c.Templates["scores"].Tags[0] = "changed"
	c.PushChannel.Subscription.Auth = "changed"
	assert.Equal(t, sampleInstallation(azurenh.InstallationBrowser), in)
}

func TestInstallationValidate(t *testing.T) {
	cases := []struct {
		name     string
		platform azurenh.InstallationPlatform
		edit     func(*azurenh.Installation)
		want     string
	}{
		{"no ID", azurenh.InstallationAPNS, func(in *azurenh.Installation) { in.ID = "" }, "installation ID is empty"},
		{"ID colon", azurenh.InstallationAPNS, func(in *azurenh.Installation) { in.ID = "fcm:abc" },
			`installation ID "fcm:abc": ":" at column 4 is not allowed (allowed: letters, digits, '.', '-' and '_')`},
		{"ID too long", azurenh.InstallationAPNS, func(in *azurenh.Installation) { in.ID = strings.Repeat("a", 103) },
			"installation ID is 103 bytes; at most 102"},
		{"platform", azurenh.InstallationAPNS, func(in *azurenh.Installation) { in.Platform = "apple" },
			`platform "apple" is not an installation platform (the send format "apple" is "apns" for installations); want one of apns, fcmv1, gcm, wns, mpns, adm, baidu, browser, xiaomi`},
		{"no channel", azurenh.InstallationFCMV1, func(in *azurenh.Installation) { in.PushChannel = azurenh.PushChannel{} }, "fcmv1 push channel is empty"},
		{"token not hex", azurenh.InstallationAPNS, func(in *azurenh.Installation) { in.PushChannel = azurenh.HandleChannel("tok") },
			`apns push channel "tok" is not an APNs device token (an even number of hex digits)`},
		{"WNS not a URL", azurenh.InstallationWNS, func(in *azurenh.Installation) { in.PushChannel = azurenh.HandleChannel("channel") },
			`wns push channel "channel" is not an absolute channel URI`},
		{"browser string", azurenh.InstallationBrowser, func(in *azurenh.Installation) { in.PushChannel = azurenh.HandleChannel("https://e/1") },
			`browser push channel must be a Web Push subscription {"endpoint","p256dh","auth"}; use BrowserChannel`},
		{"subscription elsewhere", azurenh.InstallationFCMV1, func(in *azurenh.Installation) {
			in.PushChannel = azurenh.BrowserChannel(push.BrowserSubscription{Endpoint: "https://e/1", P256DH: "k", Auth: "a"})
		}, "fcmv1 push channel must be a device handle, not a browser subscription"},
		{"browser keys", azurenh.InstallationBrowser, func(in *azurenh.Installation) { in.PushChannel.Subscription.P256DH = "" },
			"browser push channel: browser subscription needs its P256DH and Auth keys"},
		{"browser endpoint", azurenh.InstallationBrowser, func(in *azurenh.Installation) { in.PushChannel.Subscription.Endpoint = "/relative" },
			`browser push channel endpoint "/relative" is not an absolute URL`},
		{"user ID", azurenh.InstallationFCMV1, func(in *azurenh.Installation) { in.UserID = "ada lovelace" },
			`user ID "ada lovelace": a space at column 4 is not allowed (allowed: letters, digits and _ @ # . : - =)`},
		{"reserved tag", azurenh.InstallationFCMV1, func(in *azurenh.Installation) { in.Tags = []string{"ok", "$UserId:{bob}"} },
			`tags[1]: tag "$UserId:{bob}" is reserved: the service adds the $InstallationId and $UserId tags itself`},
		{"bad tag", azurenh.InstallationFCMV1, func(in *azurenh.Installation) { in.Tags = []string{"a,b"} },
			`tags[0]: tag "a,b": "," at column 2 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)`},
		{"61 tags", azurenh.InstallationFCMV1, func(in *azurenh.Installation) { in.Tags = manyTags(61) }, "61 tags; an installation carries at most 60"},
		{"tag bytes", azurenh.InstallationFCMV1, func(in *azurenh.Installation) {
			in.Tags = longTags(40, "a")
			in.Templates["scores"] = azurenh.InstallationTemplate{Body: "{}", Tags: longTags(40, "b")}
		}, "the tags take 9679 bytes joined by commas (the installation's and its templates'); at most 8000"},
		{"template name", azurenh.InstallationFCMV1, func(in *azurenh.Installation) {
			in.Templates["a/b"] = azurenh.InstallationTemplate{Body: "{}"}
		}, `template name "a/b": "/" at column 2 is not allowed (no '/', '~', space or control character)`},
		{"template body", azurenh.InstallationFCMV1, func(in *azurenh.Installation) { in.Templates["scores"] = azurenh.InstallationTemplate{} },
			`template "scores" has an empty body`},
		{"template tag", azurenh.InstallationFCMV1, func(in *azurenh.Installation) {
			in.Templates["scores"] = azurenh.InstallationTemplate{Body: "{}", Tags: []string{""}}
		}, `templates["scores"].tags[0]: tag is empty; a tag has 1 to 120 characters`},
		{"WNS template type", azurenh.InstallationWNS, func(in *azurenh.Installation) {
			in.Templates["scores"] = azurenh.InstallationTemplate{Body: "<toast/>"}
		}, `template "scores" of a wns installation needs the header X-WNS-Type (wns/toast, wns/tile, wns/badge or wns/raw)`},
		{"headers on fcmv1", azurenh.InstallationFCMV1, func(in *azurenh.Installation) {
			in.Templates["scores"] = azurenh.InstallationTemplate{Body: "{}", Headers: map[string]string{"X-A": "b"}}
		}, `template "scores" has headers, which only wns, mpns and apns installations take`},
		{"APNs header name", azurenh.InstallationAPNS, func(in *azurenh.Installation) {
			in.Templates["scores"] = azurenh.InstallationTemplate{Body: "{}", Headers: map[string]string{"Priority": "10"}}
		}, `template "scores": header Priority is not an APNs header (apns-*)`},
		{"expiry on fcmv1", azurenh.InstallationFCMV1, func(in *azurenh.Installation) {
			in.Templates["scores"] = azurenh.InstallationTemplate{Body: "{}", Expiry: "0"}
		}, `template "scores" has an expiry, which only apns installations take`},
		{"tiles elsewhere", azurenh.InstallationAPNS, func(in *azurenh.Installation) {
			in.SecondaryTiles = map[string]azurenh.SecondaryTile{"t": {PushChannel: sampleChannel}}
		}, "secondary tiles are for wns installations, not apns"},
		{"tile channel", azurenh.InstallationWNS, func(in *azurenh.Installation) { in.SecondaryTiles["tile1"] = azurenh.SecondaryTile{} },
			`secondary tile "tile1" push channel is empty`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := sampleInstallation(c.platform).Clone()
			c.edit(&in)
			requireInvalid(t, in.Validate(), "azurenh: installation", c.want)
			_, err := azurenh.EncodeInstallationRequest(in)
			requireInvalid(t, err, "azurenh: installation", c.want)
		})
	}
}

// longTags returns n distinct tags of 120 characters starting with prefix.
func longTags(n int, prefix string) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = prefix + strings.Repeat("x", 117) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	return tags
}

func TestEveryInstallationValidates(t *testing.T) {
	for _, p := range azurenh.InstallationPlatforms() {
		assert.NoError(t, sampleInstallation(p).Validate(), p)
	}
	max := sampleInstallation(azurenh.InstallationFCMV1)
	max.ID, max.UserID = strings.Repeat("i", azurenh.MaxInstallationIDLength), strings.Repeat("u", azurenh.MaxUserIDLength)
	max.Tags = manyTags(60)
	require.NoError(t, max.Validate(), "the limits are inclusive")
	assert.NoError(t, push.Installation(max.ID).Err(), "an installation ID that validates can be addressed")
	assert.NoError(t, push.User(max.UserID).Err(), "a user ID that validates can be addressed")
}
