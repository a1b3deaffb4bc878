package azurenh_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

var updateMgmt = flag.Bool("update-mgmt", false, "rewrite the golden files in testdata/mgmt/")

// checkMgmtGolden compares got with testdata/mgmt/NAME.golden, or rewrites it
// under -update-mgmt.
func checkMgmtGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "mgmt", name+".golden")
	if *updateMgmt {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -run %s -update-mgmt and review the diff", t.Name())
	assert.Equal(t, string(want), string(got), "differs from %s; run go test -update-mgmt if the change is intended", path)
}

// mgmtError returns err as a *push.Error, failing the test when it is not one.
func mgmtError(t *testing.T, err error) *push.Error {
	t.Helper()
	var e *push.Error
	require.True(t, errors.As(err, &e), "want a *push.Error, got %T: %v", err, err)
	return e
}

// requireInvalid checks that err is a validation error of op with the detail want.
func requireInvalid(t *testing.T, err error, op, want string) {
	t.Helper()
	require.Error(t, err)
	e := mgmtError(t, err)
	assert.Equal(t, op, e.Op)
	assert.ErrorIs(t, err, push.ErrInvalidTarget)
	assert.Equal(t, want, e.Detail)
}

const (
	sampleToken   = "8A0C2E9F1B3D5A7C9E0F2A4C6E8B0D1F3A5C7E9B1D3F5A7C9E1B3D5F7A9C1E3B"
	sampleChannel = "https://db5p.notify.windows.com/?token=AwYAAABq7aWo%2bV6x"
	sampleFCM     = "cRk3pW:APA91bH4z_example-token"
)

var sampleMessageType = 1

// sampleRegistration returns a valid registration of kind k, with every field
// the kind takes.
func sampleRegistration(k azurenh.RegistrationKind) azurenh.Registration {
	r := azurenh.Registration{Kind: k, Tags: []string{"sports", "city_Boston"},
		PushVariables: map[string]string{"firstName": "Ada", "team": "<Red Sox>"}}
	switch k.PushPlatform() {
	case push.Apple:
		r.Handle = sampleToken
	case push.Windows, push.WindowsPhone:
		r.Handle, r.SecondaryTileName = sampleChannel, "scores"
	case push.Baidu:
		r.BaiduUserID, r.BaiduChannelID = "1122334455", "9988776655"
	case push.Browser:
		r.Browser = push.BrowserSubscription{Endpoint: "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91", P256DH: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA", Auth: "tBHItJI5svbpez7KI4CCXg"}
	default:
		r.Handle = sampleFCM
	}
	if k.IsTemplate() {
		addSampleTemplate(&r)
	}
	return r
}

func addSampleTemplate(r *azurenh.Registration) {
	r.TemplateName = "scores"
	switch r.Kind.PushPlatform() {
	case push.Apple:
		r.BodyTemplate = `{"aps":{"alert":"$(team) scored: $(score)"}}`
		r.Expiry, r.Priority = "$(expiry)", "10"
		r.Headers = map[string]string{"apns-push-type": "alert", "apns-priority": "10"}
	case push.Windows:
		r.BodyTemplate = `<toast><visual><binding template="ToastText01"><text id="1">$(team) scored</text></binding></visual></toast>`
		r.Headers = map[string]string{"X-WNS-Type": "wns/toast", "X-WNS-Tag": "$(team)"}
	case push.WindowsPhone:
		r.BodyTemplate = `<wp:Notification xmlns:wp="WPNotification"><wp:Toast><wp:Text1>$(team)</wp:Text1></wp:Toast></wp:Notification>`
		r.Headers = map[string]string{"X-WindowsPhone-Target": "toast", "X-NotificationClass": "2"}
	case push.Baidu:
		r.BodyTemplate = `{"title":"$(team)","description":"$(score)"}`
		r.BaiduMessageType = &sampleMessageType
	default:
		r.BodyTemplate = `{"message":{"notification":{"title":"$(team)","body":"$(score)"}}}`
	}
}

// served returns r as the service stores it: with an ID, an ETag and an
// expiration time.
func served(r azurenh.Registration) azurenh.Registration {
	r.ID, r.ETag = "4137548312918401279-6932157683491536120-1", "3"
	r.ExpirationTime = time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)
	return r
}

