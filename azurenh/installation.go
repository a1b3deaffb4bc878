package azurenh

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushwire/push"
)

// opInstallation names installation validation in errors.
const opInstallation = "azurenh: installation"

// InstallationPlatform names the push service of an installation, as the
// installations API spells it on the wire. These names differ from the send
// formats, push.Platform, the names this module uses everywhere else: an
// installation on "apns" receives push.Apple notifications, one on "wns"
// push.Windows ones. PushPlatform and InstallationPlatformFor convert between
// the two, so that an application never maps one to the other by hand.
type InstallationPlatform string

// The installation platforms the service knows.
const (
	InstallationAPNS    InstallationPlatform = "apns"    // Apple Push Notification service
	InstallationFCMV1   InstallationPlatform = "fcmv1"   // Firebase Cloud Messaging v1
	InstallationWNS     InstallationPlatform = "wns"     // Windows Notification Service
	InstallationMPNS    InstallationPlatform = "mpns"    // Windows Phone; Microsoft retired MPNS
	InstallationADM     InstallationPlatform = "adm"     // Amazon Device Messaging
	InstallationBaidu   InstallationPlatform = "baidu"   // Baidu Cloud Push
	InstallationBrowser InstallationPlatform = "browser" // Web Push
	InstallationXiaomi  InstallationPlatform = "xiaomi"  // Xiaomi push

	// InstallationGCM is legacy Firebase Cloud Messaging, which Google shut down
	// in 2024; it is kept for hubs that still hold such installations.
	//
	// Deprecated: use InstallationFCMV1.
	InstallationGCM InstallationPlatform = "gcm"
)

// formatGCM is the legacy FCM send format, which hubs with old devices still
// use.
const formatGCM = push.GCM //lint:ignore SA1019 hubs still hold legacy GCM devices

// installationPlatforms pairs every installation platform with its send format,
// in a fixed order.
var installationPlatforms = [...]struct {
	p InstallationPlatform
	f push.Platform
}{
	{InstallationAPNS, push.Apple}, {InstallationFCMV1, push.FCMV1}, {InstallationGCM, formatGCM},
	{InstallationWNS, push.Windows}, {InstallationMPNS, push.WindowsPhone}, {InstallationADM, push.ADM},
	{InstallationBaidu, push.Baidu}, {InstallationBrowser, push.Browser}, {InstallationXiaomi, push.Xiaomi},
}

// InstallationPlatforms returns every installation platform, in a fixed order:
// to check or offer the platform names a device may register with.
func InstallationPlatforms() []InstallationPlatform {
	out := make([]InstallationPlatform, len(installationPlatforms))
	for i, e := range installationPlatforms {
		out[i] = e.p
	}
	return out
}

// PushPlatform returns the push.Platform, the send format, that reaches
// installations of p (push.Apple for InstallationAPNS, push.Windows for
// InstallationWNS, ...), or "" when p is not a known platform:
// InstallationPlatformFor goes the other way. Call it to send to an
// installation you read, or to match installations with the notifications
// of your own model.
func (p InstallationPlatform) PushPlatform() push.Platform {
	for _, e := range installationPlatforms {
		if e.p == p {
			return e.f
		}
	}
	return ""
}

// Valid reports whether p is a known installation platform.
func (p InstallationPlatform) Valid() bool { return p.PushPlatform() != "" }

// InstallationPlatformFor returns the installation platform whose devices
// receive notifications of send format f. ok is false for push.Template and
// unknown formats, which no installation has.
func InstallationPlatformFor(f push.Platform) (p InstallationPlatform, ok bool) {
	for _, e := range installationPlatforms {
		if e.f == f {
			return e.p, true
		}
	}
	return "", false
}

// UnmarshalText reads a platform name in any case ("Apns", as the .NET SDK
// writes it, becomes InstallationAPNS). An unknown name is kept as is, for
// Installation.Validate to report.
func (p *InstallationPlatform) UnmarshalText(b []byte) error {
	name := InstallationPlatform(strings.ToLower(string(b)))
	if !name.Valid() {
		name = InstallationPlatform(b)
	}
	*p = name
	return nil
}

