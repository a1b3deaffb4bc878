package push

import (
	"net/http"
	"strconv"
	"time"
)

// maxWebPushPayload is the largest Web Push body, in bytes: push services take
// at most 4096 bytes of encrypted record, and aes128gcm encryption (RFC 8291)
// adds 103 bytes to the plaintext.
const maxWebPushPayload = 4096 - 103

// WebPush is a typed browser notification (Web Push), the JSON that Notification
// Hubs' browser platform hands to the site's service worker, shaped like the
// options of the Notification API's showNotification(title, options) so that a
// service worker can pass it on as is.
//
// Notification refuses what a browser would throw on: no Title, a Dir other than
// auto, ltr or rtl, Renotify without a Tag, Vibrate with Silent, an action without
// its name or title, a URL without a scheme, and a body over 3993 bytes (the 4096
// bytes a push service takes, less encryption; ErrPayloadTooLarge). Errors match
// ErrInvalidNotification and name the field.
//
// A WebPush value is plain data: it may be copied and rendered from several
// goroutines as long as nobody modifies it.
type WebPush struct {
	Title string // required
	Body  string
	Icon  string // URL of the icon
	Image string // URL of a large image
	Badge string // URL of a small monochrome image for the status bar
	Tag   string // a newer notification with the same tag replaces the older
	Lang  string // BCP 47 language tag
	Dir   string // text direction: "", "auto", "ltr" or "rtl"

	RequireInteraction bool      // stays until the user acts
	Silent             bool      // no sound nor vibration
	Renotify           bool      // alerts again when replacing a notification of the same Tag
	Timestamp          time.Time // when the event happened; zero: absent (sent as UNIX milliseconds)
	Vibrate            []int     // vibration pattern in milliseconds
	Actions            []WebPushAction

	// Data is handed to the service worker (notification.data): strings only.
	Data map[string]string

	// TTL is how long the push service keeps the message for a browser that
	// is offline, sent as the TTL header in whole seconds. Zero sends no
	// header: the provider's default applies (a direct Web Push sender always
	// sends one). A negative TTL sends 0: deliver only to a browser connected
	// now.
	TTL time.Duration
	// Urgency is the Urgency header: "very-low", "low", "normal" or "high";
	// empty sends none (the push service's default, normal).
	Urgency string
	// Topic is the Topic header: a newer message with the same topic replaces
	// one the push service still holds. At most 32 characters of A-Z a-z 0-9
	// - _; empty sends none.
	Topic string
}

// WebPushAction is a button of a browser notification.
type WebPushAction struct {
	Action string // the name the service worker receives on a click; required
	Title  string // the button's text; required
	Icon   string // URL of the button's icon
}

// webPushJSON is the wire form of WebPush.
type webPushJSON struct {
	Title              string            `json:"title,omitempty"`
	Body               string            `json:"body,omitempty"`
	Icon               string            `json:"icon,omitempty"`
	Image              string            `json:"image,omitempty"`
	Badge              string            `json:"badge,omitempty"`
	Tag                string            `json:"tag,omitempty"`
	Lang               string            `json:"lang,omitempty"`
	Dir                string            `json:"dir,omitempty"`
	RequireInteraction bool              `json:"requireInteraction,omitempty"`
	Silent             bool              `json:"silent,omitempty"`
	Renotify           bool              `json:"renotify,omitempty"`
	Timestamp          int64             `json:"timestamp,omitempty"`
	Vibrate            []int             `json:"vibrate,omitempty"`
	Actions            []webPushActJSON  `json:"actions,omitempty"`
	Data               map[string]string `json:"data,omitempty"`
}

type webPushActJSON struct {
	Action string `json:"action"`
	Title  string `json:"title"`
	Icon   string `json:"icon,omitempty"`
}

// Notification renders w as a Browser notification, checked by NewNotification.
func (w WebPush) Notification() (Notification, error) {
	if w.Title == "" {
		return Notification{}, payloadInvalid("WebPush.Title is empty; a browser notification needs a title")
	}
	wire, err := w.wire("WebPush")
	if err != nil {
		return Notification{}, err
	}
	body, err := encodePayloadJSON(wire)
	if err != nil {
		return Notification{}, payloadInvalid("WebPush: %v", err)
	}
	if len(body) > maxWebPushPayload {
		return Notification{}, payloadTooLarge("browser body is %d bytes; a Web Push message carries at most %d once encrypted", len(body), maxWebPushPayload)
	}
	return NewNotification(Browser, body, w.header())
}

// header returns the Web Push headers of w; nil when it sets none.
func (w WebPush) header() http.Header {
	var h http.Header
	set := func(k, v string) {
		if h == nil {
			h = make(http.Header, 3)
		}
		h[k] = []string{v}
	}
	switch {
	case w.TTL < 0:
		set(headerWebPushTTL, "0")
	case w.TTL > 0:
		set(headerWebPushTTL, strconv.FormatInt(int64(w.TTL/time.Second), 10))
	}
	if w.Urgency != "" {
		set(headerWebPushUrgency, w.Urgency)
	}
	if w.Topic != "" {
		set(headerWebPushTopic, w.Topic)
	}
	return h
}

// wire checks w and returns its wire form; field prefixes error messages.
func (w WebPush) wire(field string) (webPushJSON, error) {
	if err := w.check(field); err != nil {
		return webPushJSON{}, err
	}
	j := webPushJSON{
		Title: w.Title, Body: w.Body, Icon: w.Icon, Image: w.Image, Badge: w.Badge,
		Tag: w.Tag, Lang: w.Lang, Dir: w.Dir,
		RequireInteraction: w.RequireInteraction, Silent: w.Silent, Renotify: w.Renotify,
		Vibrate: w.Vibrate, Data: w.Data,
	}
	if !w.Timestamp.IsZero() {
		j.Timestamp = w.Timestamp.UnixMilli()
	}
	for _, a := range w.Actions {
		j.Actions = append(j.Actions, webPushActJSON(a))
	}
	return j, nil
}

func (w WebPush) check(field string) error {
	for _, u := range []struct{ name, v string }{{".Icon", w.Icon}, {".Image", w.Image}, {".Badge", w.Badge}} {
		if err := checkPayloadURL(field+u.name, u.v); err != nil {
			return err
		}
	}
	switch {
	case w.Dir != "" && w.Dir != "auto" && w.Dir != "ltr" && w.Dir != "rtl":
		return payloadInvalid("%s.Dir %q must be auto, ltr or rtl", field, w.Dir)
	case w.Renotify && w.Tag == "":
		return payloadInvalid("%s.Renotify needs a Tag: a browser re-alerts only when replacing a notification of the same tag", field)
	case w.Silent && len(w.Vibrate) > 0:
		return payloadInvalid("%s.Silent and %s.Vibrate are both set; a browser refuses a silent notification that vibrates", field, field)
	}
	for i, v := range w.Vibrate {
		if v < 0 {
			return payloadInvalid("%s.Vibrate[%d] is %d; durations are milliseconds, 0 or more", field, i, v)
		}
	}
	if err := w.checkActions(field); err != nil {
		return err
	}
	return checkPayloadKeys(field+".Data", w.Data)
}

func (w WebPush) checkActions(field string) error {
	for i, a := range w.Actions {
		if a.Action == "" || a.Title == "" {
			return payloadInvalid("%s.Actions[%d] needs both Action (its name) and Title (its text)", field, i)
		}
		if err := checkPayloadURL(field+".Actions.Icon", a.Icon); err != nil {
			return err
		}
	}
	return nil
}
