package azurenh

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushwire/push"
)

// opRegistration names registration validation in errors.
const opRegistration = "azurenh: registration"

// RegistrationKind says which description type a registration is: a native
// registration of one platform, or a template registration of it. On the wire
// the description element is the kind followed by "RegistrationDescription"
// (AppleRegistrationDescription, WindowsTemplateRegistrationDescription, ...).
type RegistrationKind string

// The registration kinds the service knows.
const (
	AppleRegistration           RegistrationKind = "Apple"
	AppleTemplateRegistration   RegistrationKind = "AppleTemplate"
	FCMV1Registration           RegistrationKind = "FcmV1"
	FCMV1TemplateRegistration   RegistrationKind = "FcmV1Template"
	WindowsRegistration         RegistrationKind = "Windows"
	WindowsTemplateRegistration RegistrationKind = "WindowsTemplate"
	ADMRegistration             RegistrationKind = "Adm"
	ADMTemplateRegistration     RegistrationKind = "AdmTemplate"
	BaiduRegistration           RegistrationKind = "Baidu"
	BaiduTemplateRegistration   RegistrationKind = "BaiduTemplate"
	BrowserRegistration         RegistrationKind = "Browser"
	BrowserTemplateRegistration RegistrationKind = "BrowserTemplate"
	XiaomiRegistration          RegistrationKind = "Xiaomi"
	XiaomiTemplateRegistration  RegistrationKind = "XiaomiTemplate"

	// MPNSRegistration is a Windows Phone registration; Microsoft retired MPNS.
	MPNSRegistration RegistrationKind = "Mpns"
	// MPNSTemplateRegistration is a Windows Phone template registration.
	MPNSTemplateRegistration RegistrationKind = "MpnsTemplate"

	// GCMRegistration is a legacy FCM registration; Google shut the legacy API
	// down in 2024.
	//
	// Deprecated: use FCMV1Registration.
	GCMRegistration RegistrationKind = "Gcm"
	// GCMTemplateRegistration is a legacy FCM template registration.
	//
	// Deprecated: use FCMV1TemplateRegistration.
	GCMTemplateRegistration RegistrationKind = "GcmTemplate"
)

// registrationKinds pairs every native kind with its template kind and format.
var registrationKinds = [...]struct {
	native, template RegistrationKind
	format           push.Platform
}{
	{AppleRegistration, AppleTemplateRegistration, push.Apple},
	{FCMV1Registration, FCMV1TemplateRegistration, push.FCMV1},
	{GCMRegistration, GCMTemplateRegistration, formatGCM},
	{WindowsRegistration, WindowsTemplateRegistration, push.Windows},
	{MPNSRegistration, MPNSTemplateRegistration, push.WindowsPhone},
	{ADMRegistration, ADMTemplateRegistration, push.ADM},
	{BaiduRegistration, BaiduTemplateRegistration, push.Baidu},
	{BrowserRegistration, BrowserTemplateRegistration, push.Browser},
	{XiaomiRegistration, XiaomiTemplateRegistration, push.Xiaomi},
}

// RegistrationKinds returns every registration kind, each native kind followed
// by its template kind, in a fixed order: to check or list the kinds a
// registration may have.
func RegistrationKinds() []RegistrationKind {
	out := make([]RegistrationKind, 0, 2*len(registrationKinds))
	for _, e := range registrationKinds {
		out = append(out, e.native, e.template)
	}
	return out
}

// RegistrationKindFor returns the kind of a registration for send format f,
// native or template. ok is false for push.Template and unknown formats.
func RegistrationKindFor(f push.Platform, template bool) (k RegistrationKind, ok bool) {
	for _, e := range registrationKinds {
		if e.format == f {
			if template {
				return e.template, true
			}
			return e.native, true
		}
	}
	return "", false
}

// PushPlatform returns the push.Platform, the send format, that reaches
// registrations of kind k (push.Apple for AppleRegistration and
// AppleTemplateRegistration), or "" for an unknown kind: RegistrationKindFor
// goes the other way.
func (k RegistrationKind) PushPlatform() push.Platform {
	for _, e := range registrationKinds {
		if e.native == k || e.template == k {
			return e.format
		}
	}
	return ""
}

