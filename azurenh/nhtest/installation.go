package nhtest

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pushwire/push"
)

// Installation is a device registered with the hub, as the installations API
// (api-version 2015-01 and later) holds it: PutInstallation seeds one,
// Installation reads one back.
type Installation struct {
	InstallationID string `json:"installationId"`
	// UserID, when set, makes the installation reachable by the tag $UserId:{UserID}.
	UserID string `json:"userId,omitempty"`
	// Platform is the send format that reaches the installation: push.Apple
	// for an installation on "apns", push.FCMV1 on "fcmv1", push.Windows on
	// "wns", push.WindowsPhone on "mpns", push.Browser on "browser", ... On
	// the wire it is written and read by the installations API's name, in any
	// case (see MarshalJSON).
	Platform    push.Platform `json:"platform"`
	PushChannel PushChannel   `json:"pushChannel"`
	// Tags are the installation's own tags, at most 60, without the implicit
	// $InstallationId and $UserId tags (see MatchTags).
	Tags           []string                        `json:"tags,omitempty"`
	PushVariables  map[string]string               `json:"pushVariables,omitempty"`
	Templates      map[string]InstallationTemplate `json:"templates,omitempty"`
	SecondaryTiles map[string]SecondaryTile        `json:"secondaryTiles,omitempty"`

	// Read-only: set by the emulator, ignored when written.
	PushChannelExpired bool   `json:"pushChannelExpired,omitempty"`
	ExpirationTime     string `json:"expirationTime,omitempty"`
	LastActiveOn       string `json:"lastActiveOn,omitempty"`
	LastUpdate         string `json:"lastUpdate,omitempty"`
}

// PushChannel is an installation's PNS handle. It is a JSON string (an APNs token,
// an FCM registration token, a WNS channel URI, ...) except for browsers, whose
// Web Push subscription is the object {"endpoint","p256dh","auth"}.
type PushChannel struct {
	Handle string // the handle; for a browser, the subscription endpoint
	P256DH string // browser only
	Auth   string // browser only
}

// browserChannel is the JSON form of a browser's push channel.
type browserChannel struct {
	Endpoint string `json:"endpoint"`
	P256DH   string `json:"p256dh"`
	Auth     string `json:"auth"`
}

// IsBrowser reports whether c is a Web Push subscription (it has keys).
func (c PushChannel) IsBrowser() bool { return c.P256DH != "" || c.Auth != "" }

// MarshalJSON writes a string, or the browser object when c has keys.
func (c PushChannel) MarshalJSON() ([]byte, error) {
	if c.IsBrowser() {
		return json.Marshal(browserChannel{Endpoint: c.Handle, P256DH: c.P256DH, Auth: c.Auth})
	}
	return json.Marshal(c.Handle)
}

// UnmarshalJSON reads a string or a browser object.
func (c *PushChannel) UnmarshalJSON(b []byte) error {
	var handle string
	if err := json.Unmarshal(b, &handle); err == nil {
		*c = PushChannel{Handle: handle}
		return nil
	}
	var bc browserChannel
	if err := json.Unmarshal(b, &bc); err != nil {
		return errors.New("pushChannel must be a string or a browser subscription {\"endpoint\",\"p256dh\",\"auth\"}")
	}
	*c = PushChannel{Handle: bc.Endpoint, P256DH: bc.P256DH, Auth: bc.Auth}
	return nil
}

// InstallationTemplate is a template of an installation: a body with $(property)
// expressions that a template send fills in, and tags of its own.
type InstallationTemplate struct {
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers,omitempty"`
	Expiry  string            `json:"expiry,omitempty"`
	Tags    []string          `json:"tags,omitempty"`
}

// SecondaryTile is a WNS secondary tile of an installation (deprecated by the
// service; kept and returned, not used for matching).
type SecondaryTile struct {
	PushChannel string                          `json:"pushChannel"`
	Tags        []string                        `json:"tags,omitempty"`
	Templates   map[string]InstallationTemplate `json:"templates,omitempty"`
}

// MaxInstallationTags is the most tags an installation may carry.
const MaxInstallationTags = push.MaxDeviceTags

