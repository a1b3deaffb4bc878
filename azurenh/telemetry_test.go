package azurenh_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// serviceDetails is telemetry as the service answers it, shaped like the
// documentation's example with values of our own, plus the platforms added
// since (FCM v1, browser, Xiaomi), one the service may add later, a state this
// package does not know and elements out of order.
const serviceDetails = `<?xml version="1.0" encoding="utf-8"?>
<NotificationDetails xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <NotificationId>7c1b3e2a9f0d4c6b8a5e1d3f7b9c2a4e-638412345678901234-1</NotificationId>
  <Location>sb://contoso.servicebus.windows.net/scores/messages/7c1b3e2a9f0d4c6b8a5e1d3f7b9c2a4e-638412345678901234-1?api-version=2020-06</Location>
  <State>PartiallyDelivered</State>
  <EnqueueTime>2031-03-04T05:06:07Z</EnqueueTime>
  <StartTime>2031-03-04T05:06:07.5123456Z</StartTime>
  <EndTime>2031-03-04T05:06:09.25</EndTime>
  <NotificationBody>&lt;?xml version="1.0" encoding="utf-16"?&gt;&lt;toast&gt;&lt;visual&gt;&lt;binding template="ToastText01"&gt;&lt;text id="1"&gt;Goal!&lt;/text&gt;&lt;/binding&gt;&lt;/visual&gt;&lt;/toast&gt;</NotificationBody>
  <Tags>fans &amp;&amp; city_Boston</Tags>
  <TargetPlatforms>windows,apple,fcmv1,browser,xiaomi</TargetPlatforms>
  <PnsErrorDetailsUri>https://pushpnsfb.blob.core.windows.net/00000000002001061088/7c1b?sv=2020-08-04&amp;sig=REDACTED</PnsErrorDetailsUri>
  <WnsOutcomeCounts>
    <Outcome><Name>Success</Name><Count>3</Count></Outcome>
    <Outcome><Name>ExpiredChannel</Name><Count>1</Count></Outcome>
  </WnsOutcomeCounts>
  <ApnsOutcomeCounts><Outcome><Count>12</Count><Name>Success</Name></Outcome></ApnsOutcomeCounts>
  <FcmV1OutcomeCounts><Outcome><Name>Success</Name><Count>40</Count></Outcome><Outcome><Name>InvalidToken</Name><Count>2</Count></Outcome></FcmV1OutcomeCounts>
  <BrowserOutcomeCounts><Outcome><Name>Success</Name><Count>5</Count></Outcome></BrowserOutcomeCounts>
  <XiaomiOutcomeCounts><Outcome><Name>Dropped</Name><Count> 1 </Count></Outcome></XiaomiOutcomeCounts>
  <HuaweiOutcomeCounts><Outcome><Name>Success</Name><Count>9</Count></Outcome></HuaweiOutcomeCounts>
  <SomethingNew>ignored</SomethingNew>
</NotificationDetails>`

func TestParseNotificationDetails(t *testing.T) {
	got, err := azurenh.ParseNotificationDetails([]byte(serviceDetails))
	require.NoError(t, err)
	want := azurenh.NotificationDetails{
		NotificationID:     "7c1b3e2a9f0d4c6b8a5e1d3f7b9c2a4e-638412345678901234-1",
		Location:           "sb://contoso.servicebus.windows.net/scores/messages/7c1b3e2a9f0d4c6b8a5e1d3f7b9c2a4e-638412345678901234-1?api-version=2020-06",
		State:              "PartiallyDelivered",
		EnqueueTime:        time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC),
		StartTime:          time.Date(2031, 3, 4, 5, 6, 7, 512345600, time.UTC),
		EndTime:            time.Date(2031, 3, 4, 5, 6, 9, 250000000, time.UTC),
		NotificationBody:   `<?xml version="1.0" encoding="utf-16"?><toast><visual><binding template="ToastText01"><text id="1">Goal!</text></binding></visual></toast>`,
		Tags:               "fans && city_Boston",
		TargetPlatforms:    []push.Platform{push.Windows, push.Apple, push.FCMV1, push.Browser, push.Xiaomi},
		PnsErrorDetailsURI: "https://pushpnsfb.blob.core.windows.net/00000000002001061088/7c1b?sv=2020-08-04&sig=REDACTED",
		Outcomes: map[push.Platform][]azurenh.OutcomeCount{
			push.Windows: {{Name: "Success", Count: 3}, {Name: "ExpiredChannel", Count: 1}},
			push.Apple:   {{Name: "Success", Count: 12}},
			push.FCMV1:   {{Name: "Success", Count: 40}, {Name: "InvalidToken", Count: 2}},
			push.Browser: {{Name: "Success", Count: 5}},
			push.Xiaomi:  {{Name: "Dropped", Count: 1}},
			"Huawei":     {{Name: "Success", Count: 9}},
		},
	}
	assertSameDetails(t, want, got)
	assert.False(t, got.State.Final(), "an unknown state is not final")
	assert.Equal(t, int64(40), got.Count(push.FCMV1, "Success"))
	assert.Equal(t, int64(0), got.Count(push.ADM, "Success"))
}