// PushChannel is the handle of an installation at its push service: a string for
// every platform (an APNs device token, an FCM registration token, a WNS channel
// URI, ...) except browsers, whose channel is a Web Push subscription, sent as
// the JSON object {"endpoint","p256dh","auth"}. Exactly one of Handle and
// Subscription is set; build it with HandleChannel or BrowserChannel.
type PushChannel struct {
	Handle       string                    // every platform but browser
	Subscription *push.BrowserSubscription // browser only
}

// HandleChannel returns the push channel of a device handle.
func HandleChannel(handle string) PushChannel { return PushChannel{Handle: handle} }

// BrowserChannel returns the push channel of a browser's Web Push subscription.
func BrowserChannel(sub push.BrowserSubscription) PushChannel {
	return PushChannel{Subscription: &sub}
}

// IsBrowser reports whether c is a Web Push subscription.
func (c PushChannel) IsBrowser() bool { return c.Subscription != nil }

// DeviceHandle returns the handle a direct send would address: Handle, or the
// subscription's endpoint for a browser.
func (c PushChannel) DeviceHandle() string {
	if c.Subscription != nil {
		return c.Subscription.Endpoint
	}
	return c.Handle
}

// browserChannelJSON is the wire form of a browser push channel.
type browserChannelJSON struct {
	Endpoint string `json:"endpoint"`
	P256DH   string `json:"p256dh"`
	Auth     string `json:"auth"`
}

// MarshalJSON writes the handle as a JSON string, or the subscription as
// {"endpoint","p256dh","auth"}.
func (c PushChannel) MarshalJSON() ([]byte, error) {
	if c.Subscription != nil {
		s := c.Subscription
		return marshalNoEscape(browserChannelJSON{Endpoint: s.Endpoint, P256DH: s.P256DH, Auth: s.Auth})
	}
	return marshalNoEscape(c.Handle)
}

// UnmarshalJSON reads a JSON string, a browser subscription object or null.
func (c *PushChannel) UnmarshalJSON(b []byte) error {
	var handle *string
	if err := json.Unmarshal(b, &handle); err == nil {
		*c = PushChannel{}
		if handle != nil {
			c.Handle = *handle
		}
		return nil
	}
	var bc browserChannelJSON
	if err := json.Unmarshal(b, &bc); err != nil {
		return fmt.Errorf(`pushChannel must be a string or a browser subscription {"endpoint","p256dh","auth"}`)
	}
	*c = BrowserChannel(push.BrowserSubscription{Endpoint: bc.Endpoint, P256DH: bc.P256DH, Auth: bc.Auth})
	return nil
}

// InstallationTemplate is a template of an installation: a native payload with
// $(property) expressions that a template send fills in. Headers are platform
// headers (X-WNS-Type and other X-WNS-* for wns, the MPNS headers for mpns,
// apns-* for apns), whose values may hold expressions too; Expiry (apns only) is
// a date or an expression; Tags are extra tags that only this template answers to.
type InstallationTemplate struct {
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers,omitempty"`
	Expiry  string            `json:"expiry,omitempty"`
	Tags    []string          `json:"tags,omitempty"`
}

// SecondaryTile is a WNS secondary tile of an installation: its own channel,
// tags and templates. The service keeps it for old Windows apps.
type SecondaryTile struct {
	PushChannel string                          `json:"pushChannel"`
	Tags        []string                        `json:"tags,omitempty"`
	Templates   map[string]InstallationTemplate `json:"templates,omitempty"`
}