// Clone returns a deep copy of in.
func (in Installation) Clone() Installation {
	in.Tags = slices.Clone(in.Tags)
	in.PushVariables = maps.Clone(in.PushVariables)
	in.Templates = cloneTemplates(in.Templates)
	if in.SecondaryTiles != nil {
		tiles := make(map[string]SecondaryTile, len(in.SecondaryTiles))
		for k, t := range in.SecondaryTiles {
			t.Tags, t.Templates = slices.Clone(t.Tags), cloneTemplates(t.Templates)
			tiles[k] = t
		}
		in.SecondaryTiles = tiles
	}
	return in
}

func cloneTemplates(in map[string]InstallationTemplate) map[string]InstallationTemplate {
	if in == nil {
		return nil
	}
	out := make(map[string]InstallationTemplate, len(in))
	for k, t := range in {
		t.Headers, t.Tags = maps.Clone(t.Headers), slices.Clone(t.Tags)
		out[k] = t
	}
	return out
}

// MatchTags returns the tags a send's tag expression is matched against: Tags,
// then the implicit $InstallationId:{ID} and, when UserID is set, $UserId:{ID}.
func (in Installation) MatchTags() []string {
	tags := make([]string, 0, len(in.Tags)+2)
	tags = append(tags, in.Tags...)
	tags = append(tags, "$InstallationId:{"+in.InstallationID+"}")
	if in.UserID != "" {
		tags = append(tags, "$UserId:{"+in.UserID+"}")
	}
	return tags
}

// installationNames pairs the installations API's name of each platform with
// the send format that reaches it.
var installationNames = [...]struct {
	name string
	p    push.Platform
}{
	{"apns", push.Apple}, {"fcmv1", push.FCMV1}, {"gcm", push.GCM}, {"wns", push.Windows}, //lint:ignore SA1019 hubs still hold legacy GCM devices
	{"mpns", push.WindowsPhone}, {"adm", push.ADM}, {"baidu", push.Baidu}, {"browser", push.Browser}, {"xiaomi", push.Xiaomi},
}

// installationNameList lists the names, for messages.
const installationNameList = "apns, fcmv1, gcm, wns, mpns, adm, baidu, browser, xiaomi"

// installationName returns the installations API's name of the platform that
// format p reaches, or "" when no installation receives p.
func installationName(p push.Platform) string {
	for _, e := range installationNames {
		if e.p == p {
			return e.name
		}
	}
	return ""
}

// platformOfName returns the send format that reaches installations on the
// named platform, in any case.
func platformOfName(name string) (push.Platform, bool) {
	for _, e := range installationNames {
		if strings.EqualFold(e.name, name) {
			return e.p, true
		}
	}
	return "", false
}

// format returns the send format of the installation's platform.
func (in Installation) format() push.Platform { return in.Platform }

// installationJSON is an Installation on the wire, its platform by name.
type installationJSON struct {
	InstallationID     string                          `json:"installationId"`
	UserID             string                          `json:"userId,omitempty"`
	Platform           string                          `json:"platform"`
	PushChannel        PushChannel                     `json:"pushChannel"`
	Tags               []string                        `json:"tags,omitempty"`
	PushVariables      map[string]string               `json:"pushVariables,omitempty"`
	Templates          map[string]InstallationTemplate `json:"templates,omitempty"`
	SecondaryTiles     map[string]SecondaryTile        `json:"secondaryTiles,omitempty"`
	PushChannelExpired bool                            `json:"pushChannelExpired,omitempty"`
	ExpirationTime     string                          `json:"expirationTime,omitempty"`
	LastActiveOn       string                          `json:"lastActiveOn,omitempty"`
	LastUpdate         string                          `json:"lastUpdate,omitempty"`
}

// MarshalJSON writes in as the installations API does, its platform by the
// API's name ("apns" for push.Apple). A platform no installation has is
// written as it is.
func (in Installation) MarshalJSON() ([]byte, error) {
	return json.Marshal(in.wire())
}

func (in Installation) wire() installationJSON {
	name := installationName(in.Platform)
	if name == "" {
		name = string(in.Platform)
	}
	return installationJSON{InstallationID: in.InstallationID, UserID: in.UserID, Platform: name, PushChannel: in.PushChannel,
		Tags: in.Tags, PushVariables: in.PushVariables, Templates: in.Templates, SecondaryTiles: in.SecondaryTiles,
		PushChannelExpired: in.PushChannelExpired, ExpirationTime: in.ExpirationTime, LastActiveOn: in.LastActiveOn, LastUpdate: in.LastUpdate}
}