// Valid reports whether k is a known kind.
func (k RegistrationKind) Valid() bool { return k.PushPlatform() != "" }

// IsTemplate reports whether k is a template kind.
func (k RegistrationKind) IsTemplate() bool {
	for _, e := range registrationKinds {
		if e.template == k {
			return true
		}
	}
	return false
}

// elementName returns the name of the XML element of a description of kind k:
// "AppleRegistrationDescription", "WindowsTemplateRegistrationDescription", ...
func (k RegistrationKind) elementName() string { return string(k) + descriptionSuffix }

const descriptionSuffix = "RegistrationDescription"

// Registration is a registration of the registrations API: one device handle of
// one platform, its tags and, for a template registration, one template. It is
// the Go form of the XML descriptions (AppleRegistrationDescription, ...).
//
// Which handle fields hold the device depends on Kind: Handle for every kind but
// Baidu and Browser (the APNs device token, the FCM v1, GCM, ADM or Xiaomi
// registration ID, the WNS or MPNS channel URI); BaiduUserID and
// BaiduChannelID for Baidu; Browser for Browser. The template fields are used by
// template kinds only: Headers holds the WNS headers of WindowsTemplate, the
// MPNS headers of MpnsTemplate and the apns-* headers of AppleTemplate.
//
// ETag and ExpirationTime are set by the service; a request leaves them out
// (the ETag of an update travels in If-Match). A Registration is plain data:
// copy it with Clone before modifying a shared one.
type Registration struct {
	Kind RegistrationKind
	// ID is the registration ID the service assigned (POST /HUB/registrationIDs).
	ID             string
	ETag           string
	ExpirationTime time.Time // zero when unknown
	// Tags are sent joined by commas.
	Tags []string
	// PushVariables are sent as the JSON text of an object.
	PushVariables map[string]string

	Handle            string
	BaiduUserID       string
	BaiduChannelID    string
	Browser           push.BrowserSubscription
	SecondaryTileName string // Windows and Mpns only

	BodyTemplate     string
	TemplateName     string
	Headers          map[string]string
	Expiry           string // AppleTemplate only: a date or an expression
	Priority         string // AppleTemplate only; prefer the apns-priority header
	BaiduMessageType *int   // BaiduTemplate only
}

// Clone returns a deep copy of r.
func (r Registration) Clone() Registration {
	r.Tags = slices.Clone(r.Tags)
	r.PushVariables = maps.Clone(r.PushVariables)
	r.Headers = maps.Clone(r.Headers)
	r.BaiduMessageType = clonePtr(r.BaiduMessageType)
	return r
}

// DeviceHandle returns the handle of the device: Handle, the subscription's
// endpoint for Browser, or "USERID-CHANNELID" for Baidu (the form the .NET SDK
// uses).
func (r Registration) DeviceHandle() string {
	switch r.Kind.PushPlatform() {
	case push.Browser:
		return r.Browser.Endpoint
	case push.Baidu:
		return r.BaiduUserID + "-" + r.BaiduChannelID
	}
	return r.Handle
}

// MaxRegistrationTags is the most tags a registration carries.
const MaxRegistrationTags = push.MaxDeviceTags