// Installation is a device registered with the hub through the installations
// API (api-version 2015-01 and later), in its JSON form. The service stores it
// under ID, makes it reachable by the tag $InstallationId:{ID} (push.Installation)
// and, when UserID is set, by $UserId:{UserID} (push.User).
//
// The service applies writes asynchronously: a read right after a create, an
// update or a patch may answer 404 or the previous state for a few seconds.
//
// The last four fields are set by the service and ignored when written;
// encodeInstallationRequest leaves them out. An Installation is plain data: copy
// it with Clone before modifying a shared one.
type Installation struct {
	ID             string                          `json:"installationId"`
	UserID         string                          `json:"userId,omitempty"`
	Platform       InstallationPlatform            `json:"platform"`
	PushChannel    PushChannel                     `json:"pushChannel"`
	Tags           []string                        `json:"tags,omitempty"`
	PushVariables  map[string]string               `json:"pushVariables,omitempty"`
	Templates      map[string]InstallationTemplate `json:"templates,omitempty"`
	SecondaryTiles map[string]SecondaryTile        `json:"secondaryTiles,omitempty"`

	// PushChannelExpired is true once the push service said the channel expired.
	PushChannelExpired *bool `json:"pushChannelExpired,omitempty"`
	// ExpirationTime is when the service deletes the installation.
	ExpirationTime *time.Time `json:"expirationTime,omitempty"`
	// LastActiveOn is when the push service last reported the device active.
	LastActiveOn *time.Time `json:"lastActiveOn,omitempty"`
	// LastUpdate is when the installation last changed.
	LastUpdate *time.Time `json:"lastUpdate,omitempty"`
}

