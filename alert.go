package push

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The data keys an Alert adds for DeepLink and (on apple) Image.
const (
	alertKeyDeepLink = "deepLink"
	alertKeyImage    = "image"
	// AlertDataPrefix prefixes the template property of each Data key.
	AlertDataPrefix = "data_"
)

// Alert is a portable message: one text for every platform, rendered to each
// native format by Notification. It lets an app say "tell this user 'Your order
// shipped'" without writing five payload formats.
//
// Every field but Title or Body is optional. Each platform takes what it can
// carry; the rest is left out ("-"), as the two tables say:
//
//	platform      Title / Body                Badge                        Sound                          Data
//	apple         aps.alert.title / .body     aps.badge                    aps.sound                      top-level keys
//	fcmv1         notification.title / .body  android.notification.        android.notification.sound     data
//	                                          notification_count
//	gcm           notification.title / .body  -                            notification.sound             data
//	windows       first / second text line    - (send a WNSBadge)          <audio src> if it is "ms-..."  launch (a query string)
//	windowsphone  wp:Text1 / wp:Text2         -                            -                              -
//	adm           notification.title / .body  -                            notification.sound             data
//	baidu         title / description         -                            -                              custom_content
//	browser       title / body                -                            -                              data
//	xiaomi        title / description         -                            notify_type 1 (default sound)  payload (a JSON object)
//
//	platform      Priority high / normal  Expiry             CollapseKey           Image                    DeepLink
//	apple         apns-priority 10 / 5    apns-expiration    apns-collapse-id      "image" key and          "deepLink" key
//	                                                                               mutable-content 1
//	fcmv1         android.priority        android.ttl        android.collapse_key  notification.image       data "deepLink"
//	gcm           priority                time_to_live       collapse_key          notification.image       data "deepLink"
//	windows       -                       X-WNS-TTL          X-WNS-Tag (≤16)       <image src>              launch, protocol activation
//	windowsphone  -                       -                  -                     -                        -
//	adm           priority                expiresAfter       consolidationKey      notification.image       data "deepLink"
//	baidu         -                       -                  -                     -                        custom_content "deepLink"
//	browser       -                       -                  tag                   image                    data "deepLink"
//	xiaomi        -                       time_to_live (ms)  -                     -                        payload "deepLink"
//
// Further rules:
//   - Priority high is apns-priority 10, normal is 5; unset sends no priority.
//   - Expiry is absolute on apple (UNIX seconds); the other platforms take a
//     time-to-live, Expiry minus the time of rendering in whole seconds, capped at
//     the service's maximum (FCM and GCM 4 weeks, ADM 31 days, Xiaomi 2 weeks).
//     An Expiry that is not after the time of rendering is an error; so is one
//     less than 60 s ahead for adm, which keeps messages at least that long.
//   - DeepLink and Image add the keys "deepLink" and "image": Data may not hold
//     them too, nor "aps" for apple. windows passes the DeepLink as the launch
//     argument, or else Data as a URL query string (a=1&b=2).
//   - browser and xiaomi need a Title; the others take an Alert with a Body only.
//   - template: see TemplateProperties.
//
// The overrides Apple, FCM, Windows, ADM, Baidu, Browser and Xiaomi receive the
// native value the Alert mapped to, after the mapping and before it is built,
// and may change any field of it (a category, a channel, an action button). Each
// is called once per rendering, on the rendering goroutine, with a value of its
// own; it must not keep the pointer. There is none for gcm and windowsphone,
// which are retired, nor for template.
//
// Rendering is deterministic: maps come out with sorted keys, and NotificationAt
// gives the same output for the same input and time. An Alert is plain data: it
// may be rendered from several goroutines at once as long as nobody modifies it
// and its overrides are safe for that.
type Alert struct {
	Title string
	Body  string
	// Badge is the number on the app icon: nil leaves it, 0 clears it.
	Badge *int
	// Sound is the sound to play: "default" or a platform sound name.
	Sound string
	// Data is handed to the app with the notification.
	Data map[string]string
	// Priority is normal or high; empty: each service's default.
	Priority Priority
	// Expiry is when the message stops being worth delivering; zero: the
	// services' defaults.
	Expiry time.Time
	// CollapseKey marks messages that replace one another.
	CollapseKey string
	// Image is the URL of an image to show.
	Image string
	// DeepLink is the URL the app opens on a tap (myapp://orders/42, https://...).
	DeepLink string

	// Per-platform overrides (see above); nil: none.
	Apple   func(*APNs)
	FCM     func(*FCMMessage)
	Windows func(*WNSToast)
	ADM     func(*ADMMessage)
	Baidu   func(*BaiduMessage)
	Browser func(*WebPush)
	Xiaomi  func(*XiaomiMessage)
}

