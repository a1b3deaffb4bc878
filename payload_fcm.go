package push

import (
	"encoding/json"
	"time"
)

// maxFCMTTL is the longest time FCM keeps a message for an offline device.
const maxFCMTTL = 28 * 24 * time.Hour

// FCMMessage is a typed Firebase Cloud Messaging v1 message: the "message"
// object of {"message":{...}}, which Notification Hubs' fcmv1 platform forwards.
// The device token or topic are not part of it: the hub supplies them.
//
// Data values are strings by type, as FCM requires. Notification refuses what FCM
// would refuse: an empty message, reserved data keys ("from", "notification",
// "message_type", "google*", "gcm*"), a negative TTL or one over 4 weeks, an
// android color other than #rrggbb, an unknown priority, an analytics label
// other than 1 to 50 of [A-Za-z0-9-_.~%], a webpush link that is not https, and a
// body over 4096 bytes (ErrPayloadTooLarge). Errors match ErrInvalidNotification
// and name the field.
//
// An FCMMessage is plain data: it may be copied and rendered from several
// goroutines as long as nobody modifies it.
type FCMMessage struct {
	// Display is the notification the system shows on every platform
	// (message.notification). It is not named Notification because that is the
	// method that renders the message.
	Display *FCMNotification
	// Data is handed to the app (message.data).
	Data map[string]string
	// Android holds Android-only options.
	Android *FCMAndroid
	// APNs is the payload and headers for Apple devices reached through FCM
	// (message.apns: {"headers":{apns-*},"payload":{"aps":...}}).
	APNs *APNs
	// Webpush holds options for web apps reached through FCM.
	Webpush *FCMWebpush
	// AnalyticsLabel labels the message in FCM's reports (fcm_options.analytics_label).
	AnalyticsLabel string
}

// FCMNotification is the cross-platform notification of an FCM message.
type FCMNotification struct {
	Title string
	Body  string
	Image string // URL of an image shown in the notification
}

// FCMAndroid is the android object of an FCM message.
type FCMAndroid struct {
	// CollapseKey groups messages: while the device is offline only the last
	// of a group is kept.
	CollapseKey string
	// Priority is the delivery priority: normal (may wait while the device
	// dozes) or high (wakes it). Empty: FCM's default.
	Priority Priority
	// TTL is how long FCM keeps the message for an offline device, at most 4
	// weeks; 0 sends none (FCM's default, 4 weeks). FCM rounds it down to whole
	// seconds, so a TTL below one second asks for delivery now or never.
	TTL time.Duration
	// RestrictedPackageName is the package the registration token must belong to.
	RestrictedPackageName string
	// Data replaces the message's Data on Android.
	Data map[string]string
	// Notification overrides the message's notification on Android.
	Notification *FCMAndroidNotification
	// DirectBootOK allows delivery while the device is in direct boot mode.
	DirectBootOK bool
}

// FCMAndroidNotification is the android.notification object of an FCM message.
type FCMAndroidNotification struct {
	Title, Body string
	Icon        string // a drawable resource of the app
	Color       string // the icon's color, #rrggbb
	Sound       string // "default" or a raw resource of the app
	Tag         string // a newer notification with the same tag replaces the older
	ClickAction string // the intent action started on a click
	ChannelID   string // the Android notification channel
	Image       string // URL of an image shown in the notification
	Ticker      string // text for accessibility services

	TitleLocKey  string
	TitleLocArgs []string
	BodyLocKey   string
	BodyLocArgs  []string

	Sticky       bool      // stays after a click
	LocalOnly    bool      // not bridged to other devices (a watch)
	DefaultSound bool      // the framework's default sound
	EventTime    time.Time // when the event happened; zero: absent
	// NotificationCount is the number shown on the launcher; nil: absent.
	NotificationCount *int
}

// FCMWebpush is the webpush object of an FCM message.
type FCMWebpush struct {
	// Headers are Web Push protocol headers, such as TTL and Urgency.
	Headers map[string]string
	// Data is handed to the web app.
	Data map[string]string
	// Notification is shown by the browser (its Title may be empty here).
	Notification *WebPush
	// Link is the https URL opened on a click (webpush.fcm_options.link).
	Link string
}

// fcmEnvelopeJSON is {"message":{...}}.
type fcmEnvelopeJSON struct {
	Message fcmMessageJSON `json:"message"`
}

type fcmMessageJSON struct {
	Notification *fcmNotificationJSON `json:"notification,omitempty"`
	Data         map[string]string    `json:"data,omitempty"`
	Android      *fcmAndroidJSON      `json:"android,omitempty"`
	APNs         json.RawMessage      `json:"apns,omitempty"`
	Webpush      *fcmWebpushJSON      `json:"webpush,omitempty"`
	FCMOptions   *fcmOptionsJSON      `json:"fcm_options,omitempty"`
}

