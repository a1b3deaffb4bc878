package push

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// APNsInterruptionLevel says how an alert may interrupt the user (iOS 15+).
type APNsInterruptionLevel string

// The interruption levels APNs knows.
const (
	APNsPassive       APNsInterruptionLevel = "passive"        // added to the list, no sound, screen stays dark
	APNsActive        APNsInterruptionLevel = "active"         // the default: sound and lit screen
	APNsTimeSensitive APNsInterruptionLevel = "time-sensitive" // breaks through Focus (needs the entitlement)
	APNsCritical      APNsInterruptionLevel = "critical"       // breaks through mute and Focus (needs Apple's approval)
)

// APNsCriticalSound is the sound of a critical alert: {"critical":1,"name":..,"volume":..}.
type APNsCriticalSound struct {
	// Name is a sound file of the app bundle, or "default" (used when empty).
	Name string
	// Volume is from 0 (silent) to 1 (full volume).
	Volume float64
}

// APNs is a typed Apple push payload with the headers Notification Hubs
// forwards to APNs. The zero value is not sendable: set at least one of an
// alert field, Badge, a sound, ContentAvailable or Custom.
//
// Notification renders it as {"aps":{...}, custom keys...} and refuses what APNs
// would refuse: a relevance score or critical volume outside 0..1, an unknown
// interruption level, a negative badge, "aps" as a custom key, both Sound and
// CriticalSound, localisation arguments without their key, an expiration that
// looks like a time-to-live, a collapse ID over 64 bytes, a body over 4096 bytes
// (ErrPayloadTooLarge). Errors match ErrInvalidNotification and name the field.
//
// An APNs value is plain data: it may be copied, and rendered from several
// goroutines as long as nobody modifies it (Custom values are marshalled, not
// retained).
type APNs struct {
	// The alert dictionary (aps.alert). Title, Subtitle and Body are shown as is;
	// the *LocKey fields name strings of the app's Localizable.strings, and the
	// *LocArgs fill their %@ placeholders.
	Title, Subtitle, Body string
	LaunchImage           string
	TitleLocKey           string
	TitleLocArgs          []string
	SubtitleLocKey        string
	SubtitleLocArgs       []string
	LocKey                string
	LocArgs               []string

	// Badge is the number on the app icon: nil leaves it unchanged, 0 clears it.
	Badge *int
	// Sound names a sound file of the app bundle, or "default".
	Sound string
	// CriticalSound replaces Sound for a critical alert.
	CriticalSound *APNsCriticalSound

	ThreadID          string                // groups notifications (aps.thread-id)
	Category          string                // the notification's actions (aps.category)
	ContentAvailable  bool                  // wakes the app in the background (aps.content-available: 1)
	MutableContent    bool                  // passes the alert to a service extension (aps.mutable-content: 1)
	InterruptionLevel APNsInterruptionLevel // aps.interruption-level; empty: APNs' default (active)
	RelevanceScore    *float64              // 0..1: rank in the notification summary (aps.relevance-score)
	TargetContentID   string                // the window to bring forward (aps.target-content-id)
	FilterCriteria    string                // the Focus filter (aps.filter-criteria)

	// Custom holds the app's own top-level keys, beside "aps" (which it may not
	// hold). Values are marshalled as JSON; keys come out sorted.
	Custom map[string]any

	// PushType is the apns-push-type header. Empty: "background" for a payload
	// with ContentAvailable and no alert, badge or sound; "alert" otherwise.
	PushType string
	// Priority is the apns-priority header: 10 (deliver now), 5 (when the device
	// saves power), 1 (put power first: never wake the device) or 0 (absent:
	// APNs' default, 10).
	Priority int
	// Expiration is when APNs stops trying, sent as apns-expiration in absolute
	// UNIX seconds. The zero Time sends no header (APNs stores the notification
	// for a while); time.Unix(0, 0) sends 0: try once, do not store.
	Expiration time.Time
	// CollapseID is apns-collapse-id: a newer notification with the same ID
	// replaces the older on the device (at most 64 bytes).
	CollapseID string
	// ID is apns-id, a UUID naming the notification in APNs' answers; empty: APNs
	// assigns one.
	ID string
}