func TestRegistrationKinds(t *testing.T) {
	kinds := azurenh.RegistrationKinds()
	require.Len(t, kinds, 18)
	for i, k := range kinds {
		assert.True(t, k.Valid(), k)
		assert.Equal(t, i%2 == 1, k.IsTemplate(), k)
		back, ok := azurenh.RegistrationKindFor(k.PushPlatform(), k.IsTemplate())
		assert.True(t, ok)
		assert.Equal(t, k, back)
		assert.Equal(t, string(k)+"RegistrationDescription", azurenh.ElementName(k))
	}
	assert.Equal(t, "MpnsTemplateRegistrationDescription", azurenh.ElementName(azurenh.MPNSTemplateRegistration))
	assert.Equal(t, push.WindowsPhone, azurenh.MPNSRegistration.PushPlatform())
	_, ok := azurenh.RegistrationKindFor(push.Template, false)
	assert.False(t, ok, "no registration has the template format")
	assert.False(t, azurenh.RegistrationKind("Fcm").Valid())
}

// TestEncodeRegistrationRequestGolden pins the request body of every kind: the
// elements in the order of the data contract, BodyTemplate as CDATA, no ID,
// ETag nor ExpirationTime.
func TestEncodeRegistrationRequestGolden(t *testing.T) {
	for _, k := range azurenh.RegistrationKinds() {
		t.Run(string(k), func(t *testing.T) {
			body, err := azurenh.EncodeRegistrationRequest(served(sampleRegistration(k)))
			require.NoError(t, err)
			checkMgmtGolden(t, "registration_"+strings.ToLower(string(k)), body)
		})
	}
}

func TestEncodeRegistrationEntryGolden(t *testing.T) {
	body, err := azurenh.EncodeRegistrationEntry(served(sampleRegistration(azurenh.AppleTemplateRegistration)))
	require.NoError(t, err)
	checkMgmtGolden(t, "registration_entry_appletemplate", body)
	feed, err := azurenh.EncodeRegistrationFeed([]azurenh.Registration{served(sampleRegistration(azurenh.FCMV1Registration)),
		served(sampleRegistration(azurenh.BrowserRegistration))})
	require.NoError(t, err)
	checkMgmtGolden(t, "registration_feed", feed)
}

// TestRegistrationRoundTrip encodes every kind as the service answers, then
// decodes it, alone and in a feed.
func TestRegistrationRoundTrip(t *testing.T) {
	var all []azurenh.Registration
	for _, k := range azurenh.RegistrationKinds() {
		want := served(sampleRegistration(k))
		all = append(all, want)
		t.Run(string(k), func(t *testing.T) {
			body, err := azurenh.EncodeRegistrationEntry(want)
			require.NoError(t, err)
			got, err := azurenh.DecodeRegistration(body)
			require.NoError(t, err)
			assertSameRegistration(t, want, got)
		})
	}
	feed, err := azurenh.EncodeRegistrationFeed(all)
	require.NoError(t, err)
	got, err := azurenh.DecodeRegistrationFeed(feed)
	require.NoError(t, err)
	require.Len(t, got, len(all))
	for i := range all {
		assertSameRegistration(t, all[i], got[i])
	}
}

// assertSameRegistration compares registrations, times by instant.
func assertSameRegistration(t *testing.T, want, got azurenh.Registration) {
	t.Helper()
	assert.True(t, want.ExpirationTime.Equal(got.ExpirationTime), "ExpirationTime %v, want %v", got.ExpirationTime, want.ExpirationTime)
	want.ExpirationTime, got.ExpirationTime = time.Time{}, time.Time{}
	assert.Equal(t, want, got)
}