// fcmNotificationJSON is the wire form of FCMNotification.
type fcmNotificationJSON struct {
	Title string `json:"title,omitempty"`
	Body  string `json:"body,omitempty"`
	Image string `json:"image,omitempty"`
}

type fcmOptionsJSON struct {
	AnalyticsLabel string `json:"analytics_label,omitempty"`
	Link           string `json:"link,omitempty"`
}

type fcmAndroidJSON struct {
	CollapseKey           string               `json:"collapse_key,omitempty"`
	Priority              string               `json:"priority,omitempty"`
	TTL                   string               `json:"ttl,omitempty"`
	RestrictedPackageName string               `json:"restricted_package_name,omitempty"`
	Data                  map[string]string    `json:"data,omitempty"`
	Notification          *fcmAndroidNotifJSON `json:"notification,omitempty"`
	DirectBootOK          bool                 `json:"direct_boot_ok,omitempty"`
}

type fcmAndroidNotifJSON struct {
	Title             string   `json:"title,omitempty"`
	Body              string   `json:"body,omitempty"`
	Icon              string   `json:"icon,omitempty"`
	Color             string   `json:"color,omitempty"`
	Sound             string   `json:"sound,omitempty"`
	Tag               string   `json:"tag,omitempty"`
	ClickAction       string   `json:"click_action,omitempty"`
	BodyLocKey        string   `json:"body_loc_key,omitempty"`
	BodyLocArgs       []string `json:"body_loc_args,omitempty"`
	TitleLocKey       string   `json:"title_loc_key,omitempty"`
	TitleLocArgs      []string `json:"title_loc_args,omitempty"`
	ChannelID         string   `json:"channel_id,omitempty"`
	Ticker            string   `json:"ticker,omitempty"`
	Sticky            bool     `json:"sticky,omitempty"`
	EventTime         string   `json:"event_time,omitempty"`
	LocalOnly         bool     `json:"local_only,omitempty"`
	DefaultSound      bool     `json:"default_sound,omitempty"`
	Image             string   `json:"image,omitempty"`
	NotificationCount *int     `json:"notification_count,omitempty"`
}

type fcmWebpushJSON struct {
	Headers      map[string]string `json:"headers,omitempty"`
	Data         map[string]string `json:"data,omitempty"`
	Notification *webPushJSON      `json:"notification,omitempty"`
	FCMOptions   *fcmOptionsJSON   `json:"fcm_options,omitempty"`
}

// Notification renders m as an fcmv1 notification, checked by NewNotification.
func (m FCMMessage) Notification() (Notification, error) {
	wire, err := m.wire()
	if err != nil {
		return Notification{}, err
	}
	body, err := encodePayloadJSON(fcmEnvelopeJSON{Message: wire})
	if err != nil {
		return Notification{}, payloadInvalid("FCMMessage: %v", err)
	}
	return NewNotification(FCMV1, body, nil)
}

func (m FCMMessage) wire() (fcmMessageJSON, error) {
	if m.Display == nil && len(m.Data) == 0 && m.Android == nil && m.APNs == nil && m.Webpush == nil {
		return fcmMessageJSON{}, payloadInvalid("FCMMessage is empty: set Display, Data, Android, APNs or Webpush")
	}
	if err := checkFCMStrings("FCMMessage.Data", m.Data); err != nil {
		return fcmMessageJSON{}, err
	}
	if err := checkFCMLabel(m.AnalyticsLabel); err != nil {
		return fcmMessageJSON{}, err
	}
	w := fcmMessageJSON{Data: m.Data}
	if m.AnalyticsLabel != "" {
		w.FCMOptions = &fcmOptionsJSON{AnalyticsLabel: m.AnalyticsLabel}
	}
	var err error
	if w.Notification, err = m.Display.wire(); err != nil {
		return w, err
	}
	if w.Android, err = m.Android.wire(); err != nil {
		return w, err
	}
	if m.APNs != nil {
		if w.APNs, err = m.APNs.fcmConfig(); err != nil {
			return w, err
		}
	}
	w.Webpush, err = m.Webpush.wire()
	return w, err
}

// checkFCMStrings applies FCM's rules for data maps: no empty, no reserved key.
func checkFCMStrings(field string, data map[string]string) error {
	if err := checkPayloadKeys(field, data); err != nil {
		return err
	}
	for _, k := range sortedKeys(data) {
		if fcmReservedKey(k) {
			return payloadInvalid("%s key %q is reserved by FCM (from, notification, message_type, google*, gcm*)", field, k)
		}
	}
	return nil
}