// Notification renders a as an Apple notification, body and headers checked by
// NewNotification.
func (a APNs) Notification() (Notification, error) {
	body, err := a.payload()
	if err != nil {
		return Notification{}, err
	}
	header, err := a.header()
	if err != nil {
		return Notification{}, err
	}
	return NewNotification(Apple, body, header)
}

// apnsAlertJSON is the wire form of aps.alert.
type apnsAlertJSON struct {
	Title           string   `json:"title,omitempty"`
	Subtitle        string   `json:"subtitle,omitempty"`
	Body            string   `json:"body,omitempty"`
	LaunchImage     string   `json:"launch-image,omitempty"`
	TitleLocKey     string   `json:"title-loc-key,omitempty"`
	TitleLocArgs    []string `json:"title-loc-args,omitempty"`
	SubtitleLocKey  string   `json:"subtitle-loc-key,omitempty"`
	SubtitleLocArgs []string `json:"subtitle-loc-args,omitempty"`
	LocKey          string   `json:"loc-key,omitempty"`
	LocArgs         []string `json:"loc-args,omitempty"`
}

// apsJSON is the wire form of the aps dictionary.
type apsJSON struct {
	Alert             *apnsAlertJSON `json:"alert,omitempty"`
	Badge             *int           `json:"badge,omitempty"`
	Sound             any            `json:"sound,omitempty"`
	ThreadID          string         `json:"thread-id,omitempty"`
	Category          string         `json:"category,omitempty"`
	ContentAvailable  int            `json:"content-available,omitempty"`
	MutableContent    int            `json:"mutable-content,omitempty"`
	TargetContentID   string         `json:"target-content-id,omitempty"`
	InterruptionLevel string         `json:"interruption-level,omitempty"`
	RelevanceScore    *float64       `json:"relevance-score,omitempty"`
	FilterCriteria    string         `json:"filter-criteria,omitempty"`
}

// apnsCriticalJSON is the wire form of a critical sound.
type apnsCriticalJSON struct {
	Critical int     `json:"critical"`
	Name     string  `json:"name"`
	Volume   float64 `json:"volume"`
}

// payload returns the JSON body: "aps" first, then the custom keys, sorted.
func (a APNs) payload() ([]byte, error) {
	aps, err := a.aps()
	if err != nil {
		return nil, err
	}
	if err := a.checkCustom(); err != nil {
		return nil, err
	}
	if aps == (apsJSON{}) && len(a.Custom) == 0 {
		return nil, payloadInvalid("APNs payload is empty: set an alert field, Badge, Sound, ContentAvailable or Custom")
	}
	w := newPayloadJSONWriter(256)
	w.raw(`{"aps":`)
	if err := w.value("APNs", aps); err != nil {
		return nil, err
	}
	for _, k := range sortedKeys(a.Custom) {
		w.raw(",")
		if err := w.value("APNs.Custom", k); err != nil {
			return nil, err
		}
		w.raw(":")
		if err := w.value("APNs.Custom["+strconv.Quote(k)+"]", a.Custom[k]); err != nil {
			return nil, err
		}
	}
	w.raw("}")
	return w.bytes(), nil
}

// payloadJSONWriter assembles a JSON document from values encoded without HTML
// escaping, with one buffer and one encoder.
type payloadJSONWriter struct {
	buf *bytes.Buffer
	enc *json.Encoder
}

func newPayloadJSONWriter(size int) payloadJSONWriter {
	buf := bytes.NewBuffer(make([]byte, 0, size))
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return payloadJSONWriter{buf, enc}
}

func (w payloadJSONWriter) raw(s string) { w.buf.WriteString(s) }

// value appends v as JSON; field names v in an error.
func (w payloadJSONWriter) value(field string, v any) error {
	if err := w.enc.Encode(v); err != nil {
		return payloadInvalid("%s: %v", field, err)
	}
	w.buf.Truncate(w.buf.Len() - 1) // the encoder's newline
	return nil
}