// Validate checks r the way the service and its SDKs do, before any I/O, and
// returns the first problem as a *push.Error of kind push.ErrInvalidTarget with
// Op "azurenh: registration":
//
//   - Kind: one of RegistrationKinds;
//   - the handle of the kind: an APNs token of an even number of hex digits, a
//     WNS or MPNS channel URI that is an absolute URL, a browser subscription with
//     an absolute endpoint and both keys, a Baidu user and channel, or another
//     registration ID; each one header token;
//   - Tags: each valid for push.ValidateTag (reserved tags included), at most
//     MaxRegistrationTags;
//   - PushVariables: names that are not empty;
//   - a template kind: a body; a TemplateName of at most 200 characters;
//     WindowsTemplate needs the header X-WNS-Type, AppleTemplate takes only
//     apns-* headers; a native kind takes no template field.
//
// Text that XML 1.0 cannot carry (NUL and most control characters) is refused.
func (r Registration) Validate() error {
	checks := [...]func() error{r.checkKind, r.checkRegistrationHandle, r.checkTags, r.checkVariables, r.checkTemplate, r.checkText}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// invalidRegistration returns a validation error of a registration.
func invalidRegistration(format string, args ...any) error {
	return &push.Error{Op: opRegistration, Kind: push.ErrInvalidTarget, Detail: fmt.Sprintf(format, args...)}
}

func (r Registration) checkKind() error {
	if r.Kind.Valid() {
		return nil
	}
	names := make([]string, 0, 2*len(registrationKinds))
	for _, k := range RegistrationKinds() {
		names = append(names, string(k))
	}
	return invalidRegistration("kind %q is not a registration kind; want one of %s", string(r.Kind), strings.Join(names, ", "))
}

func (r Registration) checkRegistrationHandle() error {
	f := r.Kind.PushPlatform()
	switch f {
	case push.Browser:
		return checkSubscription(r.Browser, invalidRegistration)
	case push.Baidu:
		if err := checkDeviceHandle(f, r.BaiduUserID, "Baidu user ID", invalidRegistration); err != nil {
			return err
		}
		return checkDeviceHandle(f, r.BaiduChannelID, "Baidu channel ID", invalidRegistration)
	}
	return checkDeviceHandle(f, r.Handle, handleElement(r.Kind), invalidRegistration)
}

// handleElement returns the name of the element that holds the Handle of kind k.
func handleElement(k RegistrationKind) string {
	switch k.PushPlatform() {
	case push.Apple:
		return "DeviceToken"
	case push.FCMV1:
		return "FcmV1RegistrationId"
	case formatGCM:
		return "GcmRegistrationId"
	case push.Windows, push.WindowsPhone:
		return "ChannelUri"
	case push.ADM:
		return "AdmRegistrationId"
	case push.Xiaomi:
		return "XiaomiRegistrationId"
	}
	return ""
}

func (r Registration) checkTags() error {
	for i, tag := range r.Tags {
		if err := push.ValidateTag(tag); err != nil {
			return invalidRegistration("tags[%d]: %s", i, errorDetail(err))
		}
	}
	if n := countDistinct(r.Tags); n > MaxRegistrationTags {
		return invalidRegistration("%d tags; a registration carries at most %d", n, MaxRegistrationTags)
	}
	return nil
}

func (r Registration) checkVariables() error {
	if _, ok := r.PushVariables[""]; ok {
		return invalidRegistration("a push variable has an empty name")
	}
	return nil
}

func (r Registration) checkTemplate() error {
	if !r.Kind.IsTemplate() {
		return r.checkNoTemplate()
	}
	if r.BodyTemplate == "" {
		return invalidRegistration("%s registration has an empty BodyTemplate", r.Kind)
	}
	if len(r.TemplateName) > MaxTemplateNameLength {
		return invalidRegistration("template name %s is %d bytes; at most %d", quoteShort(r.TemplateName), len(r.TemplateName), MaxTemplateNameLength)
	}
	return r.checkTemplateExtras()
}

// checkNoTemplate refuses template fields on a native registration.
func (r Registration) checkNoTemplate() error {
	if r.BodyTemplate != "" || r.TemplateName != "" || len(r.Headers) > 0 || r.Expiry != "" || r.Priority != "" || r.BaiduMessageType != nil {
		t, _ := RegistrationKindFor(r.Kind.PushPlatform(), true)
		return invalidRegistration("%s registration has template fields; use kind %s for a template registration", r.Kind, t)
	}
	return nil
}

// checkTemplateExtras checks the fields only some template kinds take.
func (r Registration) checkTemplateExtras() error {
	f := r.Kind.PushPlatform()
	switch {
	case len(r.Headers) > 0 && f != push.Apple && f != push.Windows && f != push.WindowsPhone:
		return invalidRegistration("%s registration has headers, which only AppleTemplate, WindowsTemplate and MpnsTemplate take", r.Kind)
	case (r.Expiry != "" || r.Priority != "") && f != push.Apple:
		return invalidRegistration("%s registration has an Expiry or a Priority, which only AppleTemplate takes", r.Kind)
	case r.BaiduMessageType != nil && f != push.Baidu:
		return invalidRegistration("%s registration has a Baidu message type", r.Kind)
	}
	if len(r.Headers) == 0 && f != push.Windows {
		return nil
	}
	return checkTemplateHeaders(f, string(r.Kind)+" registration", r.Headers, invalidRegistration)
}

// checkText refuses text that XML cannot carry.
func (r Registration) checkText() error {
	fields := []struct{ name, value string }{
		{"Handle", r.Handle}, {"BodyTemplate", r.BodyTemplate}, {"TemplateName", r.TemplateName},
		{"Expiry", r.Expiry}, {"Priority", r.Priority}, {"SecondaryTileName", r.SecondaryTileName},
		{"BaiduUserID", r.BaiduUserID}, {"BaiduChannelID", r.BaiduChannelID},
	}
	for _, k := range slices.Sorted(maps.Keys(r.PushVariables)) {
		fields = append(fields, struct{ name, value string }{"PushVariables[" + k + "]", r.PushVariables[k]})
	}
	for _, f := range fields {
		if i := badXMLChar(f.value); i >= 0 {
			return invalidRegistration("%s: %s at column %d cannot travel in XML", f.name, describeByte(f.value, i), utf8.RuneCountInString(f.value[:i])+1)
		}
	}
	return nil
}

// badXMLChar returns the byte offset of the first character of s that XML 1.0
// cannot carry, or -1.
func badXMLChar(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
			continue
		}
		if !isXMLChar(r) {
			return i
		}
	}
	return -1
}