// checkFCMLabel accepts "" or 1 to 50 characters of [A-Za-z0-9-_.~%].
func checkFCMLabel(label string) error {
	if label == "" {
		return nil
	}
	if len(label) > 50 {
		return payloadInvalid("FCMMessage.AnalyticsLabel has %d characters; FCM takes at most 50", len(label))
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !(isASCIIAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '%') {
			return payloadInvalid("FCMMessage.AnalyticsLabel %q has %q at byte %d; FCM takes letters, digits and - _ . ~ %%", label, c, i+1)
		}
	}
	return nil
}

func (n *FCMNotification) wire() (*fcmNotificationJSON, error) {
	if n == nil {
		return nil, nil
	}
	if err := checkPayloadURL("FCMNotification.Image", n.Image); err != nil {
		return nil, err
	}
	return &fcmNotificationJSON{Title: n.Title, Body: n.Body, Image: n.Image}, nil
}

func (a *FCMAndroid) wire() (*fcmAndroidJSON, error) {
	if a == nil {
		return nil, nil
	}
	if err := a.check(); err != nil {
		return nil, err
	}
	w := &fcmAndroidJSON{
		CollapseKey: a.CollapseKey, Priority: string(a.Priority),
		RestrictedPackageName: a.RestrictedPackageName, Data: a.Data, DirectBootOK: a.DirectBootOK,
	}
	if a.TTL > 0 {
		w.TTL = protoDuration(a.TTL)
	}
	var err error
	w.Notification, err = a.Notification.wire()
	return w, err
}

func (a *FCMAndroid) check() error {
	if err := checkPriorityValue("FCMAndroid.Priority", a.Priority); err != nil {
		return err
	}
	if err := checkPayloadTTL("FCMAndroid.TTL", a.TTL, maxFCMTTL); err != nil {
		return err
	}
	return checkFCMStrings("FCMAndroid.Data", a.Data)
}

func (n *FCMAndroidNotification) wire() (*fcmAndroidNotifJSON, error) {
	if n == nil {
		return nil, nil
	}
	if err := n.check(); err != nil {
		return nil, err
	}
	w := &fcmAndroidNotifJSON{
		Title: n.Title, Body: n.Body, Icon: n.Icon, Color: n.Color, Sound: n.Sound, Tag: n.Tag,
		ClickAction: n.ClickAction, BodyLocKey: n.BodyLocKey, BodyLocArgs: n.BodyLocArgs,
		TitleLocKey: n.TitleLocKey, TitleLocArgs: n.TitleLocArgs, ChannelID: n.ChannelID,
		Ticker: n.Ticker, Sticky: n.Sticky, LocalOnly: n.LocalOnly, DefaultSound: n.DefaultSound,
		Image: n.Image, NotificationCount: n.NotificationCount,
	}
	if !n.EventTime.IsZero() {
		w.EventTime = n.EventTime.UTC().Format(time.RFC3339Nano)
	}
	return w, nil
}

func (n *FCMAndroidNotification) check() error {
	switch {
	case n.Color != "" && !isRGBColor(n.Color):
		return payloadInvalid("FCMAndroidNotification.Color %q must be #rrggbb, like #1a73e8", n.Color)
	case n.TitleLocKey == "" && len(n.TitleLocArgs) > 0:
		return payloadInvalid("FCMAndroidNotification.TitleLocArgs needs TitleLocKey")
	case n.BodyLocKey == "" && len(n.BodyLocArgs) > 0:
		return payloadInvalid("FCMAndroidNotification.BodyLocArgs needs BodyLocKey")
	case n.NotificationCount != nil && *n.NotificationCount < 0:
		return payloadInvalid("FCMAndroidNotification.NotificationCount is %d; it must be 0 or more", *n.NotificationCount)
	}
	return checkPayloadURL("FCMAndroidNotification.Image", n.Image)
}

// isRGBColor reports whether s is #rrggbb.
func isRGBColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for i := 1; i < 7; i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func (p *FCMWebpush) wire() (*fcmWebpushJSON, error) {
	if p == nil {
		return nil, nil
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	w := &fcmWebpushJSON{Headers: p.Headers, Data: p.Data}
	if p.Link != "" {
		w.FCMOptions = &fcmOptionsJSON{Link: p.Link}
	}
	if p.Notification != nil {
		n, err := p.Notification.wire("FCMWebpush.Notification")
		if err != nil {
			return nil, err
		}
		w.Notification = &n
	}
	return w, nil
}

func (p *FCMWebpush) check() error {
	if err := checkPayloadKeys("FCMWebpush.Headers", p.Headers); err != nil {
		return err
	}
	if err := checkPayloadKeys("FCMWebpush.Data", p.Data); err != nil {
		return err
	}
	if p.Link == "" {
		return nil
	}
	if err := checkPayloadURL("FCMWebpush.Link", p.Link); err != nil {
		return err
	}
	if len(p.Link) < 8 || p.Link[:8] != "https://" {
		return payloadInvalid("FCMWebpush.Link %q must be an https URL", p.Link)
	}
	return nil
}
