package push

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Limits of WNS toasts.
const (
	maxToastLines   = 3 // text elements of a ToastGeneric binding, the title included
	maxToastActions = 5 // buttons
	maxWNSGroup     = 16
)

// WNSToast is a typed Windows toast: a ToastGeneric binding with up to three
// lines of text (the first is the title), optional images, a launch argument,
// up to five buttons, a scenario and a duration, plus the X-WNS-* headers.
//
// Notification builds the XML with encoding/xml and refuses what WNS or Windows
// would refuse: no text, more than three lines or five actions, an unknown
// scenario, duration or activation type, an action without content or
// arguments, an image or audio source without a scheme, a Tag or Group over 16
// characters, a negative TTL, and a body over 5 KB (ErrPayloadTooLarge). Errors
// match ErrInvalidNotification and name the field.
//
// A WNSToast is plain data: it may be copied and rendered from several
// goroutines as long as nobody modifies it.
type WNSToast struct {
	// Lines are the text elements: the first is the title, the others the body.
	Lines []string
	// Attribution is a smaller line naming the source (placement="attribution").
	Attribution string
	// Image is shown inline, below the text; HeroImage at the top; AppLogo
	// replaces the app's logo. URLs: https://, ms-appx:///, ms-appdata:///.
	Image, HeroImage, AppLogo string
	// Launch is handed to the app when the user clicks the toast; with
	// ActivationType "protocol" it is the URI that is launched.
	Launch string
	// ActivationType is "", "foreground" (the default), "background" or "protocol".
	ActivationType string
	// Scenario is "", "default", "reminder", "alarm", "incomingCall" or "urgent".
	Scenario string
	// Duration is "", "short" (the default) or "long".
	Duration string
	// Actions are the buttons, at most five.
	Actions []WNSAction
	// Audio is the sound's source, such as ms-winsoundevent:Notification.Reminder;
	// empty: the default sound. Silent mutes the toast.
	Audio  string
	Silent bool

	// Tag (X-WNS-Tag) and Group (X-WNS-Group) identify the toast in the action
	// center, so that a newer one replaces it; at most 16 characters each.
	Tag, Group string
	// TTL is X-WNS-TTL: how long WNS keeps the toast for an offline device; 0
	// sends no header.
	TTL time.Duration
	// SuppressPopup delivers the toast to the action center only (X-WNS-SuppressPopup).
	SuppressPopup bool
}

// WNSAction is a button of a toast.
type WNSAction struct {
	Content        string // the button's text; required
	Arguments      string // handed to the app on a click; required
	ActivationType string // "", "foreground", "background" or "protocol"
	ImageURI       string // the button's icon
}

// The XML of a toast or tile.
type (
	wnsToastXML struct {
		XMLName        xml.Name       `xml:"toast"`
		Launch         string         `xml:"launch,attr,omitempty"`
		ActivationType string         `xml:"activationType,attr,omitempty"`
		Scenario       string         `xml:"scenario,attr,omitempty"`
		Duration       string         `xml:"duration,attr,omitempty"`
		Visual         wnsVisualXML   `xml:"visual"`
		Actions        *wnsActionsXML `xml:"actions,omitempty"`
		Audio          *wnsAudioXML   `xml:"audio,omitempty"`
	}
	wnsTileXML struct {
		XMLName xml.Name     `xml:"tile"`
		Visual  wnsVisualXML `xml:"visual"`
	}
	wnsVisualXML struct {
		DisplayName string          `xml:"displayName,attr,omitempty"`
		Branding    string          `xml:"branding,attr,omitempty"`
		Bindings    []wnsBindingXML `xml:"binding"`
	}
	wnsBindingXML struct {
		Template string        `xml:"template,attr"`
		Texts    []wnsTextXML  `xml:"text"`
		Images   []wnsImageXML `xml:"image"`
	}
	wnsTextXML struct {
		Placement string `xml:"placement,attr,omitempty"`
		Text      string `xml:",chardata"`
	}
	wnsImageXML struct {
		Placement string `xml:"placement,attr,omitempty"`
		Src       string `xml:"src,attr"`
	}
	wnsActionsXML struct {
		Actions []wnsActionXML `xml:"action"`
	}
	wnsActionXML struct {
		Content        string `xml:"content,attr"`
		Arguments      string `xml:"arguments,attr"`
		ActivationType string `xml:"activationType,attr,omitempty"`
		ImageURI       string `xml:"imageUri,attr,omitempty"`
	}
	wnsAudioXML struct {
		Src    string `xml:"src,attr,omitempty"`
		Silent bool   `xml:"silent,attr,omitempty"`
	}
)