// UnmarshalJSON reads an installation, accepting the read-only times in the
// forms the service writes them (RFC 3339, or without a zone, read as UTC).
func (in *Installation) UnmarshalJSON(b []byte) error {
	type plain Installation
	w := struct {
		*plain
		ExpirationTime *serviceTime `json:"expirationTime"`
		LastActiveOn   *serviceTime `json:"lastActiveOn"`
		LastUpdate     *serviceTime `json:"lastUpdate"`
	}{plain: (*plain)(in)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	in.ExpirationTime, in.LastActiveOn, in.LastUpdate = w.ExpirationTime.ptr(), w.LastActiveOn.ptr(), w.LastUpdate.ptr()
	return nil
}

// serviceTime is a time the service wrote in JSON.
type serviceTime time.Time

// UnmarshalJSON reads a JSON string in one of serviceTimeLayouts.
func (t *serviceTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := parseServiceTime(s)
	*t = serviceTime(v)
	return err
}

func (t *serviceTime) ptr() *time.Time {
	if t == nil {
		return nil
	}
	v := time.Time(*t)
	return &v
}

// serviceTimeLayouts are the forms of a time the service writes: RFC 3339 with
// up to seven fraction digits, or the same without a zone (UTC).
var serviceTimeLayouts = [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04Z07:00"}

// parseServiceTime parses a time in one of serviceTimeLayouts.
func parseServiceTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range serviceTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not in RFC 3339 form", clipText(s, 40))
}

// Clone returns a deep copy of in.
func (in Installation) Clone() Installation {
	in.Tags = slices.Clone(in.Tags)
	in.PushVariables = maps.Clone(in.PushVariables)
	in.Templates = cloneTemplates(in.Templates)
	in.SecondaryTiles = cloneTiles(in.SecondaryTiles)
	in.PushChannel = in.PushChannel.clone()
	in.PushChannelExpired = clonePtr(in.PushChannelExpired)
	in.ExpirationTime = clonePtr(in.ExpirationTime)
	in.LastActiveOn = clonePtr(in.LastActiveOn)
	in.LastUpdate = clonePtr(in.LastUpdate)
	return in
}

func (c PushChannel) clone() PushChannel {
	c.Subscription = clonePtr(c.Subscription)
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneTemplates(in map[string]InstallationTemplate) map[string]InstallationTemplate {
	if in == nil {
		return nil
	}
	out := make(map[string]InstallationTemplate, len(in))
	for name, t := range in {
		out[name] = t.clone()
	}
	return out
}

func (t InstallationTemplate) clone() InstallationTemplate {
	t.Headers, t.Tags = maps.Clone(t.Headers), slices.Clone(t.Tags)
	return t
}

func cloneTiles(in map[string]SecondaryTile) map[string]SecondaryTile {
	if in == nil {
		return nil
	}
	out := make(map[string]SecondaryTile, len(in))
	for id, t := range in {
		t.Tags, t.Templates = slices.Clone(t.Tags), cloneTemplates(t.Templates)
		out[id] = t
	}
	return out
}

// withoutReadOnly returns in without the fields the service sets.
func (in Installation) withoutReadOnly() Installation {
	in.PushChannelExpired, in.ExpirationTime, in.LastActiveOn, in.LastUpdate = nil, nil, nil, nil
	return in
}

// encodeInstallationRequest validates in and returns the JSON body of a create
// or overwrite request (PUT /HUB/installations/ID), without the read-only fields.
func encodeInstallationRequest(in Installation) ([]byte, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return marshalNoEscape(in.withoutReadOnly())
}

// Limits the service puts on an installation, checked by Validate.
const (
	// MaxInstallationTags is the most tags a device carries.
	MaxInstallationTags = push.MaxDeviceTags
	// MaxInstallationTagBytes is the most bytes the tags of a device take, joined
	// by commas: the installation's own tags and its templates'.
	MaxInstallationTagBytes = 8000
	// MaxInstallationIDLength is the longest installation ID that the tag
	// $InstallationId:{ID} can carry (push.MaxTagLength characters in all).
	MaxInstallationIDLength = push.MaxTagLength - len("$InstallationId:{}")
	// MaxUserIDLength is the longest user ID that the tag $UserId:{ID} can carry.
	MaxUserIDLength = push.MaxTagLength - len("$UserId:{}")
	// MaxTemplateNameLength is the longest template name.
	MaxTemplateNameLength = 200
)

// Validate checks in the way the service does, before any I/O, and returns the
// first problem as a *push.Error of kind push.ErrInvalidTarget (an installation is
// addressing data: what it gets wrong decides who can be reached), with Op
// "azurenh: installation" and a Detail that names the field. It checks:
//
//   - ID: 1 to MaxInstallationIDLength letters, digits, '.', '-' or '_' (the
//     characters both a URL path segment of the service and the tag
//     $InstallationId:{ID} accept);
//   - Platform: one of InstallationPlatforms;
//   - PushChannel: present and of the platform's shape: a subscription with its
//     endpoint (an absolute URL) and keys for a browser, a string otherwise; an
//     even number of hex digits for apns; an absolute URL for wns and mpns;
//   - UserID: at most MaxUserIDLength letters, digits and - _ @ # . : = (what the
//     tag $UserId:{ID} can carry);
//   - Tags, and each template's tags: each valid for push.ValidateTag and not
//     reserved ($InstallationId and $UserId tags are the service's own); at most
//     MaxInstallationTags distinct tags of its own, and MaxInstallationTagBytes
//     for all of them;
//   - Templates: a name of 1 to MaxTemplateNameLength characters without '/',
//     '~', spaces or control characters; a body; headers only on wns, mpns and
//     apns (apns-* headers), with X-WNS-Type required on wns; Expiry only on apns;
//   - SecondaryTiles: only on wns, each with a channel.
//
// The read-only fields are not checked.
func (in Installation) Validate() error {
	checks := [...]func() error{in.checkID, in.checkPlatform, in.checkChannel, in.checkUserID,
		in.checkTags, in.checkTemplates, in.checkTiles}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// invalidInstallation returns a validation error of an installation.
func invalidInstallation(format string, args ...any) error {
	return &push.Error{Op: opInstallation, Kind: push.ErrInvalidTarget, Detail: fmt.Sprintf(format, args...)}
}

func (in Installation) checkID() error {
	const allowed = "letters, digits, '.', '-' and '_'"
	return checkIdentifier("installation ID", in.ID, MaxInstallationIDLength, isInstallationIDByte, allowed, invalidInstallation)
}

// checkIdentifier checks a non-empty identifier of at most max bytes whose bytes ok
// accepts; allowed says which in messages, fail builds the error.
func checkIdentifier(what, s string, max int, ok func(byte) bool, allowed string, fail func(string, ...any) error) error {
	switch {
	case s == "":
		return fail("%s is empty", what)
	case len(s) > max:
		return fail("%s is %d bytes; at most %d", what, len(s), max)
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return fail("%s %s: %s at column %d is not allowed (allowed: %s)", what, quoteShort(s), describeByte(s, i), utf8.RuneCountInString(s[:i])+1, allowed)
		}
	}
	return nil
}

// clipText cuts s to at most n bytes, on a rune boundary, marking the cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// quoteShort quotes s for a message, cut to 40 bytes.
func quoteShort(s string) string { return fmt.Sprintf("%q", clipText(s, 40)) }

// describeByte names the character at byte i of s: `":"`, "a space", `"é"`.
func describeByte(s string, i int) string {
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("invalid UTF-8 byte 0x%02X", s[i])
	case r == ' ':
		return "a space"
	case r < ' ' || r == 0x7F:
		return fmt.Sprintf("control character %U", r)
	}
	return fmt.Sprintf("%q", string(r))
}

func isAlnumByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isInstallationIDByte(c byte) bool { return isAlnumByte(c) || c == '.' || c == '-' || c == '_' }

func isUserIDByte(c byte) bool { return isAlnumByte(c) || strings.IndexByte("_@#.:-=", c) >= 0 }

func (in Installation) checkPlatform() error {
	if in.Platform.Valid() {
		return nil
	}
	names := make([]string, 0, len(installationPlatforms))
	for _, e := range installationPlatforms {
		names = append(names, string(e.p))
	}
	hint := ""
	if p, ok := InstallationPlatformFor(push.Platform(in.Platform)); ok && p != in.Platform {
		hint = fmt.Sprintf(` (the send format %q is %q for installations)`, string(in.Platform), string(p))
	}
	return invalidInstallation("platform %q is not an installation platform%s; want one of %s", string(in.Platform), hint, strings.Join(names, ", "))
}

func (in Installation) checkChannel() error {
	c := in.PushChannel
	if in.Platform == InstallationBrowser {
		if c.Subscription == nil {
			return invalidInstallation(`browser push channel must be a Web Push subscription {"endpoint","p256dh","auth"}; use BrowserChannel`)
		}
		return checkSubscription(*c.Subscription, invalidInstallation)
	}
	if c.Subscription != nil {
		return invalidInstallation("%s push channel must be a device handle, not a browser subscription", in.Platform)
	}
	return checkDeviceHandle(in.Platform.PushPlatform(), c.Handle, string(in.Platform)+" push channel", invalidInstallation)
}

// checkSubscription checks a Web Push subscription: an absolute endpoint URL and
// both keys.
func checkSubscription(sub push.BrowserSubscription, fail func(string, ...any) error) error {
	if err := push.BrowserDevice(sub).Err(); err != nil {
		return fail("browser push channel: %s", errorDetail(err))
	}
	if !isAbsoluteURL(sub.Endpoint) {
		return fail("browser push channel endpoint %s is not an absolute URL", quoteShort(sub.Endpoint))
	}
	return nil
}

// checkDeviceHandle checks the device handle of send format f: present, one header
// token, hex for Apple, an absolute URL for Windows and Windows Phone.
func checkDeviceHandle(f push.Platform, h, what string, fail func(string, ...any) error) error {
	if h == "" {
		return fail("%s is empty", what)
	}
	if err := push.Device(h).Err(); err != nil {
		return fail("%s: %s", what, errorDetail(err))
	}
	switch {
	case f == push.Apple && !isHexToken(h):
		return fail("%s %s is not an APNs device token (an even number of hex digits)", what, quoteShort(h))
	case (f == push.Windows || f == push.WindowsPhone) && !isAbsoluteURL(h):
		return fail("%s %s is not an absolute channel URI", what, quoteShort(h))
	}
	return nil
}

// errorDetail returns the Detail of a *push.Error, or its text.
func errorDetail(err error) string {
	if e, ok := err.(*push.Error); ok && e.Detail != "" {
		return e.Detail
	}
	return err.Error()
}

func isHexToken(s string) bool {
	if len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func isAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

func (in Installation) checkUserID() error {
	if in.UserID == "" {
		return nil
	}
	return checkIdentifier("user ID", in.UserID, MaxUserIDLength, isUserIDByte, "letters, digits and _ @ # . : - =", invalidInstallation)
}

func (in Installation) checkTags() error {
	if err := checkDeviceTags("tags", in.Tags, invalidInstallation); err != nil {
		return err
	}
	if n := countDistinct(in.Tags); n > MaxInstallationTags {
		return invalidInstallation("%d tags; an installation carries at most %d", n, MaxInstallationTags)
	}
	if n := in.tagBytes(); n > MaxInstallationTagBytes {
		return invalidInstallation("the tags take %d bytes joined by commas (the installation's and its templates'); at most %d", n, MaxInstallationTagBytes)
	}
	return nil
}

// checkDeviceTags checks tags a device carries: valid and not reserved. where
// names the list in messages ("tags", `templates["a"].tags`).
func checkDeviceTags(where string, tags []string, fail func(string, ...any) error) error {
	for i, tag := range tags {
		if err := checkDeviceTag(tag, fail); err != nil {
			return fail("%s[%d]: %s", where, i, errorDetail(err))
		}
	}
	return nil
}

// checkDeviceTag checks one tag a device carries: valid for push.ValidateTag and
// not reserved.
func checkDeviceTag(tag string, fail func(string, ...any) error) error {
	if strings.HasPrefix(tag, "$") {
		return fail("tag %s is reserved: the service adds the $InstallationId and $UserId tags itself", quoteShort(tag))
	}
	if err := push.ValidateTag(tag); err != nil {
		return fail("%s", errorDetail(err))
	}
	return nil
}

func countDistinct(ss []string) int {
	seen := make(map[string]struct{}, len(ss))
	for _, s := range ss {
		seen[s] = struct{}{}
	}
	return len(seen)
}

// tagBytes returns the size of every tag of in (its own and its templates'),
// joined by commas.
func (in Installation) tagBytes() int {
	n, count := 0, 0
	add := func(tags []string) {
		for _, t := range tags {
			n += len(t)
			count++
		}
	}
	add(in.Tags)
	for _, t := range in.Templates {
		add(t.Tags)
	}
	if count > 1 {
		n += count - 1
	}
	return n
}

func (in Installation) checkTemplates() error {
	for _, name := range slices.Sorted(maps.Keys(in.Templates)) {
		if err := in.checkTemplate(name, in.Templates[name]); err != nil {
			return err
		}
	}
	return nil
}

func (in Installation) checkTemplate(name string, t InstallationTemplate) error {
	if err := checkTemplateName(name, invalidInstallation); err != nil {
		return err
	}
	if t.Body == "" {
		return invalidInstallation("template %q has an empty body", name)
	}
	if err := checkDeviceTags(fmt.Sprintf("templates[%q].tags", name), t.Tags, invalidInstallation); err != nil {
		return err
	}
	if err := in.checkTemplateHeaders(name, t.Headers); err != nil {
		return err
	}
	if t.Expiry != "" && in.Platform != InstallationAPNS {
		return invalidInstallation("template %q has an expiry, which only apns installations take", name)
	}
	return nil
}

// checkTemplateName checks a template name: it becomes a JSON-Pointer segment
// of patches (/templates/NAME) and the registration's TemplateName.
func checkTemplateName(name string, fail func(string, ...any) error) error {
	return checkSegment("template name", name, fail)
}

// checkSegment checks a name that becomes one segment of a patch path: 1 to
// MaxTemplateNameLength bytes of UTF-8 without '/', '~', spaces or control
// characters.
func checkSegment(what, name string, fail func(string, ...any) error) error {
	switch {
	case name == "":
		return fail("%s is empty", what)
	case len(name) > MaxTemplateNameLength:
		return fail("%s %s is %d bytes; at most %d", what, quoteShort(name), len(name), MaxTemplateNameLength)
	case !utf8.ValidString(name):
		return fail("%s %s is not valid UTF-8", what, quoteShort(name))
	}
	if i := strings.IndexFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7F || r == '/' || r == '~' }); i >= 0 {
		return fail("%s %s: %s at column %d is not allowed (no '/', '~', space or control character)", what, quoteShort(name), describeByte(name, i), utf8.RuneCountInString(name[:i])+1)
	}
	return nil
}

