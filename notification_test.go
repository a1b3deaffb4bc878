package push_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

const (
	wnsToastBody = `<toast><visual><binding template="ToastText01"><text id="1">Test</text></binding></visual></toast>`
	mpnsToast    = `<?xml version="1.0" encoding="utf-8"?><wp:Notification xmlns:wp="WPNotification"><wp:Toast><wp:Text1>Hi</wp:Text1></wp:Toast></wp:Notification>`
	mpnsTile     = `<?xml version="1.0" encoding="utf-8"?><wp:Notification xmlns:wp="WPNotification"><wp:Tile><wp:Count>3</wp:Count></wp:Tile></wp:Notification>`
)

func TestNewNotificationFillsPlatformDefaults(t *testing.T) {
	tests := []struct {
		name        string
		platform    push.Platform
		body        string
		header      http.Header
		contentType string
		wantHeader  http.Header
	}{
		{"apple", push.Apple, `{"aps":{"alert":"hi"}}`, nil, push.ContentTypeJSON, nil},
		{"fcmv1", push.FCMV1, `{"message":{"notification":{"title":"t"},"data":{"k":"v"}}}`, nil, push.ContentTypeJSON, nil},
		{"gcm", push.GCM, `{"data":{"msg":"Hello!"}}`, nil, push.ContentTypeJSON, nil},
		{"adm", push.ADM, `{"data":{"msg":"Hello!"}}`, nil, push.ContentTypeJSON, nil},
		{"baidu", push.Baidu, `{"title":"t","description":"d"}`, nil, push.ContentTypeJSON, nil},
		{"browser", push.Browser, `{"title":"t"}`, nil, push.ContentTypeJSON, nil},
		{"xiaomi", push.Xiaomi, `{"title":"t"}`, nil, push.ContentTypeJSON, nil},
		{"template", push.Template, `{"greeting_en":"Hello","greeting_fr":"Salut"}`, nil, push.ContentTypeJSON, nil},
		{"wns toast from the seed", push.Windows, wnsToastBody, nil, push.ContentTypeXML, http.Header{"X-Wns-Type": {"wns/toast"}}},
		// The Python sample tests `"<toast>" in payload` and misses each of these.
		{"wns toast with attributes", push.Windows, `<toast launch="x"><visual/></toast>`, nil, push.ContentTypeXML, http.Header{"X-Wns-Type": {"wns/toast"}}},
		{"wns badge with declaration", push.Windows, `<?xml version="1.0" encoding="utf-8"?><badge value="7"/>`, nil, push.ContentTypeXML, http.Header{"X-Wns-Type": {"wns/badge"}}},
		{"wns tile after whitespace", push.Windows, "\n\t <tile><visual/></tile>", nil, push.ContentTypeXML, http.Header{"X-Wns-Type": {"wns/tile"}}},
		{"wns toast after a BOM", push.Windows, "\ufeff<toast/>", nil, push.ContentTypeXML, http.Header{"X-Wns-Type": {"wns/toast"}}},
		{"wns toast after a comment", push.Windows, "<!-- hi --><toast/>", nil, push.ContentTypeXML, http.Header{"X-Wns-Type": {"wns/toast"}}},
		{"wns raw declared", push.Windows, `anything at all`, http.Header{"X-WNS-Type": {"wns/raw"}}, push.ContentTypeOctetStream, http.Header{"X-Wns-Type": {"wns/raw"}}},
		{"wns extra headers kept", push.Windows, `<toast/>`, http.Header{"X-WNS-TTL": {"60"}, "X-WNS-Cache-Policy": {"no-cache"}}, push.ContentTypeXML,
			http.Header{"X-Wns-Type": {"wns/toast"}, "X-Wns-Ttl": {"60"}, "X-Wns-Cache-Policy": {"no-cache"}}},
		{"mpns toast", push.WindowsPhone, mpnsToast, nil, push.ContentTypeXMLUTF8, http.Header{"X-Windowsphone-Target": {"toast"}, "X-Notificationclass": {"2"}}},
		// The Python sample sends X-WindowsPhone-Target: tile, which MPNS does not know.
		{"mpns tile targets token", push.WindowsPhone, mpnsTile, nil, push.ContentTypeXMLUTF8, http.Header{"X-Windowsphone-Target": {"token"}, "X-Notificationclass": {"1"}}},
		{"mpns raw", push.WindowsPhone, `<data>42</data>`, nil, push.ContentTypeXMLUTF8, http.Header{"X-Notificationclass": {"3"}}},
		{"mpns toast batched class", push.WindowsPhone, mpnsToast, http.Header{"X-NotificationClass": {"12"}}, push.ContentTypeXMLUTF8, http.Header{"X-Windowsphone-Target": {"toast"}, "X-Notificationclass": {"12"}}},
		{"apple headers canonicalised", push.Apple, `{"aps":{}}`, http.Header{"apns-push-type": {"background"}, "apns-priority": {"5"}, "apns-expiration": {"1900000000"}},
			push.ContentTypeJSON, http.Header{"Apns-Push-Type": {"background"}, "Apns-Priority": {"5"}, "Apns-Expiration": {"1900000000"}}},
		{"apns priority 1, power first", push.Apple, `{"aps":{}}`, http.Header{"apns-priority": {"1"}}, push.ContentTypeJSON, http.Header{"Apns-Priority": {"1"}}},
		{"apns background at priority 1", push.Apple, `{"aps":{"content-available":1}}`, http.Header{"apns-push-type": {"background"}, "apns-priority": {"1"}},
			push.ContentTypeJSON, http.Header{"Apns-Push-Type": {"background"}, "Apns-Priority": {"1"}}},
		{"apns widgets push type", push.Apple, `{"aps":{"content-changed":true}}`, http.Header{"apns-push-type": {"widgets"}}, push.ContentTypeJSON, http.Header{"Apns-Push-Type": {"widgets"}}},
		// A type Apple adds later passes without a new release.
		{"apns future push type", push.Apple, `{"aps":{}}`, http.Header{"apns-push-type": {"controls"}}, push.ContentTypeJSON, http.Header{"Apns-Push-Type": {"controls"}}},
		{"apns voip up to 5120", push.Apple, big(5120), http.Header{"apns-push-type": {"voip"}}, push.ContentTypeJSON, http.Header{"Apns-Push-Type": {"voip"}}},
		{"browser web push headers", push.Browser, `{"title":"hi"}`, http.Header{"TTL": {"86400"}, "Urgency": {"high"}, "Topic": {"order-42_x"}}, push.ContentTypeJSON,
			http.Header{"Ttl": {"86400"}, "Urgency": {"high"}, "Topic": {"order-42_x"}}},
		{"browser ttl 0", push.Browser, `{"title":"hi"}`, http.Header{"TTL": {"0"}}, push.ContentTypeJSON, http.Header{"Ttl": {"0"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := push.NewNotification(tt.platform, []byte(tt.body), tt.header)
			require.NoError(t, err)
			assert.Equal(t, tt.platform, n.Platform)
			assert.Equal(t, tt.contentType, n.ContentType)
			assert.Equal(t, tt.body, string(n.Body))
			assert.Equal(t, tt.wantHeader, n.Header)
			assert.NoError(t, n.Validate())
		})
	}
}

func TestNewNotificationDoesNotModifyTheCallersHeader(t *testing.T) {
	h := http.Header{"X-WNS-TTL": {"60"}}
	_, err := push.NewNotification(push.Windows, []byte(`<toast/>`), h)
	require.NoError(t, err)
	assert.Equal(t, http.Header{"X-WNS-TTL": {"60"}}, h)
}

func TestNewNotificationRefusesBadInput(t *testing.T) {
	tests := []struct {
		name     string
		platform push.Platform
		body     string
		header   http.Header
		kind     error
		message  string
	}{
		{"unknown platform", "ios", `{}`, nil, push.ErrInvalidNotification, `unknown platform "ios"; want one of apple, fcmv1, gcm, windows, windowsphone, adm, baidu, browser, xiaomi, template`},
		{"empty body", push.Apple, ``, nil, push.ErrInvalidNotification, "apple notification has an empty body"},
		{"json not an object", push.Apple, `["aps"]`, nil, push.ErrInvalidNotification, "apple body must be a JSON object, starting with '{'"},
		{"json broken", push.ADM, `{"data":}`, nil, push.ErrInvalidNotification, "adm body is not valid JSON: invalid character '}' looking for beginning of value (at byte 9)"},
		{"json trailing garbage", push.Baidu, `{} {}`, nil, push.ErrInvalidNotification, "baidu body is not valid JSON"},
		{"fcmv1 without message", push.FCMV1, `{"data":{"a":"b"}}`, nil, push.ErrInvalidNotification, `fcmv1 body must be {"message":{...}} and nothing else; found keys data`},
		{"fcmv1 message not an object", push.FCMV1, `{"message":"hi"}`, nil, push.ErrInvalidNotification, "fcmv1 message: must be a JSON object"},
		{"fcmv1 numeric data", push.FCMV1, `{"message":{"data":{"count":3}}}`, nil, push.ErrInvalidNotification, `fcmv1 message.data["count"] is 3; FCM data values must be strings`},
		{"fcmv1 nested data", push.FCMV1, `{"message":{"data":{"o":{"x":"y"}}}}`, nil, push.ErrInvalidNotification, `message.data["o"] is {"x":"y"}`},
		{"fcmv1 android numeric data", push.FCMV1, `{"message":{"android":{"data":{"n":1}}}}`, nil, push.ErrInvalidNotification, `fcmv1 message.android.data["n"] is 1`},
		{"fcmv1 reserved data key", push.FCMV1, `{"message":{"data":{"google.x":"y"}}}`, nil, push.ErrInvalidNotification, `key "google.x" is reserved by FCM`},
		{"template nested", push.Template, `{"a":{"b":"c"}}`, nil, push.ErrInvalidNotification, `template property "a" is {"b":"c"}; template properties must be strings`},
		{"template number", push.Template, `{"badge":3}`, nil, push.ErrInvalidNotification, `template property "badge" is 3`},
		{"template bad name", push.Template, `{"greeting-en":"hi"}`, nil, push.ErrInvalidNotification, `template property name "greeting-en" has '-' at byte 9`},
		{"wns neither xml nor raw", push.Windows, `hello`, nil, push.ErrInvalidNotification, "windows body: text outside the root element; WNS takes <toast>, <tile> or <badge> XML, or raw bytes declared with X-WNS-Type: wns/raw"},
		{"wns unknown root", push.Windows, `<notification/>`, nil, push.ErrInvalidNotification, "windows body has root element <notification>"},
		{"wns malformed", push.Windows, `<toast><visual></toast>`, nil, push.ErrInvalidNotification, "not well-formed XML"},
		{"wns two roots", push.Windows, `<toast/><toast/>`, nil, push.ErrInvalidNotification, "a second root element <toast> after <toast>"},
		{"wns root is case-sensitive", push.Windows, `<Toast/>`, nil, push.ErrInvalidNotification, "root element <Toast>"},
		{"wns type disagrees with root", push.Windows, `<badge value="1"/>`, http.Header{"X-WNS-Type": {"wns/toast"}}, push.ErrInvalidNotification, "X-WNS-Type is wns/toast but the body's root element makes it wns/badge"},
		{"wns unknown type", push.Windows, `<toast/>`, http.Header{"X-WNS-Type": {"wns/popup"}}, push.ErrInvalidNotification, `X-WNS-Type "wns/popup" is not one of`},
		{"wns bad cache policy", push.Windows, `<toast/>`, http.Header{"X-WNS-Cache-Policy": {"yes"}}, push.ErrInvalidNotification, `X-WNS-Cache-Policy "yes" must be cache or no-cache`},
		{"wns bad ttl", push.Windows, `<toast/>`, http.Header{"X-WNS-TTL": {"1h"}}, push.ErrInvalidNotification, `X-WNS-TTL "1h" must be a number of seconds`},
		{"wns long tag", push.Windows, `<tile/>`, http.Header{"X-WNS-Tag": {"seventeen-chars-x"}}, push.ErrInvalidNotification, "longer than WNS's 16 characters"},
		{"mpns tile header from the seed", push.WindowsPhone, mpnsTile, http.Header{"X-WindowsPhone-Target": {"tile"}}, push.ErrInvalidNotification, `X-WindowsPhone-Target "tile" is not an MPNS value; tile notifications use "token"`},
		{"mpns wrong class", push.WindowsPhone, mpnsToast, http.Header{"X-NotificationClass": {"1"}}, push.ErrInvalidNotification, `X-NotificationClass "1" is not a toast class; want one of 2, 12, 22`},
		{"mpns target on raw", push.WindowsPhone, `<data/>`, http.Header{"X-WindowsPhone-Target": {"toast"}}, push.ErrInvalidNotification, "raw notifications carry no target"},
		{"apns priority", push.Apple, `{"aps":{}}`, http.Header{"apns-priority": {"7"}}, push.ErrInvalidNotification, `apns-priority "7" must be 10 (immediately), 5 (conserve power) or 1 (power first`},
		{"apns background at 10", push.Apple, `{"aps":{"content-available":1}}`, http.Header{"apns-push-type": {"background"}, "apns-priority": {"10"}}, push.ErrInvalidNotification, "apns-priority 10 is refused by APNs for apns-push-type background"},
		{"apns push type not a word", push.Apple, `{"aps":{}}`, http.Header{"apns-push-type": {"Alert"}}, push.ErrInvalidNotification, `apns-push-type "Alert" is not a push type: Apple's are lower-case words (alert, background, voip`},
		{"apns push type with a space", push.Apple, `{"aps":{}}`, http.Header{"apns-push-type": {"live activity"}}, push.ErrInvalidNotification, `apns-push-type "live activity" is not a push type`},
		{"apns push type too long", push.Apple, `{"aps":{}}`, http.Header{"apns-push-type": {strings.Repeat("a", 33)}}, push.ErrInvalidNotification, "is not a push type"},
		{"apple over 4096 unless voip", push.Apple, big(4097), http.Header{"apns-push-type": {"alert"}}, push.ErrPayloadTooLarge, "apple body is 4097 bytes; APNs accepts at most 4096"},
		{"apns voip over 5120", push.Apple, big(5121), http.Header{"apns-push-type": {"voip"}}, push.ErrPayloadTooLarge, "apple body is 5121 bytes; APNs for voip accepts at most 5120"},
		{"browser ttl not seconds", push.Browser, `{"title":"hi"}`, http.Header{"TTL": {"1h"}}, push.ErrInvalidNotification, `TTL "1h" must be whole seconds`},
		{"browser ttl in milliseconds", push.Browser, `{"title":"hi"}`, http.Header{"TTL": {"86400000"}}, push.ErrInvalidNotification, "more than 28 days"},
		{"browser ttl twice", push.Browser, `{"title":"hi"}`, http.Header{"Ttl": {"1", "2"}}, push.ErrInvalidNotification, "header Ttl has 2 values; it takes one"},
		{"browser urgency", push.Browser, `{"title":"hi"}`, http.Header{"Urgency": {"urgent"}}, push.ErrInvalidNotification, `Urgency "urgent" must be very-low, low, normal or high`},
		{"browser topic too long", push.Browser, `{"title":"hi"}`, http.Header{"Topic": {strings.Repeat("t", 33)}}, push.ErrInvalidNotification, "must be 1 to 32 characters of A-Z a-z 0-9 - _"},
		{"browser topic charset", push.Browser, `{"title":"hi"}`, http.Header{"Topic": {"a.b"}}, push.ErrInvalidNotification, `Topic "a.b" must be`},
		{"web push header on apple", push.Apple, `{"aps":{}}`, http.Header{"Urgency": {"high"}}, push.ErrInvalidNotification, "header Urgency belongs to browser notifications, not apple"},
		{"apns expiration ttl", push.Apple, `{"aps":{}}`, http.Header{"apns-expiration": {"3600"}}, push.ErrInvalidNotification, `apns-expiration "3600" looks like a time-to-live`},
		{"apns expiration not a number", push.Apple, `{"aps":{}}`, http.Header{"apns-expiration": {"2030-01-01"}}, push.ErrInvalidNotification, `apns-expiration "2030-01-01" must be a UNIX time in seconds`},
		{"apns collapse id", push.Apple, `{"aps":{}}`, http.Header{"apns-collapse-id": {strings.Repeat("c", 65)}}, push.ErrInvalidNotification, "apns-collapse-id is 65 bytes; APNs accepts at most 64"},
		{"apns id", push.Apple, `{"aps":{}}`, http.Header{"apns-id": {"abc"}}, push.ErrInvalidNotification, `apns-id "abc" is not a UUID`},
		{"provider header", push.Apple, `{"aps":{}}`, http.Header{"ServiceBusNotification-Tags": {"a"}}, push.ErrInvalidNotification, "header Servicebusnotification-Tags is set by the provider, not by a notification"},
		{"content type header", push.Apple, `{"aps":{}}`, http.Header{"Content-Type": {"text/plain"}}, push.ErrInvalidNotification, "header Content-Type is set by the provider"},
		{"authorization header", push.Apple, `{"aps":{}}`, http.Header{"Authorization": {"x"}}, push.ErrInvalidNotification, "header Authorization is set by the provider"},
		{"other platform's header", push.Apple, `{"aps":{}}`, http.Header{"X-WNS-TTL": {"5"}}, push.ErrInvalidNotification, "header X-Wns-Ttl belongs to windows notifications, not apple"},
		{"subscription header", push.Browser, `{}`, http.Header{"Auth": {"x"}}, push.ErrInvalidNotification, "use push.BrowserDevice"},
		{"header line break", push.Apple, `{"aps":{}}`, http.Header{"apns-collapse-id": {"a\r\nX: y"}}, push.ErrInvalidNotification, "has a value with a line break or NUL"},
		{"apple over 4096", push.Apple, big(4097), nil, push.ErrPayloadTooLarge, "apple body is 4097 bytes; APNs accepts at most 4096"},
		{"fcmv1 over 4096", push.FCMV1, big(4097), nil, push.ErrPayloadTooLarge, "fcmv1 body is 4097 bytes; FCM accepts at most 4096"},
		{"gcm over 4096", push.GCM, big(4097), nil, push.ErrPayloadTooLarge, "gcm body is 4097 bytes"},
		{"wns raw over 5 KB", push.Windows, strings.Repeat("r", 5121), http.Header{"X-WNS-Type": {"wns/raw"}}, push.ErrPayloadTooLarge, "windows body is 5121 bytes; WNS accepts at most 5120"},
		{"anything over 64 KB", push.ADM, big(65537), nil, push.ErrPayloadTooLarge, "adm body is 65537 bytes; Notification Hubs accepts at most 65536"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := push.NewNotification(tt.platform, []byte(tt.body), tt.header)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.kind)
			assert.Contains(t, err.Error(), tt.message)
			var pe *push.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "push", pe.Op)
		})
	}
}