// Notification renders a for platform p, taking the time of rendering from the
// system clock (it matters only for Expiry; see NotificationAt). Errors match
// ErrInvalidNotification (or ErrPayloadTooLarge) and say which platform and
// field refused.
func (a Alert) Notification(p Platform) (Notification, error) {
	return a.NotificationAt(p, time.Now())
}

// NotificationAt renders a for platform p as of now, the time from which the
// time-to-live of Expiry is counted: the same Alert, platform and now always give
// the same Notification. The result passed NewNotification's checks.
func (a Alert) NotificationAt(p Platform, now time.Time) (Notification, error) {
	n, err := a.render(p, now)
	if err != nil {
		return Notification{}, alertError(p, err)
	}
	return n, nil
}

// alertError prefixes the detail of a validation error with the platform.
func alertError(p Platform, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Detail = "Alert as " + string(p) + ": " + e.Detail
	return &c
}

func (a Alert) render(p Platform, now time.Time) (Notification, error) {
	if !p.Valid() {
		return Notification{}, unknownPlatform(p)
	}
	if err := a.check(now); err != nil {
		return Notification{}, err
	}
	switch p {
	case Apple:
		if _, ok := a.Data["aps"]; ok {
			return Notification{}, payloadInvalid(`Alert.Data key "aps" cannot travel to apple: APNs reserves it for its own dictionary`)
		}
		return a.apns().Notification()
	case FCMV1:
		return a.fcm(now).Notification()
	case GCM:
		return a.gcm(now)
	case Windows:
		return a.wnsToast(now).Notification()
	case WindowsPhone:
		return a.mpns()
	case ADM:
		return a.admRender(now)
	case Baidu:
		return a.baidu().Notification()
	case Browser:
		return a.webPush().Notification()
	case Xiaomi:
		return a.xiaomiRender(now)
	}
	return a.template()
}