func TestBodyTemplateSurvivesAnyText(t *testing.T) {
	bodies := map[string]string{
		"CDATA end inside": `{"a":"]]>"}`,
		"markup":           `<toast><visual><binding template="ToastText01"><text id="1">&amp;$(x)</text></binding></visual></toast>`,
		"carriage return":  "{\"a\":\"line\r\nnext\r\"}",
		"spaces kept":      "  {\"a\":1}\n ",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			r := sampleRegistration(azurenh.FCMV1TemplateRegistration)
			r.BodyTemplate = body
			wire, err := azurenh.EncodeRegistrationRequest(r)
			require.NoError(t, err)
			got, err := azurenh.DecodeRegistration(wire)
			require.NoError(t, err)
			assert.Equal(t, body, got.BodyTemplate)
		})
	}
}

// serviceEntry is a registration as the service answers a read, with Atom
// metadata, prefixed namespaces, whitespace, i:nil, elements out of order and
// elements this package does not know.
const serviceEntry = `<?xml version="1.0" encoding="utf-8"?>
<entry xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:etag="W/&quot;7&quot;">
  <id>https://contoso.servicebus.windows.net/scores/registrations/2372532420827572008-85883004107185159-4?api-version=2020-06</id>
  <title type="text">2372532420827572008-85883004107185159-4</title>
  <published>2031-05-06T07:08:09Z</published>
  <updated>2031-05-06T07:08:09Z</updated>
  <link rel="self" href="https://contoso.servicebus.windows.net/scores/registrations/2372532420827572008-85883004107185159-4?api-version=2020-06"/>
  <content type="application/xml">
    <sb:WindowsTemplateRegistrationDescription xmlns:sb="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
      <sb:TemplateName>  goals  </sb:TemplateName>
      <sb:ETag>7</sb:ETag>
      <sb:RegistrationId>2372532420827572008-85883004107185159-4</sb:RegistrationId>
      <sb:ExpirationTime>2032-01-01T00:00:00.1234567</sb:ExpirationTime>
      <sb:Tags>fans, city_Seattle ,,</sb:Tags>
      <sb:PushVariables i:nil="true"/>
      <sb:FutureField><sb:Nested>ignored</sb:Nested></sb:FutureField>
      <sb:WnsHeaders>
        <sb:WnsHeader><sb:Header> X-WNS-Type </sb:Header><sb:Value>wns/toast</sb:Value></sb:WnsHeader>
        <sb:WnsHeader><sb:Header>X-WNS-Tag</sb:Header><sb:Value>$(match)</sb:Value></sb:WnsHeader>
      </sb:WnsHeaders>
      <sb:ChannelUri>
        https://bn3p.notify.windows.com/?token=AwYAAAB%2fQ
      </sb:ChannelUri>
      <sb:BodyTemplate><![CDATA[<toast><visual><binding template="ToastText01"><text id="1">$(match)</text></binding></visual></toast>]]></sb:BodyTemplate>
      <sb:DeviceToken>not read: a Windows registration has no device token</sb:DeviceToken>
    </sb:WindowsTemplateRegistrationDescription>
  </content>
</entry>`

func TestDecodeServiceRegistration(t *testing.T) {
	got, err := azurenh.DecodeRegistration([]byte(serviceEntry))
	require.NoError(t, err)
	want := azurenh.Registration{
		Kind: azurenh.WindowsTemplateRegistration, ID: "2372532420827572008-85883004107185159-4", ETag: "7",
		ExpirationTime: time.Date(2032, 1, 1, 0, 0, 0, 123456700, time.UTC),
		Tags:           []string{"fans", "city_Seattle"},
		Handle:         "https://bn3p.notify.windows.com/?token=AwYAAAB%2fQ",
		BodyTemplate:   `<toast><visual><binding template="ToastText01"><text id="1">$(match)</text></binding></visual></toast>`,
		TemplateName:   "goals",
		Headers:        map[string]string{"X-WNS-Type": "wns/toast", "X-WNS-Tag": "$(match)"},
	}
	assertSameRegistration(t, want, got)
	require.NoError(t, got.Validate(), "a decoded registration can be sent back")
}