// Notification renders t as a Windows toast (X-WNS-Type: wns/toast), checked
// by NewNotification.
func (t WNSToast) Notification() (Notification, error) {
	if err := t.check(); err != nil {
		return Notification{}, err
	}
	body, err := marshalPayloadXML(t.xml(), false)
	if err != nil {
		return Notification{}, err
	}
	h := http.Header{headerWNSType: {wnsToast}}
	setPayloadHeader(&h, headerWNSTag, t.Tag)
	setPayloadHeader(&h, headerWNSGroup, t.Group)
	if t.TTL > 0 {
		h.Set(headerWNSTTL, wholeSeconds(t.TTL))
	}
	if t.SuppressPopup {
		h.Set(headerWNSSuppressPopup, "true")
	}
	return NewNotification(Windows, body, h)
}

// X-WNS headers the core does not name.
const (
	headerWNSGroup         = "X-Wns-Group"
	headerWNSSuppressPopup = "X-Wns-Suppresspopup"
)

func (t WNSToast) xml() wnsToastXML {
	b := wnsBindingXML{Template: "ToastGeneric"}
	for _, line := range t.Lines {
		b.Texts = append(b.Texts, wnsTextXML{Text: line})
	}
	if t.Attribution != "" {
		b.Texts = append(b.Texts, wnsTextXML{Placement: "attribution", Text: t.Attribution})
	}
	for _, img := range []wnsImageXML{{"", t.Image}, {"hero", t.HeroImage}, {"appLogoOverride", t.AppLogo}} {
		if img.Src != "" {
			b.Images = append(b.Images, img)
		}
	}
	x := wnsToastXML{
		Launch: t.Launch, ActivationType: t.ActivationType, Scenario: t.Scenario, Duration: t.Duration,
		Visual: wnsVisualXML{Bindings: []wnsBindingXML{b}},
	}
	if len(t.Actions) > 0 {
		x.Actions = &wnsActionsXML{}
		for _, a := range t.Actions {
			x.Actions.Actions = append(x.Actions.Actions, wnsActionXML(a))
		}
	}
	if t.Audio != "" || t.Silent {
		x.Audio = &wnsAudioXML{Src: t.Audio, Silent: t.Silent}
	}
	return x
}