func (in Installation) checkTemplateHeaders(name string, headers map[string]string) error {
	if len(headers) == 0 {
		if in.Platform == InstallationWNS {
			return invalidInstallation("template %q of a wns installation needs the header X-WNS-Type (wns/toast, wns/tile, wns/badge or wns/raw)", name)
		}
		return nil
	}
	switch in.Platform {
	case InstallationWNS, InstallationMPNS, InstallationAPNS:
	default:
		return invalidInstallation("template %q has headers, which only wns, mpns and apns installations take", name)
	}
	return checkTemplateHeaders(in.Platform.PushPlatform(), fmt.Sprintf("template %q", name), headers, invalidInstallation)
}

// checkTemplateHeaders checks the header templates of send format f: names that
// are HTTP tokens, non-empty values on one line, apns-* names for Apple, and
// X-WNS-Type for Windows.
func checkTemplateHeaders(f push.Platform, what string, headers map[string]string, fail func(string, ...any) error) error {
	for _, k := range slices.Sorted(maps.Keys(headers)) {
		if err := checkTemplateHeader(f, what, k, headers[k], fail); err != nil {
			return err
		}
	}
	if f == push.Windows && !hasHeaderFold(headers, "X-WNS-Type") {
		return fail("%s needs the header X-WNS-Type (wns/toast, wns/tile, wns/badge or wns/raw)", what)
	}
	return nil
}