// isXMLChar reports whether r is in the XML 1.0 Char production.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// listByChannelFilter returns the OData $filter expression that lists the
// registrations of one device (GET /HUB/registrations?$filter=...), for send
// format f and the device's handle. The property depends on the platform:
//
//	push.Apple         DeviceToken eq 'HANDLE' (in upper case, as the service stores it)
//	push.FCMV1         FcmV1RegistrationId eq 'HANDLE'
//	formatGCM           GcmRegistrationId eq 'HANDLE'
//	push.Windows       ChannelUri eq 'URL-ENCODED HANDLE'
//	push.WindowsPhone  ChannelUri eq 'URL-ENCODED HANDLE'
//	push.ADM           AdmRegistrationId eq 'HANDLE'
//	push.Xiaomi        XiaomiRegistrationId eq 'HANDLE'
//	push.Baidu         BaiduUserId eq 'USER' and BaiduChannelId eq 'CHANNEL' (handle "USER-CHANNEL")
//	push.Browser       Endpoint eq 'URL-ENCODED ENDPOINT'
//
// A quote in a value is doubled, as OData requires. The expression is not
// URL-encoded: the caller puts it in the query with url.Values. The error, of
// kind push.ErrInvalidTarget, reports an empty handle or a format no
// registration has.
func listByChannelFilter(f push.Platform, handle string) (string, error) {
	if handle == "" {
		return "", invalidRegistration("the device handle to list registrations by is empty")
	}
	switch f {
	case push.Apple:
		return eqFilter("DeviceToken", strings.ToUpper(handle)), nil
	case push.Windows, push.WindowsPhone:
		return eqFilter("ChannelUri", encodeURIComponent(handle)), nil
	case push.Browser:
		return eqFilter("Endpoint", encodeURIComponent(handle)), nil
	case push.Baidu:
		return baiduFilter(handle)
	}
	k, ok := RegistrationKindFor(f, false)
	if !ok {
		return "", invalidRegistration("no registration has format %q; want a native platform", string(f))
	}
	return eqFilter(handleElement(k), handle), nil
}

func baiduFilter(handle string) (string, error) {
	user, channel, ok := strings.Cut(handle, "-")
	if !ok || user == "" || channel == "" {
		return "", invalidRegistration("Baidu handle %s is not USERID-CHANNELID", quoteShort(handle))
	}
	return eqFilter("BaiduUserId", user) + " and " + eqFilter("BaiduChannelId", channel), nil
}

// eqFilter returns "name eq 'value'" with the quotes of value doubled.
func eqFilter(name, value string) string {
	return name + " eq '" + strings.ReplaceAll(value, "'", "''") + "'"
}

// encodeURIComponent percent-encodes every byte of s but the unreserved
// characters of RFC 3986 (letters, digits, - . _ ~).
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnumByte(c) || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