func (w payloadJSONWriter) bytes() []byte { return w.buf.Bytes() }

func (a APNs) checkCustom() error {
	for k := range a.Custom {
		switch k {
		case "aps":
			return payloadInvalid(`APNs.Custom may not hold "aps": that key is the APNs dictionary; use the APNs fields`)
		case "":
			return payloadInvalid("APNs.Custom has an empty key")
		}
	}
	return nil
}

// aps checks the aps fields and returns their wire form.
func (a APNs) aps() (apsJSON, error) {
	if err := a.checkAps(); err != nil {
		return apsJSON{}, err
	}
	aps := apsJSON{
		Alert:             a.alert(),
		Badge:             a.Badge,
		ThreadID:          a.ThreadID,
		Category:          a.Category,
		TargetContentID:   a.TargetContentID,
		InterruptionLevel: string(a.InterruptionLevel),
		RelevanceScore:    a.RelevanceScore,
		FilterCriteria:    a.FilterCriteria,
		ContentAvailable:  payloadFlag(a.ContentAvailable),
		MutableContent:    payloadFlag(a.MutableContent),
	}
	switch {
	case a.CriticalSound != nil:
		aps.Sound = apnsCriticalJSON{Critical: 1, Name: payloadDefault(a.CriticalSound.Name, "default"), Volume: a.CriticalSound.Volume}
	case a.Sound != "":
		aps.Sound = a.Sound
	}
	return aps, nil
}

func payloadFlag(b bool) int {
	if b {
		return 1
	}
	return 0
}

func payloadDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (a APNs) checkAps() error {
	if err := a.checkAlert(); err != nil {
		return err
	}
	if err := a.checkSound(); err != nil {
		return err
	}
	if err := a.checkLevel(); err != nil {
		return err
	}
	if a.Badge != nil && *a.Badge < 0 {
		return payloadInvalid("APNs.Badge is %d; a badge is 0 (clear) or more", *a.Badge)
	}
	if a.RelevanceScore != nil {
		return checkPayloadUnit("APNs.RelevanceScore", *a.RelevanceScore)
	}
	return nil
}

func (a APNs) checkAlert() error {
	pairs := []struct {
		key  string
		args []string
		name string
	}{
		{a.TitleLocKey, a.TitleLocArgs, "APNs.TitleLocArgs needs APNs.TitleLocKey"},
		{a.SubtitleLocKey, a.SubtitleLocArgs, "APNs.SubtitleLocArgs needs APNs.SubtitleLocKey"},
		{a.LocKey, a.LocArgs, "APNs.LocArgs needs APNs.LocKey"},
	}
	for _, p := range pairs {
		if p.key == "" && len(p.args) > 0 {
			return payloadInvalid("%s: the arguments fill the placeholders of a localised string", p.name)
		}
	}
	return nil
}

func (a APNs) checkSound() error {
	if a.CriticalSound == nil {
		return nil
	}
	if a.Sound != "" {
		return payloadInvalid("APNs.Sound and APNs.CriticalSound are both set; a critical alert takes its sound from CriticalSound")
	}
	return checkPayloadUnit("APNs.CriticalSound.Volume", a.CriticalSound.Volume)
}

func (a APNs) checkLevel() error {
	switch a.InterruptionLevel {
	case "", APNsPassive, APNsActive, APNsTimeSensitive, APNsCritical:
		return nil
	}
	return payloadInvalid("APNs.InterruptionLevel %q is not one of passive, active, time-sensitive, critical", string(a.InterruptionLevel))
}

// alert returns the alert dictionary, nil when no alert field is set.
func (a APNs) alert() *apnsAlertJSON {
	al := apnsAlertJSON{
		Title: a.Title, Subtitle: a.Subtitle, Body: a.Body, LaunchImage: a.LaunchImage,
		TitleLocKey: a.TitleLocKey, TitleLocArgs: a.TitleLocArgs,
		SubtitleLocKey: a.SubtitleLocKey, SubtitleLocArgs: a.SubtitleLocArgs,
		LocKey: a.LocKey, LocArgs: a.LocArgs,
	}
	if al.Title == "" && al.Subtitle == "" && al.Body == "" && al.LaunchImage == "" &&
		al.TitleLocKey == "" && al.SubtitleLocKey == "" && al.LocKey == "" {
		return nil
	}
	return &al
}