func checkTemplateHeader(f push.Platform, what, k, v string, fail func(string, ...any) error) error {
	switch {
	case !isHTTPToken(k):
		return fail("%s: header name %s is not an HTTP token", what, quoteShort(k))
	case strings.TrimSpace(v) == "":
		return fail("%s: header %s has an empty value", what, k)
	case strings.ContainsAny(v, "\r\n\x00"):
		return fail("%s: header %s has a value with a line break or NUL", what, k)
	case f == push.Apple && !strings.HasPrefix(strings.ToLower(k), "apns-"):
		return fail("%s: header %s is not an APNs header (apns-*)", what, k)
	}
	return nil
}

func hasHeaderFold(headers map[string]string, name string) bool {
	for k, v := range headers {
		if strings.EqualFold(k, name) && strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

// isHTTPToken reports whether s is a non-empty RFC 9110 token.
func isHTTPToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnumByte(c) && strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

func (in Installation) checkTiles() error {
	if len(in.SecondaryTiles) == 0 {
		return nil
	}
	if in.Platform != InstallationWNS {
		return invalidInstallation("secondary tiles are for wns installations, not %s", in.Platform)
	}
	for _, id := range slices.Sorted(maps.Keys(in.SecondaryTiles)) {
		if err := checkTile(id, in.SecondaryTiles[id]); err != nil {
			return err
		}
	}
	return nil
}

func checkTile(id string, t SecondaryTile) error {
	what := fmt.Sprintf("secondary tile %q", id)
	if err := checkSegment("secondary tile ID", id, invalidInstallation); err != nil {
		return err
	}
	if err := checkDeviceHandle(push.Windows, t.PushChannel, what+" push channel", invalidInstallation); err != nil {
		return err
	}
	return checkDeviceTags(what+" tags", t.Tags, invalidInstallation)
}