func (t WNSToast) check() error {
	checks := []func() error{t.checkText, t.checkKinds, t.checkSources, t.checkActions, t.checkHeaders}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (t WNSToast) checkText() error {
	switch {
	case len(t.Lines) == 0 || t.Lines[0] == "":
		return payloadInvalid("WNSToast.Lines needs a first line: the toast's title")
	case len(t.Lines) > maxToastLines:
		return payloadInvalid("WNSToast.Lines has %d lines; a toast shows at most %d (title included)", len(t.Lines), maxToastLines)
	}
	return nil
}

func (t WNSToast) checkKinds() error {
	if err := checkWNSActivation("WNSToast.ActivationType", t.ActivationType); err != nil {
		return err
	}
	switch t.Scenario {
	case "", "default", "reminder", "alarm", "incomingCall", "urgent":
	default:
		return payloadInvalid("WNSToast.Scenario %q is not one of default, reminder, alarm, incomingCall, urgent", t.Scenario)
	}
	switch t.Duration {
	case "", "short", "long":
	default:
		return payloadInvalid("WNSToast.Duration %q must be short or long", t.Duration)
	}
	if t.ActivationType == "protocol" {
		return checkPayloadURL("WNSToast.Launch (a protocol activation)", t.Launch)
	}
	return nil
}

func checkWNSActivation(field, a string) error {
	switch a {
	case "", "foreground", "background", "protocol":
		return nil
	}
	return payloadInvalid("%s %q must be foreground, background or protocol", field, a)
}

func (t WNSToast) checkSources() error {
	for _, s := range []struct{ field, v string }{
		{"WNSToast.Image", t.Image}, {"WNSToast.HeroImage", t.HeroImage}, {"WNSToast.AppLogo", t.AppLogo}, {"WNSToast.Audio", t.Audio},
	} {
		if err := checkPayloadURL(s.field, s.v); err != nil {
			return err
		}
	}
	return nil
}

func (t WNSToast) checkActions() error {
	if len(t.Actions) > maxToastActions {
		return payloadInvalid("WNSToast.Actions has %d buttons; a toast takes at most %d", len(t.Actions), maxToastActions)
	}
	for i, a := range t.Actions {
		field := "WNSToast.Actions[" + strconv.Itoa(i) + "]"
		if a.Content == "" || a.Arguments == "" {
			return payloadInvalid("%s needs both Content (its text) and Arguments (what the app receives)", field)
		}
		if err := checkWNSActivation(field+".ActivationType", a.ActivationType); err != nil {
			return err
		}
		if err := checkPayloadURL(field+".ImageURI", a.ImageURI); err != nil {
			return err
		}
	}
	return nil
}

func (t WNSToast) checkHeaders() error {
	if err := checkWNSLabel("WNSToast.Tag", t.Tag, maxWNSTag); err != nil {
		return err
	}
	if err := checkWNSLabel("WNSToast.Group", t.Group, maxWNSGroup); err != nil {
		return err
	}
	return checkPayloadTTL("WNSToast.TTL", t.TTL, 0)
}

// checkWNSLabel refuses a tag or group longer than WNS takes.
func checkWNSLabel(field, v string, max int) error {
	if len(v) > max {
		return payloadInvalid("%s %q is %d characters; WNS takes at most %d", field, v, len(v), max)
	}
	return nil
}

// The tile sizes a WNSTile can fill.
const (
	WNSTileSmall  = "TileSmall"
	WNSTileMedium = "TileMedium"
	WNSTileWide   = "TileWide"
	WNSTileLarge  = "TileLarge"
)

// WNSTile is a typed Windows live tile: the same lines of text (and an optional
// background image) on each size of an adaptive tile.
//
// Notification refuses a tile with neither text nor image, an unknown size or
// branding, an image without a scheme, a Tag over 16 characters and a negative
// TTL. Errors match ErrInvalidNotification and name the field.
type WNSTile struct {
	// Lines are the text lines, top to bottom.
	Lines []string
	// Image is the tile's background image.
	Image string
	// DisplayName is the name shown on the tile; empty: the app's.
	DisplayName string
	// Branding is "", "none", "logo", "name" or "nameAndLogo".
	Branding string
	// Sizes lists the bindings to fill; empty: medium, wide and large.
	Sizes []string
	// Tag is X-WNS-Tag: it names the tile in the notification queue.
	Tag string
	// TTL is X-WNS-TTL: how long the tile stays valid; 0 sends no header.
	TTL time.Duration
}

// Notification renders t as a Windows tile (X-WNS-Type: wns/tile), checked by
// NewNotification.
func (t WNSTile) Notification() (Notification, error) {
	if err := t.check(); err != nil {
		return Notification{}, err
	}
	body, err := marshalPayloadXML(t.xml(), false)
	if err != nil {
		return Notification{}, err
	}
	h := http.Header{headerWNSType: {wnsTile}}
	setPayloadHeader(&h, headerWNSTag, t.Tag)
	if t.TTL > 0 {
		h.Set(headerWNSTTL, wholeSeconds(t.TTL))
	}
	return NewNotification(Windows, body, h)
}

func (t WNSTile) sizes() []string {
	if len(t.Sizes) == 0 {
		return []string{WNSTileMedium, WNSTileWide, WNSTileLarge}
	}
	return t.Sizes
}

func (t WNSTile) xml() wnsTileXML {
	x := wnsTileXML{Visual: wnsVisualXML{DisplayName: t.DisplayName, Branding: t.Branding}}
	for _, size := range t.sizes() {
		b := wnsBindingXML{Template: size}
		for _, line := range t.Lines {
			b.Texts = append(b.Texts, wnsTextXML{Text: line})
		}
		if t.Image != "" {
			b.Images = []wnsImageXML{{Placement: "background", Src: t.Image}}
		}
		x.Visual.Bindings = append(x.Visual.Bindings, b)
	}
	return x
}

func (t WNSTile) check() error {
	if len(t.Lines) == 0 && t.Image == "" {
		return payloadInvalid("WNSTile has neither Lines nor Image: nothing to show")
	}
	for _, size := range t.Sizes {
		switch size {
		case WNSTileSmall, WNSTileMedium, WNSTileWide, WNSTileLarge:
		default:
			return payloadInvalid("WNSTile.Sizes has %q; want TileSmall, TileMedium, TileWide or TileLarge", size)
		}
	}
	switch t.Branding {
	case "", "none", "logo", "name", "nameAndLogo":
	default:
		return payloadInvalid("WNSTile.Branding %q is not one of none, logo, name, nameAndLogo", t.Branding)
	}
	if err := checkPayloadURL("WNSTile.Image", t.Image); err != nil {
		return err
	}
	if err := checkWNSLabel("WNSTile.Tag", t.Tag, maxWNSTag); err != nil {
		return err
	}
	return checkPayloadTTL("WNSTile.TTL", t.TTL, 0)
}

// WNSBadge is a typed Windows badge: a number or a glyph on the app's tile.
//
// Notification refuses a negative Count, a Glyph WNS does not know, both a
// Count and a Glyph, and a negative TTL. Errors match ErrInvalidNotification.
type WNSBadge struct {
	// Count is the number shown; 0 clears the badge and WNS shows 99+ above 99.
	Count int
	// Glyph is a status glyph instead of a number: none, activity, alarm, alert,
	// attention, available, away, busy, error, newMessage, paused, playing,
	// unavailable.
	Glyph string
	// TTL is X-WNS-TTL; 0 sends no header.
	TTL time.Duration
}

// Notification renders b as a Windows badge (X-WNS-Type: wns/badge), checked by
// NewNotification.
func (b WNSBadge) Notification() (Notification, error) {
	value, err := b.value()
	if err != nil {
		return Notification{}, err
	}
	if err := checkPayloadTTL("WNSBadge.TTL", b.TTL, 0); err != nil {
		return Notification{}, err
	}
	body, err := marshalPayloadXML(struct {
		XMLName xml.Name `xml:"badge"`
		Value   string   `xml:"value,attr"`
	}{Value: value}, false)
	if err != nil {
		return Notification{}, err
	}
	h := http.Header{headerWNSType: {wnsBadge}}
	if b.TTL > 0 {
		h.Set(headerWNSTTL, wholeSeconds(b.TTL))
	}
	return NewNotification(Windows, body, h)
}

func (b WNSBadge) value() (string, error) {
	switch {
	case b.Glyph != "" && b.Count != 0:
		return "", payloadInvalid("WNSBadge has both Count %d and Glyph %q; a badge shows one of them", b.Count, b.Glyph)
	case b.Glyph != "" && (checkDigits(b.Glyph) || !isBadgeValue(b.Glyph)):
		return "", payloadInvalid("WNSBadge.Glyph %q is not a WNS glyph (%s)", b.Glyph, strings.Join(wnsGlyphs[:], ", "))
	case b.Glyph != "":
		return b.Glyph, nil
	case b.Count < 0:
		return "", payloadInvalid("WNSBadge.Count is %d; a badge count is 0 (clear) or more", b.Count)
	}
	return strconv.Itoa(b.Count), nil
}

// mpnsToastXML is a Windows Phone (MPNS) toast. MPNS documents its XML with the
// wp: prefix, so the prefix is written literally and declared on the root.
type mpnsToastXML struct {
	XMLName xml.Name `xml:"wp:Notification"`
	NS      string   `xml:"xmlns:wp,attr"`
	Toast   struct {
		Text1 string `xml:"wp:Text1"`
		Text2 string `xml:"wp:Text2,omitempty"`
	} `xml:"wp:Toast"`
}

// renderMPNSToast renders a Windows Phone toast of a title and a body.
func renderMPNSToast(text1, text2 string) (Notification, error) {
	x := mpnsToastXML{NS: mpnsNamespace}
	x.Toast.Text1, x.Toast.Text2 = text1, text2
	body, err := marshalPayloadXML(x, true)
	if err != nil {
		return Notification{}, err
	}
	return NewNotification(WindowsPhone, body, nil)
}