// assertSameDetails compares telemetry, times by instant.
func assertSameDetails(t *testing.T, want, got azurenh.NotificationDetails) {
	t.Helper()
	for _, p := range []struct{ w, g *time.Time }{{&want.EnqueueTime, &got.EnqueueTime}, {&want.StartTime, &got.StartTime}, {&want.EndTime, &got.EndTime}} {
		assert.True(t, p.w.Equal(*p.g), "time %v, want %v", *p.g, *p.w)
		*p.w, *p.g = time.Time{}, time.Time{}
	}
	assert.Equal(t, want, got)
}

func TestNotificationDetailsRoundTrip(t *testing.T) {
	want, err := azurenh.ParseNotificationDetails([]byte(serviceDetails))
	require.NoError(t, err)
	wire, err := azurenh.EncodeNotificationDetails(want)
	require.NoError(t, err)
	got, err := azurenh.ParseNotificationDetails(wire)
	require.NoError(t, err)
	assertSameDetails(t, want, got)
}

func TestEncodeNotificationDetailsGolden(t *testing.T) {
	d := azurenh.NotificationDetails{
		NotificationID: "n-1", Location: "https://contoso.servicebus.windows.net/scores/messages/n-1", State: azurenh.NotificationCompleted,
		EnqueueTime: time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC), StartTime: time.Date(2031, 3, 4, 5, 6, 8, 0, time.UTC),
		EndTime:          time.Date(2031, 3, 4, 5, 6, 9, 0, time.UTC),
		NotificationBody: `{"aps":{"alert":"Goal!"}}`, TargetPlatforms: []push.Platform{push.Apple, push.FCMV1},
		Outcomes: map[push.Platform][]azurenh.OutcomeCount{
			push.FCMV1: {{Name: "Success", Count: 2}}, push.Apple: {{Name: "Success", Count: 1}, {Name: "WrongToken", Count: 1}},
		},
	}
	wire, err := azurenh.EncodeNotificationDetails(d)
	require.NoError(t, err)
	checkMgmtGolden(t, "notification_details", wire)
}

func TestNotificationStates(t *testing.T) {
	final := map[azurenh.NotificationState]bool{
		azurenh.NotificationEnqueued: false, azurenh.NotificationDetailedStateAvailable: false, azurenh.NotificationProcessing: false,
		azurenh.NotificationUnknown: false, azurenh.NotificationCompleted: true, azurenh.NotificationAbandoned: true,
		azurenh.NotificationNoTargetFound: true, azurenh.NotificationCancelled: true,
	}
	for s, want := range final {
		assert.Equal(t, want, s.Final(), s)
	}
}

// TestOutcomeCountsBySendFormat checks that each platform's counts element
// is read under the send format it counts, the two spellings of legacy FCM
// under one.
func TestOutcomeCountsBySendFormat(t *testing.T) {
	elements := map[string]push.Platform{
		"Apns": push.Apple, "FcmV1": push.FCMV1, "Gcm": push.GCM, "Fcm": push.GCM, //lint:ignore SA1019 legacy GCM is still counted
		"Wns": push.Windows, "Mpns": push.WindowsPhone, "Adm": push.ADM,
		"Baidu": push.Baidu, "Browser": push.Browser, "Xiaomi": push.Xiaomi, "Huawei": "Huawei",
	}
	for name, want := range elements {
		doc := "<NotificationDetails><" + name + "OutcomeCounts><Outcome><Name>Success</Name><Count>2</Count></Outcome></" + name + "OutcomeCounts></NotificationDetails>"
		d, err := azurenh.ParseNotificationDetails([]byte(doc))
		require.NoError(t, err)
		assert.Equal(t, int64(2), d.Count(want, "Success"), name)
	}
}

func TestParseNotificationDetailsMarkupBody(t *testing.T) {
	got, err := azurenh.ParseNotificationDetails([]byte(`<NotificationDetails><NotificationBody><toast><visual/></toast></NotificationBody><State>Enqueued</State></NotificationDetails>`))
	require.NoError(t, err)
	assert.Equal(t, "<toast><visual/></toast>", got.NotificationBody, "a body of raw markup is kept as markup")
	assert.Equal(t, azurenh.NotificationEnqueued, got.State)
	assert.Nil(t, got.Outcomes)
}

func TestParseNotificationDetailsErrors(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"root", `<NotificationOutcome/>`, "the root element is <NotificationOutcome>, not <NotificationDetails>"},
		{"count", `<NotificationDetails><ApnsOutcomeCounts><Outcome><Name>Success</Name><Count>-1</Count></Outcome></ApnsOutcomeCounts></NotificationDetails>`,
			`ApnsOutcomeCounts: count "-1" of "Success" is not a count`},
		{"time", `<NotificationDetails><EndTime>later</EndTime></NotificationDetails>`, `EndTime: time "later" is not in RFC 3339 form`},
		{"syntax", `<NotificationDetails><State>`, "XML syntax error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := azurenh.ParseNotificationDetails([]byte(c.doc))
			require.Error(t, err)
			e := mgmtError(t, err)
			assert.Equal(t, "azurenh: decode notification details", e.Op)
			assert.Nil(t, e.Kind)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}