// UnmarshalJSON reads an installation as the installations API takes it. A
// platform the service does not know is an error in the service's words.
func (in *Installation) UnmarshalJSON(b []byte) error {
	var w installationJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p, ok := platformOfName(w.Platform)
	if !ok {
		return detailf("The installation platform %q is not supported; want one of %s.", w.Platform, installationNameList)
	}
	*in = Installation{InstallationID: w.InstallationID, UserID: w.UserID, Platform: p, PushChannel: w.PushChannel,
		Tags: w.Tags, PushVariables: w.PushVariables, Templates: w.Templates, SecondaryTiles: w.SecondaryTiles,
		PushChannelExpired: w.PushChannelExpired, ExpirationTime: w.ExpirationTime, LastActiveOn: w.LastActiveOn, LastUpdate: w.LastUpdate}
	return nil
}

// validate checks in as the service does, and puts the platform in lower case and
// the tags without duplicates. The error is the detail of a 400.
func (in *Installation) validate() error {
	checks := []func() error{in.checkID, in.checkPlatform, in.checkChannel, in.checkUserID, in.checkTags, in.checkTemplates}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (in *Installation) checkID() error {
	if in.InstallationID == "" {
		return detailError("The installation has no installationId.")
	}
	return nil
}

func (in *Installation) checkPlatform() error {
	if installationName(in.Platform) == "" {
		return detailf("No installation receives %q notifications: the platform is one of apple (apns), fcmv1, gcm, windows (wns), windowsphone (mpns), adm, baidu, browser, xiaomi.", in.Platform)
	}
	return nil
}

func (in *Installation) checkChannel() error {
	c := in.PushChannel
	switch {
	case c.Handle == "":
		return detailError("The installation has no pushChannel.")
	case !utf8.ValidString(c.Handle) || !utf8.ValidString(c.P256DH) || !utf8.ValidString(c.Auth):
		return detailError("The installation's pushChannel is not valid UTF-8.")
	case in.Platform == push.Browser && (c.P256DH == "" || c.Auth == ""):
		return detailError("A browser installation's pushChannel must be {\"endpoint\",\"p256dh\",\"auth\"}.")
	case in.Platform != push.Browser && c.IsBrowser():
		return detailf("A %s installation's pushChannel must be a string.", installationName(in.Platform))
	}
	return nil
}

// checkUserID accepts what fits in the tag $UserId:{ID}: letters, digits and
// - _ @ # . : =, as the service documents.
func (in *Installation) checkUserID() error {
	if in.UserID != "" && push.ValidateTag("$UserId:{"+in.UserID+"}") != nil {
		return detailf("The userId %q is not 1 or more of letters, digits and -_@#.:= (at most %d characters with its $UserId:{} tag).", in.UserID, push.MaxTagLength)
	}
	return nil
}

func (in *Installation) checkTags() error {
	tags, err := checkTagList(in.Tags)
	in.Tags = tags
	return err
}

func (in *Installation) checkTemplates() error {
	for name, t := range in.Templates {
		if name == "" {
			return detailError("An installation template has an empty name.")
		}
		if t.Body == "" {
			return detailf("The installation template %q has no body.", name)
		}
		tags, err := checkTagList(t.Tags)
		if err != nil {
			return err
		}
		t.Tags = tags
		in.Templates[name] = t
	}
	return nil
}

// checkTagList validates device tags and drops duplicates, keeping order. A device
// tag may not use the reserved $ forms, which the service sets itself.
func checkTagList(tags []string) ([]string, error) {
	if len(tags) > MaxInstallationTags {
		return tags, detailf("The installation has %d tags; a device carries at most %d.", len(tags), MaxInstallationTags)
	}
	var out []string
	for _, tag := range tags {
		if strings.HasPrefix(tag, "$") {
			return tags, detailError("Tags can not start with $.")
		}
		if push.ValidateTag(tag) != nil {
			return tags, detailf("An invalid tag(s) '%s' was supplied. Valid tag characters are alphanumeric, _, @, -, ., : and #.", tag)
		}
		if !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out, nil
}