func TestDecodeBareDescription(t *testing.T) {
	got, err := azurenh.DecodeRegistration([]byte(`<GcmRegistrationDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"><GcmRegistrationId>legacy-1</GcmRegistrationId><PushVariables>{"a":"1"}</PushVariables></GcmRegistrationDescription>`))
	require.NoError(t, err)
	assert.Equal(t, azurenh.Registration{Kind: azurenh.GCMRegistration, Handle: "legacy-1", PushVariables: map[string]string{"a": "1"}}, got)
}

// serviceFeed is a listing as the service answers it, from the documentation's
// example with values of our own.
const serviceFeed = `<?xml version="1.0" encoding="utf-8" ?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Registrations</title>
  <id>https://contoso.servicebus.windows.net/scores/registrations?api-version=2020-06</id>
  <updated>2031-05-06T07:08:09Z</updated>
  <entry xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:etag="W/&quot;1&quot;">
    <id>https://contoso.servicebus.windows.net/scores/registrations/1</id>
    <content type="application/xml">
      <AppleRegistrationDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
        <ETag>1</ETag><ExpirationTime>2032-02-03T04:05:06Z</ExpirationTime><RegistrationId>1</RegistrationId>
        <Tags>ios</Tags><DeviceToken>` + sampleToken + `</DeviceToken>
      </AppleRegistrationDescription>
    </content>
  </entry>
  <entry>
    <content type="application/xml">
      <XiaomiTemplateRegistrationDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect">
        <RegistrationId>2</RegistrationId><XiaomiRegistrationId>mi-token</XiaomiRegistrationId>
        <BodyTemplate>{"title":"$(t)"}</BodyTemplate><TemplateName>t</TemplateName>
      </XiaomiTemplateRegistrationDescription>
    </content>
  </entry>
  <entry>
    <content type="application/xml">
      <HuaweiRegistrationDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect">
        <RegistrationId>3</RegistrationId><Tags>future</Tags><HuaweiToken>kept out</HuaweiToken>
      </HuaweiRegistrationDescription>
    </content>
  </entry>
</feed>`

