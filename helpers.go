package push

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
)

// JSONNotification returns a notification of a JSON platform whose body is
// payload marshalled as JSON (without HTML escaping, to spare bytes). A payload
// that is already JSON text ([]byte, json.RawMessage or string) is used as is.
// header may be nil. See NewNotification for the checks.
func JSONNotification(p Platform, payload any, header http.Header) (Notification, error) {
	if !p.isJSON() {
		return Notification{}, invalid(ErrInvalidNotification, fmt.Sprintf("JSONNotification takes a JSON platform, not %q", string(p)))
	}
	body, err := marshalJSON(payload)
	if err != nil {
		return Notification{}, invalid(ErrInvalidNotification, fmt.Sprintf("%s payload: %v", p, err))
	}
	return NewNotification(p, body, header)
}

func marshalJSON(payload any) ([]byte, error) {
	switch v := payload.(type) {
	case []byte:
		return v, nil
	case json.RawMessage:
		return v, nil
	case string:
		return []byte(v), nil
	}
	return encodePayloadJSON(payload)
}

// AppleNotification returns an APNs notification of payload (typically
// {"aps":{"alert":...}}). Use JSONNotification(Apple, payload, header) to add
// apns-* headers.
func AppleNotification(payload any) (Notification, error) {
	return JSONNotification(Apple, payload, nil)
}

// FCMV1Notification returns an FCM v1 notification of payload, which must be
// {"message":{...}} with string data values.
func FCMV1Notification(payload any) (Notification, error) {
	return JSONNotification(FCMV1, payload, nil)
}

// GCMNotification returns a legacy GCM notification of payload.
//
// Deprecated: Google shut the legacy API down in 2024; use FCMV1Notification.
func GCMNotification(payload any) (Notification, error) {
	return JSONNotification(GCM, payload, nil)
}

// ADMNotification returns an Amazon Device Messaging notification of payload.
func ADMNotification(payload any) (Notification, error) {
	return JSONNotification(ADM, payload, nil)
}

// BaiduNotification returns a Baidu notification of payload.
func BaiduNotification(payload any) (Notification, error) {
	return JSONNotification(Baidu, payload, nil)
}

// BrowserNotification returns a Web Push notification of payload.
func BrowserNotification(payload any) (Notification, error) {
	return JSONNotification(Browser, payload, nil)
}

// XiaomiNotification returns a Xiaomi notification of payload.
func XiaomiNotification(payload any) (Notification, error) {
	return JSONNotification(Xiaomi, payload, nil)
}

// TemplateNotification returns a template notification carrying props; the
// service expands them into the templates devices registered.
func TemplateNotification(props map[string]string) (Notification, error) {
	if len(props) == 0 {
		return Notification{}, invalid(ErrInvalidNotification, "template notification needs at least one property")
	}
	return JSONNotification(Template, props, nil)
}

// WindowsNotification returns a WNS notification of toast, tile or badge XML;
// X-WNS-Type comes from the root element.
func WindowsNotification(xmlBody string) (Notification, error) {
	return NewNotification(Windows, []byte(xmlBody), nil)
}

// WindowsToastNotification returns a WNS toast; the root element must be <toast>.
func WindowsToastNotification(xmlBody string) (Notification, error) {
	return windowsOfType(xmlBody, wnsToast)
}

// WindowsTileNotification returns a WNS tile; the root element must be <tile>.
func WindowsTileNotification(xmlBody string) (Notification, error) {
	return windowsOfType(xmlBody, wnsTile)
}

func windowsOfType(xmlBody, t string) (Notification, error) {
	return NewNotification(Windows, []byte(xmlBody), http.Header{headerWNSType: {t}})
}

// wnsGlyphs are the badge values WNS takes besides numbers.
var wnsGlyphs = [...]string{
	"none", "activity", "alarm", "alert", "attention", "available", "away",
	"busy", "error", "newMessage", "paused", "playing", "unavailable",
}

// WindowsBadgeNotification returns a WNS badge: a number (0 clears the badge;
// WNS shows 99+ above 99) or a glyph name such as "newMessage" or "alert".
func WindowsBadgeNotification(value string) (Notification, error) {
	if !isBadgeValue(value) {
		return Notification{}, invalid(ErrInvalidNotification, fmt.Sprintf("badge value %q is neither a number nor a WNS glyph (%v)", value, wnsGlyphs))
	}
	body, err := xml.Marshal(struct {
		XMLName xml.Name `xml:"badge"`
		Value   string   `xml:"value,attr"`
	}{Value: value})
	if err != nil {
		return Notification{}, invalid(ErrInvalidNotification, err.Error())
	}
	return windowsOfType(string(body), wnsBadge)
}

func isBadgeValue(v string) bool {
	if checkDigits(v) {
		return true
	}
	for _, g := range wnsGlyphs {
		if v == g {
			return true
		}
	}
	return false
}

// WindowsRawNotification returns a WNS raw notification: body is delivered to
// the app as is (application/octet-stream), at most 5 KB.
func WindowsRawNotification(body []byte) (Notification, error) {
	return NewNotification(Windows, body, http.Header{headerWNSType: {wnsRaw}})
}

// MPNSNotification returns a Windows Phone (MPNS) notification: a toast or tile
// when the XML under <wp:Notification> is <wp:Toast> or <wp:Tile>, raw otherwise.
// Microsoft retired MPNS; this serves hubs that still hold such registrations.
func MPNSNotification(xmlBody string) (Notification, error) {
	return NewNotification(WindowsPhone, []byte(xmlBody), nil)
}
