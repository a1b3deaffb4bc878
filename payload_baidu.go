package push

// maxBaiduMessage is the largest message Baidu Cloud Push takes, in bytes.
const maxBaiduMessage = 4096

// The bits of BaiduMessage.NotificationBasicStyle.
const (
	BaiduClearable = 1 << iota // the user can swipe it away
	BaiduVibrate               // the device vibrates
	BaiduRing                  // the device rings
)

// BaiduMessage is a typed Baidu Cloud Push notification for Android, the JSON
// Notification Hubs' baidu platform forwards.
//
// Notification refuses a message without a Description, a NotificationBasicStyle
// outside 0..7, both URL and PkgContent, a URL without a scheme, and a message
// over 4096 bytes (ErrPayloadTooLarge). Errors match ErrInvalidNotification and
// name the field.
//
// A BaiduMessage is plain data: it may be copied and rendered from several
// goroutines as long as nobody modifies it.
type BaiduMessage struct {
	// Title is the notification's title; empty: the app's name.
	Title string
	// Description is the notification's text; required.
	Description string
	// NotificationBuilderID picks a notification style the app registered; 0:
	// the default.
	NotificationBuilderID int
	// NotificationBasicStyle combines BaiduRing, BaiduVibrate and
	// BaiduClearable; 0 sends none (Baidu's default).
	NotificationBasicStyle int
	// URL is opened on a click (open_type 1).
	URL string
	// PkgContent is an intent URI the app handles on a click (open_type 2).
	PkgContent string
	// CustomContent is handed to the app (custom_content).
	CustomContent map[string]string
}

type baiduMessageJSON struct {
	Title                  string            `json:"title,omitempty"`
	Description            string            `json:"description"`
	NotificationBuilderID  int               `json:"notification_builder_id,omitempty"`
	NotificationBasicStyle int               `json:"notification_basic_style,omitempty"`
	OpenType               int               `json:"open_type,omitempty"`
	URL                    string            `json:"url,omitempty"`
	PkgContent             string            `json:"pkg_content,omitempty"`
	CustomContent          map[string]string `json:"custom_content,omitempty"`
}

// Notification renders m as a baidu notification, checked by NewNotification.
func (m BaiduMessage) Notification() (Notification, error) {
	if err := m.check(); err != nil {
		return Notification{}, err
	}
	w := baiduMessageJSON{
		Title: m.Title, Description: m.Description, NotificationBuilderID: m.NotificationBuilderID,
		NotificationBasicStyle: m.NotificationBasicStyle, URL: m.URL, PkgContent: m.PkgContent,
		CustomContent: m.CustomContent,
	}
	switch {
	case m.URL != "":
		w.OpenType = 1
	case m.PkgContent != "":
		w.OpenType = 2
	}
	body, err := encodePayloadJSON(w)
	if err != nil {
		return Notification{}, payloadInvalid("BaiduMessage: %v", err)
	}
	if len(body) > maxBaiduMessage {
		return Notification{}, payloadTooLarge("baidu body is %d bytes; Baidu Cloud Push takes at most %d", len(body), maxBaiduMessage)
	}
	return NewNotification(Baidu, body, nil)
}

func (m BaiduMessage) check() error {
	switch {
	case m.Description == "":
		return payloadInvalid("BaiduMessage.Description is empty; Baidu shows it as the notification's text")
	case m.NotificationBasicStyle < 0 || m.NotificationBasicStyle > BaiduRing|BaiduVibrate|BaiduClearable:
		return payloadInvalid("BaiduMessage.NotificationBasicStyle is %d; combine BaiduRing (4), BaiduVibrate (2) and BaiduClearable (1)", m.NotificationBasicStyle)
	case m.NotificationBuilderID < 0:
		return payloadInvalid("BaiduMessage.NotificationBuilderID is %d; it must be 0 or more", m.NotificationBuilderID)
	case m.URL != "" && m.PkgContent != "":
		return payloadInvalid("BaiduMessage has both URL and PkgContent; a click opens one of them")
	}
	if err := checkPayloadURL("BaiduMessage.URL", m.URL); err != nil {
		return err
	}
	return checkPayloadKeys("BaiduMessage.CustomContent", m.CustomContent)
}