func TestDecodeRegistrationFeed(t *testing.T) {
	got, err := azurenh.DecodeRegistrationFeed([]byte(serviceFeed))
	require.NoError(t, err)
	require.Len(t, got, 3)
	assertSameRegistration(t, azurenh.Registration{Kind: azurenh.AppleRegistration, ID: "1", ETag: "1",
		ExpirationTime: time.Date(2032, 2, 3, 4, 5, 6, 0, time.UTC), Tags: []string{"ios"}, Handle: sampleToken}, got[0])
	assert.Equal(t, azurenh.Registration{Kind: azurenh.XiaomiTemplateRegistration, ID: "2", Handle: "mi-token",
		BodyTemplate: `{"title":"$(t)"}`, TemplateName: "t"}, got[1])
	assert.Equal(t, azurenh.Registration{Kind: "Huawei", ID: "3", Tags: []string{"future"}}, got[2],
		"a kind this package does not know keeps its name and common fields")

	_, err = azurenh.DecodeRegistrationFeed([]byte(`<feed><entry><content><AdmRegistrationDescription/></content></entry><entry><content><AdmRegistrationDescription><ExpirationTime>never</ExpirationTime></AdmRegistrationDescription></content></entry></feed>`))
	require.EqualError(t, err, `azurenh: decode registration: the document does not parse: entry 1: ExpirationTime: time "never" is not in RFC 3339 form`)

	empty, err := azurenh.DecodeRegistrationFeed([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Registrations</title></feed>`))
	require.NoError(t, err)
	assert.Nil(t, empty)
}

func TestDecodeRegistrationErrors(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"not XML", `{"json":true}`, "the document has no element"},
		{"truncated", `<entry><content>`, "XML syntax error on line 1: unexpected EOF"},
		{"not an entry", `<feed/>`, "the root element is <feed>, not an Atom <entry>"},
		{"empty content", `<entry><content type="application/xml"/></entry>`, "the entry has no registration description in its <content>"},
		{"not a description", `<entry><content><NotificationHubJob/></content></entry>`, "<NotificationHubJob> is not a registration description"},
		{"bad time", `<AppleRegistrationDescription><ExpirationTime>soon</ExpirationTime></AppleRegistrationDescription>`, `ExpirationTime: time "soon" is not in RFC 3339 form`},
		{"bad variables", `<AppleRegistrationDescription><PushVariables>[1]</PushVariables></AppleRegistrationDescription>`, "PushVariables is not a JSON object of strings: json: cannot unmarshal array into Go value of type map[string]string"},
		{"bad message type", `<BaiduTemplateRegistrationDescription><MessageType>two</MessageType></BaiduTemplateRegistrationDescription>`, `<MessageType> "two" is not a number`},
		{"latin-1", `<?xml version="1.0" encoding="iso-8859-1"?><entry/>`, `the document declares encoding "iso-8859-1"; want UTF-8 or UTF-16`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := azurenh.DecodeRegistration([]byte(c.doc))
			require.Error(t, err)
			e := mgmtError(t, err)
			assert.Equal(t, "azurenh: decode registration", e.Op)
			assert.Nil(t, e.Kind)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestDecodeUTF16Registration(t *testing.T) {
	doc := `<?xml version="1.0" encoding="utf-16"?><FcmV1RegistrationDescription><FcmV1RegistrationId>tök</FcmV1RegistrationId></FcmV1RegistrationDescription>`
	got, err := azurenh.DecodeRegistration(utf16LE(doc))
	require.NoError(t, err)
	assert.Equal(t, "tök", got.Handle)
	got, err = azurenh.DecodeRegistration(append([]byte{0xEF, 0xBB, 0xBF}, doc...))
	require.NoError(t, err, "a UTF-8 byte-order mark and a utf-16 declaration on UTF-8 text are accepted")
	assert.Equal(t, "tök", got.Handle)
}

// utf16LE returns s in UTF-16 little-endian with a byte-order mark.
func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		if r >= 0x10000 {
			panic("utf16LE: BMP only")
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

func TestRegistrationValidate(t *testing.T) {
	ok := sampleRegistration(azurenh.AppleRegistration)
	cases := []struct {
		name string
		edit func(*azurenh.Registration)
		want string
	}{
		{"kind", func(r *azurenh.Registration) { r.Kind = "Ios" },
			`kind "Ios" is not a registration kind; want one of Apple, AppleTemplate, FcmV1, FcmV1Template, Gcm, GcmTemplate, Windows, WindowsTemplate, Mpns, MpnsTemplate, Adm, AdmTemplate, Baidu, BaiduTemplate, Browser, BrowserTemplate, Xiaomi, XiaomiTemplate`},
		{"no token", func(r *azurenh.Registration) { r.Handle = "" }, "DeviceToken is empty"},
		{"token not hex", func(r *azurenh.Registration) { r.Handle = "xyz1" }, `DeviceToken "xyz1" is not an APNs device token (an even number of hex digits)`},
		{"token with space", func(r *azurenh.Registration) { r.Handle = "ab cd" }, `DeviceToken: device handle "ab cd" contains a space, a control character or invalid UTF-8`},
		{"tag", func(r *azurenh.Registration) { r.Tags = []string{"ok", "no way"} }, `tags[1]: tag "no way": a space at column 3 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)`},
		{"too many tags", func(r *azurenh.Registration) { r.Tags = manyTags(61) }, "61 tags; a registration carries at most 60"},
		{"variable name", func(r *azurenh.Registration) { r.PushVariables = map[string]string{"": "x"} }, "a push variable has an empty name"},
		{"template fields on native", func(r *azurenh.Registration) { r.BodyTemplate = "{}" }, "Apple registration has template fields; use kind AppleTemplate for a template registration"},
		{"NUL", func(r *azurenh.Registration) { r.Kind, r.BodyTemplate = azurenh.AppleTemplateRegistration, "{\x00}" }, "BodyTemplate: control character U+0000 at column 2 cannot travel in XML"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ok.Clone()
			c.edit(&r)
			requireInvalid(t, r.Validate(), "azurenh: registration", c.want)
			_, err := azurenh.EncodeRegistrationRequest(r)
			requireInvalid(t, err, "azurenh: registration", c.want)
		})
	}
}

func TestTemplateRegistrationValidate(t *testing.T) {
	cases := []struct {
		name string
		kind azurenh.RegistrationKind
		edit func(*azurenh.Registration)
		want string
	}{
		{"no body", azurenh.FCMV1TemplateRegistration, func(r *azurenh.Registration) { r.BodyTemplate = "" }, "FcmV1Template registration has an empty BodyTemplate"},
		{"long name", azurenh.FCMV1TemplateRegistration, func(r *azurenh.Registration) { r.TemplateName = strings.Repeat("n", 201) },
			`template name "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn..." is 201 bytes; at most 200`},
		{"no WNS type", azurenh.WindowsTemplateRegistration, func(r *azurenh.Registration) { delete(r.Headers, "X-WNS-Type") },
			"WindowsTemplate registration needs the header X-WNS-Type (wns/toast, wns/tile, wns/badge or wns/raw)"},
		{"APNs header", azurenh.AppleTemplateRegistration, func(r *azurenh.Registration) { r.Headers["X-Priority"] = "1" },
			"AppleTemplate registration: header X-Priority is not an APNs header (apns-*)"},
		{"empty header", azurenh.WindowsTemplateRegistration, func(r *azurenh.Registration) { r.Headers["X-WNS-Tag"] = " " },
			"WindowsTemplate registration: header X-WNS-Tag has an empty value"},
		{"headers elsewhere", azurenh.XiaomiTemplateRegistration, func(r *azurenh.Registration) { r.Headers = map[string]string{"a": "b"} },
			"XiaomiTemplate registration has headers, which only AppleTemplate, WindowsTemplate and MpnsTemplate take"},
		{"expiry elsewhere", azurenh.FCMV1TemplateRegistration, func(r *azurenh.Registration) { r.Expiry = "0" },
			"FcmV1Template registration has an Expiry or a Priority, which only AppleTemplate takes"},
		{"channel not a URL", azurenh.WindowsRegistration, func(r *azurenh.Registration) { r.Handle = "db5.notify.windows.com" },
			`ChannelUri "db5.notify.windows.com" is not an absolute channel URI`},
		{"browser keys", azurenh.BrowserRegistration, func(r *azurenh.Registration) { r.Browser.Auth = "" },
			"browser push channel: browser subscription needs its P256DH and Auth keys"},
		{"baidu channel", azurenh.BaiduRegistration, func(r *azurenh.Registration) { r.BaiduChannelID = "" }, "Baidu channel ID is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := sampleRegistration(c.kind).Clone()
			c.edit(&r)
			requireInvalid(t, r.Validate(), "azurenh: registration", c.want)
		})
	}
}

func manyTags(n int) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = "tag" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	return tags
}

func TestEveryKindValidates(t *testing.T) {
	for _, k := range azurenh.RegistrationKinds() {
		assert.NoError(t, sampleRegistration(k).Validate(), k)
	}
}

func TestDeviceHandle(t *testing.T) {
	assert.Equal(t, sampleToken, sampleRegistration(azurenh.AppleRegistration).DeviceHandle())
	assert.Equal(t, "1122334455-9988776655", sampleRegistration(azurenh.BaiduRegistration).DeviceHandle())
	assert.Equal(t, "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91", sampleRegistration(azurenh.BrowserTemplateRegistration).DeviceHandle())
}

func TestListByChannelFilter(t *testing.T) {
	cases := []struct {
		format push.Platform
		handle string
		want   string
	}{
		{push.Apple, "8a0c2e9f", "DeviceToken eq '8A0C2E9F'"},
		{push.FCMV1, sampleFCM, "FcmV1RegistrationId eq 'cRk3pW:APA91bH4z_example-token'"},
		{push.GCM, "legacy", "GcmRegistrationId eq 'legacy'"}, //lint:ignore SA1019 legacy GCM is still mapped
		{push.Windows, "https://db5.notify.windows.com/?token=A%2b", "ChannelUri eq 'https%3A%2F%2Fdb5.notify.windows.com%2F%3Ftoken%3DA%252b'"},
		{push.WindowsPhone, "http://s.notify.live.net/u/1/x", "ChannelUri eq 'http%3A%2F%2Fs.notify.live.net%2Fu%2F1%2Fx'"},
		{push.ADM, "amzn1.adm-registration.v3.Y", "AdmRegistrationId eq 'amzn1.adm-registration.v3.Y'"},
		{push.Xiaomi, "mi'1", "XiaomiRegistrationId eq 'mi''1'"},
		{push.Baidu, "1122-9988", "BaiduUserId eq '1122' and BaiduChannelId eq '9988'"},
		{push.Browser, "https://push.example/a b", "Endpoint eq 'https%3A%2F%2Fpush.example%2Fa%20b'"},
	}
	for _, c := range cases {
		t.Run(string(c.format), func(t *testing.T) {
			got, err := azurenh.ListByChannelFilter(c.format, c.handle)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
	_, err := azurenh.ListByChannelFilter(push.Template, "x")
	requireInvalid(t, err, "azurenh: registration", `no registration has format "template"; want a native platform`)
	_, err = azurenh.ListByChannelFilter(push.Apple, "")
	requireInvalid(t, err, "azurenh: registration", "the device handle to list registrations by is empty")
	_, err = azurenh.ListByChannelFilter(push.Baidu, "nodash")
	requireInvalid(t, err, "azurenh: registration", `Baidu handle "nodash" is not USERID-CHANNELID`)
}

func TestEncodeRegistrationEntryRefusesBadKind(t *testing.T) {
	_, err := azurenh.EncodeRegistrationEntry(azurenh.Registration{Kind: "no good"})
	requireInvalid(t, err, "azurenh: registration", `kind "no good" cannot name a registration description`)
	body, err := azurenh.EncodeRegistrationEntry(azurenh.Registration{Kind: "Huawei", ID: "9"})
	require.NoError(t, err, "an unknown kind from the service is written back with its common fields")
	assert.Contains(t, string(body), `<HuaweiRegistrationDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><RegistrationId>9</RegistrationId></HuaweiRegistrationDescription>`)
}

func BenchmarkEncodeRegistrationRequest(b *testing.B) {
	r := sampleRegistration(azurenh.AppleTemplateRegistration)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := azurenh.EncodeRegistrationRequest(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeRegistrationFeed(b *testing.B) {
	rs := make([]azurenh.Registration, 100)
	for i := range rs {
		rs[i] = served(sampleRegistration(azurenh.RegistrationKinds()[i%18]))
	}
	feed, err := azurenh.EncodeRegistrationFeed(rs)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(feed)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := azurenh.DecodeRegistrationFeed(feed); err != nil {
			b.Fatal(err)
		}
	}
}