func TestSizeLimitsAreInclusive(t *testing.T) {
	body := `{"a":"` + strings.Repeat("x", push.MaxAppleBodySize-8) + `"}`
	require.Len(t, body, push.MaxAppleBodySize)
	_, err := push.NewNotification(push.Apple, []byte(body), nil)
	assert.NoError(t, err)
}

func TestPayloadTooLargeIsAlsoInvalidNotification(t *testing.T) {
	_, err := push.NewNotification(push.Apple, make([]byte, 5000), nil)
	assert.ErrorIs(t, err, push.ErrPayloadTooLarge)
	assert.ErrorIs(t, err, push.ErrInvalidNotification)
}

func TestValidateChecksHandBuiltNotifications(t *testing.T) {
	tests := []struct {
		name string
		n    push.Notification
		want string
	}{
		{"windows without X-WNS-Type", push.Notification{Platform: push.Windows, Body: []byte(`<toast/>`)}, "windows notification needs an X-WNS-Type header"},
		{"wrong content type", push.Notification{Platform: push.Apple, ContentType: "application/xml", Body: []byte(`{}`)}, `apple notification has content type "application/xml"; want "application/json;charset=utf-8"`},
		{"raw declared as xml", push.Notification{Platform: push.Windows, ContentType: "application/xml", Header: http.Header{"X-Wns-Type": {"wns/raw"}}, Body: []byte(`x`)}, `want "application/octet-stream"`},
		{"content type with line break", push.Notification{Platform: push.Apple, ContentType: "application/json\r\nX: y", Body: []byte(`{}`)}, "content type contains a line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.n.Validate()
			assert.ErrorIs(t, err, push.ErrInvalidNotification)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestValidateAcceptsEquivalentContentTypes(t *testing.T) {
	for _, ct := range []string{"", "application/json", "Application/JSON; charset=UTF-8"} {
		n := push.Notification{Platform: push.Apple, ContentType: ct, Body: []byte(`{}`)}
		assert.NoError(t, n.Validate(), ct)
	}
}

func TestEffectiveContentType(t *testing.T) {
	tests := []struct {
		n    push.Notification
		want string
	}{
		{push.Notification{Platform: push.Apple}, push.ContentTypeJSON},
		{push.Notification{Platform: push.Template}, push.ContentTypeJSON},
		{push.Notification{Platform: push.Windows}, push.ContentTypeXML},
		{push.Notification{Platform: push.Windows, Header: http.Header{"X-Wns-Type": {"wns/raw"}}}, push.ContentTypeOctetStream},
		{push.Notification{Platform: push.WindowsPhone}, push.ContentTypeXMLUTF8},
		{push.Notification{Platform: push.Apple, ContentType: "application/json"}, "application/json"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.n.EffectiveContentType(), tt.n.Platform)
	}
}

func TestNotificationCloneIsDeep(t *testing.T) {
	n, err := push.NewNotification(push.Windows, []byte(`<toast/>`), http.Header{"X-WNS-TTL": {"5"}})
	require.NoError(t, err)
	c := n.Clone()
	c.Body[1] = 'X'
	c.Header.Set("X-Wns-Ttl", "9")
	assert.Equal(t, "<toast/>", string(n.Body))
	assert.Equal(t, "5", n.Header.Get("X-Wns-Ttl"))
}

func TestPlatforms(t *testing.T) {
	ps := push.Platforms()
	assert.Len(t, ps, 10)
	for _, p := range ps {
		assert.True(t, p.Valid(), p)
		assert.Equal(t, string(p), p.String())
	}
	assert.False(t, push.Platform("ios").Valid())
	assert.False(t, push.Platform("").Valid())
}

func TestErrorsAreTyped(t *testing.T) {
	_, err := push.NewNotification(push.Apple, []byte(`nope`), nil)
	var pe *push.Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, push.ErrInvalidNotification, pe.Kind)
	assert.Zero(t, pe.StatusCode)
	assert.False(t, pe.Retryable())
}

// big returns a JSON object of exactly n bytes.
func big(n int) string { return `{"a":"` + strings.Repeat("x", n-8) + `"}` }

func TestZeroNotificationSaysItHasNoPlatform(t *testing.T) {
	err := push.Notification{}.Validate()
	assert.ErrorIs(t, err, push.ErrInvalidNotification)
	assert.ErrorContains(t, err, "the notification has no platform")
	_, err = push.Render(push.Notification{}, push.Broadcast())
	assert.ErrorContains(t, err, "has no platform")
}