// isBackground reports whether a is a silent background update.
func (a APNs) isBackground() bool {
	return a.ContentAvailable && a.alert() == nil && a.Badge == nil && a.Sound == "" && a.CriticalSound == nil
}

// header returns the apns-* headers, canonical keys.
func (a APNs) header() (http.Header, error) {
	pairs, err := a.headerPairs()
	if err != nil {
		return nil, err
	}
	h := make(http.Header, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		h[apnsCanonical(pairs[i])] = pairs[i+1 : i+2 : i+2]
	}
	return h, nil
}

// apnsCanonical returns the canonical form of a lower-case apns-* header name.
func apnsCanonical(name string) string {
	switch name {
	case "apns-push-type":
		return headerAPNsPushType
	case "apns-priority":
		return headerAPNsPriority
	case "apns-expiration":
		return headerAPNsExpiration
	case "apns-collapse-id":
		return headerAPNsCollapseID
	case "apns-id":
		return headerAPNsID
	}
	return http.CanonicalHeaderKey(name)
}

// headerPairs returns the apns-* headers as lower-case name, value pairs in a
// fixed order (the form FCM's apns.headers takes).
func (a APNs) headerPairs() ([]string, error) {
	pushType := a.PushType
	if pushType == "" {
		pushType = "alert"
		if a.isBackground() {
			pushType = "background"
		}
	}
	pairs := make([]string, 0, 10)
	pairs = append(pairs, "apns-push-type", pushType)
	if a.Priority != 0 {
		if a.Priority != 1 && a.Priority != 5 && a.Priority != 10 {
			return nil, payloadInvalid("APNs.Priority is %d; APNs takes 10 (now), 5 (when the device saves power), 1 (power first) or 0 (unset)", a.Priority)
		}
		pairs = append(pairs, "apns-priority", strconv.Itoa(a.Priority))
	}
	exp, err := a.expiration()
	if err != nil {
		return nil, err
	}
	if exp != "" {
		pairs = append(pairs, "apns-expiration", exp)
	}
	if len(a.CollapseID) > maxCollapseID {
		return nil, payloadInvalid("APNs.CollapseID is %d bytes; APNs takes at most %d", len(a.CollapseID), maxCollapseID)
	}
	if a.CollapseID != "" {
		pairs = append(pairs, "apns-collapse-id", a.CollapseID)
	}
	if a.ID != "" {
		pairs = append(pairs, "apns-id", a.ID)
	}
	return pairs, nil
}

// expiration returns the apns-expiration value, "" when none.
func (a APNs) expiration() (string, error) {
	if a.Expiration.IsZero() {
		return "", nil
	}
	secs := a.Expiration.Unix()
	switch {
	case secs <= 0:
		return "0", nil
	case secs < 1e9:
		return "", payloadInvalid("APNs.Expiration %s is before 2001-09-09: APNs wants an absolute time; use time.Unix(0, 0) to ask for one delivery attempt", a.Expiration.UTC().Format(time.RFC3339))
	}
	return strconv.FormatInt(secs, 10), nil
}

// fcmConfig returns a as the apns object of an FCM v1 message:
// {"headers":{...},"payload":{...}}.
func (a APNs) fcmConfig() (json.RawMessage, error) {
	body, err := a.payload()
	if err != nil {
		return nil, err
	}
	pairs, err := a.headerPairs()
	if err != nil {
		return nil, err
	}
	headers := make(map[string]string, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		headers[pairs[i]] = pairs[i+1]
	}
	return encodePayloadJSON(struct {
		Headers map[string]string `json:"headers"`
		Payload json.RawMessage   `json:"payload"`
	}{headers, body})
}