// check applies the rules every platform shares.
func (a Alert) check(now time.Time) error {
	switch {
	case a.Title == "" && a.Body == "":
		return payloadInvalid("Alert needs a Title or a Body; for a silent data push build the native payload (APNs.ContentAvailable, FCMMessage.Data, ...)")
	case a.Badge != nil && *a.Badge < 0:
		return payloadInvalid("Alert.Badge is %d; a badge is 0 (clear) or more", *a.Badge)
	case !a.Expiry.IsZero() && !a.Expiry.After(now):
		return payloadInvalid("Alert.Expiry %s is not after the time of rendering %s", a.Expiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if err := checkPriorityValue("Alert.Priority", a.Priority); err != nil {
		return err
	}
	if err := checkPayloadURL("Alert.Image", a.Image); err != nil {
		return err
	}
	if err := checkPayloadURL("Alert.DeepLink", a.DeepLink); err != nil {
		return err
	}
	return a.checkData()
}

func (a Alert) checkData() error {
	if err := checkPayloadKeys("Alert.Data", a.Data); err != nil {
		return err
	}
	for _, r := range []struct{ key, field, v string }{
		{alertKeyDeepLink, "DeepLink", a.DeepLink}, {alertKeyImage, "Image", a.Image},
	} {
		if _, ok := a.Data[r.key]; ok && r.v != "" {
			return payloadInvalid("Alert.Data key %q collides with Alert.%s, which is sent under that key", r.key, r.field)
		}
	}
	return nil
}

// data returns Data plus the deep link, as a new map (nil when empty).
func (a Alert) data() map[string]string {
	if a.DeepLink == "" {
		return mergePayloadData(a.Data)
	}
	return mergePayloadData(a.Data, alertKeyDeepLink, a.DeepLink)
}

// badge returns a copy of Badge, so that an override cannot change the Alert's.
func (a Alert) badge() *int {
	if a.Badge == nil {
		return nil
	}
	b := *a.Badge
	return &b
}

// ttl returns the time-to-live of Expiry as of now, capped at max (when max > 0),
// in whole seconds but at least 1 s; 0 when there is no Expiry.
func (a Alert) ttl(now time.Time, max time.Duration) time.Duration {
	if a.Expiry.IsZero() {
		return 0
	}
	d := a.Expiry.Sub(now).Truncate(time.Second)
	if max > 0 && d > max {
		d = max
	}
	return atLeastSecond(d)
}

func atLeastSecond(d time.Duration) time.Duration {
	if d < time.Second {
		return time.Second
	}
	return d
}

func (a Alert) apns() APNs {
	x := APNs{
		Title: a.Title, Body: a.Body, Badge: a.badge(), Sound: a.Sound,
		CollapseID: a.CollapseKey, Expiration: a.Expiry,
	}
	switch a.Priority {
	case PriorityHigh:
		x.Priority = 10
	case PriorityNormal:
		x.Priority = 5
	}
	if n := len(a.Data); n > 0 || a.DeepLink != "" || a.Image != "" {
		x.Custom = make(map[string]any, n+2)
		for k, v := range a.Data {
			x.Custom[k] = v
		}
		if a.DeepLink != "" {
			x.Custom[alertKeyDeepLink] = a.DeepLink
		}
		if a.Image != "" {
			x.Custom[alertKeyImage] = a.Image
			x.MutableContent = true
		}
	}
	if a.Apple != nil {
		a.Apple(&x)
	}
	return x
}

func (a Alert) fcm(now time.Time) FCMMessage {
	m := FCMMessage{Display: &FCMNotification{Title: a.Title, Body: a.Body, Image: a.Image}, Data: a.data()}
	android := FCMAndroid{CollapseKey: a.CollapseKey, Priority: a.Priority, TTL: a.ttl(now, maxFCMTTL)}
	if a.Sound != "" || a.Badge != nil {
		android.Notification = &FCMAndroidNotification{Sound: a.Sound, NotificationCount: a.badge()}
	}
	if android.CollapseKey != "" || android.Priority != "" || android.TTL != 0 || android.Notification != nil {
		m.Android = &android
	}
	if a.FCM != nil {
		a.FCM(&m)
	}
	return m
}

// gcmJSON is the legacy GCM/FCM HTTP message.
type gcmJSON struct {
	Notification gcmNotificationJSON `json:"notification"`
	Data         map[string]string   `json:"data,omitempty"`
	CollapseKey  string              `json:"collapse_key,omitempty"`
	Priority     string              `json:"priority,omitempty"`
	TimeToLive   int64               `json:"time_to_live,omitempty"`
}

type gcmNotificationJSON struct {
	Title string `json:"title,omitempty"`
	Body  string `json:"body,omitempty"`
	Sound string `json:"sound,omitempty"`
	Image string `json:"image,omitempty"`
}

// gcm renders the legacy format; Google shut it down in 2024.
func (a Alert) gcm(now time.Time) (Notification, error) {
	data := a.data()
	if err := checkFCMStrings("Alert.Data", data); err != nil {
		return Notification{}, err
	}
	return JSONNotification(GCM, gcmJSON{
		Notification: gcmNotificationJSON{Title: a.Title, Body: a.Body, Sound: a.Sound, Image: a.Image},
		Data:         data, CollapseKey: a.CollapseKey, Priority: string(a.Priority),
		TimeToLive: int64(a.ttl(now, maxFCMTTL) / time.Second),
	}, nil)
}

func (a Alert) wnsToast(now time.Time) WNSToast {
	t := WNSToast{Image: a.Image, Tag: a.CollapseKey, TTL: a.ttl(now, 0)}
	for _, line := range []string{a.Title, a.Body} {
		if line != "" {
			t.Lines = append(t.Lines, line)
		}
	}
	switch {
	case a.DeepLink != "":
		t.Launch, t.ActivationType = a.DeepLink, "protocol"
	case len(a.Data) > 0:
		q := make(url.Values, len(a.Data))
		for k, v := range a.Data {
			q.Set(k, v)
		}
		t.Launch = q.Encode()
	}
	if strings.HasPrefix(a.Sound, "ms-") {
		t.Audio = a.Sound
	}
	if a.Windows != nil {
		a.Windows(&t)
	}
	return t
}

func (a Alert) mpns() (Notification, error) {
	if a.Title == "" {
		return renderMPNSToast(a.Body, "")
	}
	return renderMPNSToast(a.Title, a.Body)
}

func (a Alert) admRender(now time.Time) (Notification, error) {
	m := ADMMessage{
		Display:  &ADMDisplay{Title: a.Title, Body: a.Body, Sound: a.Sound, Image: a.Image},
		Data:     a.data(),
		Priority: a.Priority, ConsolidationKey: a.CollapseKey,
		ExpiresAfter: a.ttl(now, maxADMExpiresAfter),
	}
	if m.ExpiresAfter != 0 && m.ExpiresAfter < minADMExpiresAfter {
		return Notification{}, payloadInvalid("Alert.Expiry is %v ahead; ADM keeps a message at least 60s", m.ExpiresAfter)
	}
	if a.ADM != nil {
		a.ADM(&m)
	}
	return m.Notification()
}

func (a Alert) baidu() BaiduMessage {
	m := BaiduMessage{Title: a.Title, Description: a.Body, CustomContent: a.data()}
	if m.Description == "" {
		m.Title, m.Description = "", a.Title
	}
	if a.Baidu != nil {
		a.Baidu(&m)
	}
	return m
}

func (a Alert) webPush() WebPush {
	w := WebPush{Title: a.Title, Body: a.Body, Image: a.Image, Tag: a.CollapseKey, Data: a.data()}
	if a.Browser != nil {
		a.Browser(&w)
	}
	return w
}

func (a Alert) xiaomiRender(now time.Time) (Notification, error) {
	m := XiaomiMessage{Title: a.Title, Description: a.Body, TimeToLive: a.ttl(now, maxXiaomiTTL)}
	if data := a.data(); len(data) > 0 {
		payload, err := encodePayloadJSON(data)
		if err != nil {
			return Notification{}, payloadInvalid("Alert.Data: %v", err)
		}
		m.Payload = string(payload)
	}
	if a.Sound != "" {
		m.NotifyType = XiaomiNotifySound
	}
	if a.Xiaomi != nil {
		a.Xiaomi(&m)
	}
	return m.Notification()
}

// TemplateProperties returns a as the properties of a template send, for hubs
// whose devices registered templates: a new map holding, when set,
//
//	title, body, sound, image, deepLink, collapseKey  the fields, as they are
//	badge                                             Badge in decimal ("0" clears)
//	priority                                          "normal" or "high"
//	expiry                                            Expiry in UNIX seconds
//	data_KEY                                          each Data entry (AlertDataPrefix + key)
//
// so that a template such as {"aps":{"alert":"$(title)","badge":"#(badge)"}}
// can use them. The data_ prefix keeps the app's keys apart from the fields.
// Template property names are case-insensitive and made of ASCII letters,
// digits and _: Notification(Template) refuses Data keys that break that.
func (a Alert) TemplateProperties() map[string]string {
	props := make(map[string]string, 9+len(a.Data))
	for _, kv := range [...][2]string{
		{"title", a.Title}, {"body", a.Body}, {"sound", a.Sound}, {"image", a.Image},
		{"deepLink", a.DeepLink}, {"collapseKey", a.CollapseKey}, {"priority", string(a.Priority)},
	} {
		if kv[1] != "" {
			props[kv[0]] = kv[1]
		}
	}
	if a.Badge != nil {
		props["badge"] = strconv.Itoa(*a.Badge)
	}
	if !a.Expiry.IsZero() {
		props["expiry"] = strconv.FormatInt(a.Expiry.Unix(), 10)
	}
	for k, v := range a.Data {
		props[AlertDataPrefix+k] = v
	}
	return props
}

// template renders the template properties, refusing names a template cannot
// use and names equal but for case.
func (a Alert) template() (Notification, error) {
	props := a.TemplateProperties()
	seen := make(map[string]string, len(props))
	for _, k := range sortedKeys(props) {
		if err := checkPropertyName(k); err != nil {
			return Notification{}, payloadInvalid("Alert.Data key %q cannot be a template property: %s", strings.TrimPrefix(k, AlertDataPrefix), errDetail(err))
		}
		if prev, dup := seen[strings.ToLower(k)]; dup {
			return Notification{}, payloadInvalid("template properties %q and %q differ only in case; Notification Hubs treats them as one", prev, k)
		}
		seen[strings.ToLower(k)] = k
	}
	return TemplateNotification(props)
}

// errDetail returns the detail of an *Error, or the error's text.
func errDetail(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Detail != "" {
		return e.Detail
	}
	return err.Error()
}
