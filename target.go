package push

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TargetKind says how a Target addresses devices.
type TargetKind uint8

// The kinds of Target. The zero Target has none of them and is refused by Render:
// a forgotten target must not become a broadcast.
const (
	TargetBroadcast TargetKind = iota + 1 // every device of the platform
	TargetTags                            // devices whose tags match an expression
	TargetDevice                          // one device handle (direct send)
	TargetDevices                         // several device handles (batch direct send)
)

// String returns the kind's name: "broadcast", "tags", "device" or "devices".
func (k TargetKind) String() string {
	switch k {
	case TargetBroadcast:
		return "broadcast"
	case TargetTags:
		return "tags"
	case TargetDevice:
		return "device"
	case TargetDevices:
		return "devices"
	}
	return "TargetKind(" + strconv.Itoa(int(k)) + ")"
}

// MaxHandleLength is the longest device handle (APNs token, FCM registration
// token, WNS channel URI, Web Push endpoint) a Target accepts, in bytes.
const MaxHandleLength = 2048

// MaxBatchDevices is the number of handles Notification Hubs takes in one batch
// request. A Devices target may hold more: a provider splits it into requests of
// at most this many handles.
const MaxBatchDevices = 1000

// Target says who receives a notification. Build it with Broadcast, Tags,
// Expression, Installation, User, Device, Devices or BrowserDevice. A constructor
// never fails: a Target built from bad input carries the error (see Err), and
// Render returns it before any I/O. A Target is immutable and safe to share.
type Target struct {
	kind    TargetKind
	expr    *Expr
	devices []string
	subs    []BrowserSubscription // browser targets: one per device, same order
	err     error
}

// BrowserSubscription is a Web Push subscription, as a browser's
// PushManager.subscribe returns it.
type BrowserSubscription struct {
	Endpoint string // the push service URL: the device handle
	P256DH   string // the client's public key (keys.p256dh)
	Auth     string // the authentication secret (keys.auth)
}

// Broadcast returns a Target that reaches every device registered for the
// notification's platform (for Template, every device with a template).
func Broadcast() Target { return Target{kind: TargetBroadcast} }

// Tags returns a Target that reaches devices carrying any of the tags: the tag
// expression "a || b || c". Duplicates are dropped, order is kept. Each tag is 1 to
// 120 characters of letters, digits and _ @ # . : -, or a reserved form
// ($InstallationId:{id}, $UserId:{id}); at most 20 tags.
func Tags(tags ...string) Target {
	if len(tags) == 0 {
		return errTarget(TargetTags, "push.Tags needs at least one tag; use push.Broadcast() to reach every device")
	}
	uniq := make([]string, 0, len(tags))
	for i, tag := range tags {
		if err := checkTag(tag, i+1); err != nil {
			return Target{kind: TargetTags, err: err}
		}
		if !slices.Contains(uniq, tag) {
			uniq = append(uniq, tag)
		}
	}
	if len(uniq) > MaxOrTags {
		return errTarget(TargetTags, fmt.Sprintf("%d tags; Notification Hubs takes at most %d in one send (send several times, or give the devices a common tag)", len(uniq), MaxOrTags))
	}
	return Expression(strings.Join(uniq, " || "))
}

// Expression returns a Target that reaches devices whose tags match the tag
// expression expr, for example "(follows_RedSox || follows_Cardinals) &&
// location_Boston". See ParseExpression for the grammar and limits. The
// expression is sent as written (see Expr.Text): parsing validates it, and
// evaluates it in the test doubles, but never rewrites it.
func Expression(expr string) Target {
	e, err := ParseExpression(expr)
	if err != nil {
		return Target{kind: TargetTags, err: err}
	}
	return Target{kind: TargetTags, expr: e}
}

// Installation returns a Target that reaches one installation by its ID:
// Installation("2b0f0e2c") is the tag $InstallationId:{2b0f0e2c}, braces
// included, as Notification Hubs spells it.
func Installation(id string) Target {
	return reservedTarget("push.Installation needs an installation ID", installationPrefix, id)
}

// User returns a Target that reaches every installation of a user, by the
// user ID the installations carry: User("alice") is the tag
// $UserId:{alice}, braces included, as Notification Hubs spells it.
func User(id string) Target {
	return reservedTarget("push.User needs a user ID", userPrefix, id)
}

func reservedTarget(missing, prefix, id string) Target {
	if id == "" {
		return errTarget(TargetTags, missing)
	}
	tag := prefix + "{" + id + "}"
	if err := ValidateTag(tag); err != nil {
		return Target{kind: TargetTags, err: err}
	}
	return Expression(tag)
}

// Device returns a Target that reaches one device by its platform handle (a
// direct send): an APNs device token, an FCM registration token, a WNS channel
// URI, ... For a browser, use BrowserDevice.
func Device(handle string) Target {
	if err := checkHandle(handle, 0); err != nil {
		return Target{kind: TargetDevice, err: err}
	}
	return Target{kind: TargetDevice, devices: []string{handle}}
}

// Devices returns a Target that reaches several devices by handle (a batch direct
// send). Duplicates are dropped, order is kept. Notification Hubs takes at most
// 1000 handles a request: a provider sends more as several requests and combines
// their receipts (see Receipt.Parts). A batch of one is a direct send.
func Devices(handles ...string) Target {
	if len(handles) == 0 {
		return errTarget(TargetDevices, "push.Devices needs at least one device handle")
	}
	uniq := make([]string, 0, len(handles))
	seen := make(map[string]struct{}, len(handles))
	for i, h := range handles {
		if err := checkHandle(h, i+1); err != nil {
			return Target{kind: TargetDevices, err: err}
		}
		if _, dup := seen[h]; !dup {
			seen[h] = struct{}{}
			uniq = append(uniq, h)
		}
	}
	return Target{kind: TargetDevices, devices: uniq}
}

// BrowserDevice returns a Target that reaches one browser by its Web Push
// subscription (a direct send of a Browser notification).
func BrowserDevice(sub BrowserSubscription) Target {
	if err := checkSubscription(sub, 0); err != nil {
		return Target{kind: TargetDevice, err: err}
	}
	return Target{kind: TargetDevice, devices: []string{sub.Endpoint}, subs: []BrowserSubscription{sub}}
}

// BrowserDevices returns a Target that reaches several browsers by their Web
// Push subscriptions (a batch direct send of a Browser notification).
// Subscriptions with the same endpoint are sent once, the first kept; order is
// kept. A batch of one is a BrowserDevice send.
func BrowserDevices(subs ...BrowserSubscription) Target {
	if len(subs) == 0 {
		return errTarget(TargetDevices, "push.BrowserDevices needs at least one subscription")
	}
	t := Target{kind: TargetDevices, devices: make([]string, 0, len(subs)), subs: make([]BrowserSubscription, 0, len(subs))}
	seen := make(map[string]struct{}, len(subs))
	for i, sub := range subs {
		if err := checkSubscription(sub, i+1); err != nil {
			return Target{kind: TargetDevices, err: err}
		}
		if _, dup := seen[sub.Endpoint]; !dup {
			seen[sub.Endpoint] = struct{}{}
			t.devices, t.subs = append(t.devices, sub.Endpoint), append(t.subs, sub)
		}
	}
	return t
}

// checkSubscription checks a subscription; i is its 1-based position in a
// batch, 0 for a single one.
func checkSubscription(sub BrowserSubscription, i int) error {
	what := "browser subscription"
	if i > 0 {
		what = "browser subscription " + strconv.Itoa(i)
	}
	if err := checkHandle(sub.Endpoint, i); err != nil {
		return err
	}
	switch {
	case sub.P256DH == "" || sub.Auth == "":
		return invalid(ErrInvalidTarget, what+" needs its P256DH and Auth keys")
	case !isHeaderToken(sub.P256DH) || !isHeaderToken(sub.Auth):
		return invalid(ErrInvalidTarget, what+" keys must be base64url text without spaces")
	}
	return nil
}

func errTarget(k TargetKind, detail string) Target {
	return Target{kind: k, err: invalid(ErrInvalidTarget, detail)}
}

// Kind returns how t addresses devices; 0 for the zero Target.
func (t Target) Kind() TargetKind { return t.kind }

// Err returns the error the target was built with, or nil if it is valid. The
// zero Target is invalid.
func (t Target) Err() error {
	if t.kind == 0 {
		return invalid(ErrInvalidTarget, "the zero push.Target addresses nobody; use push.Broadcast() to reach every device")
	}
	return t.err
}

// Expr returns the parsed tag expression of a TargetTags target, nil otherwise.
func (t Target) Expr() *Expr { return t.expr }

// Expression returns the tag expression of a TargetTags target as it is
// sent (see Expr.Text), "" otherwise. Expr().String() is its canonical form.
func (t Target) Expression() string { return t.expr.Text() }

// Devices returns a copy of the handles of a direct or batch target.
func (t Target) Devices() []string { return slices.Clone(t.devices) }

// Subscription returns the Web Push subscription of a BrowserDevice target
// (the first of a BrowserDevices target).
func (t Target) Subscription() (BrowserSubscription, bool) {
	if len(t.subs) == 0 {
		return BrowserSubscription{}, false
	}
	return t.subs[0], true
}

// Subscriptions returns a copy of the Web Push subscriptions of a
// BrowserDevice or BrowserDevices target, in the order of Devices; nil for
// other targets.
func (t Target) Subscriptions() []BrowserSubscription { return slices.Clone(t.subs) }

// Len returns the number of device handles a device target names; 0 for other
// targets.
func (t Target) Len() int { return len(t.devices) }

// String describes t for logs: "broadcast", "tags(a || b)", "device(HANDLE)",
// "devices(3)", or "invalid(...)".
func (t Target) String() string {
	if err := t.Err(); err != nil {
		return "invalid(" + err.Error() + ")"
	}
	switch t.kind {
	case TargetTags:
		return "tags(" + t.expr.Text() + ")"
	case TargetDevice:
		return "device(" + t.devices[0] + ")"
	case TargetDevices:
		return "devices(" + strconv.Itoa(len(t.devices)) + ")"
	}
	return t.kind.String()
}

// checkHandle checks a device handle; i is its 1-based position in a batch, 0
// for a single handle.
func checkHandle(h string, i int) error {
	what := "device handle"
	if i > 0 {
		what = "device handle " + strconv.Itoa(i)
	}
	switch {
	case h == "":
		return invalid(ErrInvalidTarget, what+" is empty")
	case len(h) > MaxHandleLength:
		return invalid(ErrInvalidTarget, fmt.Sprintf("%s is %d bytes; at most %d", what, len(h), MaxHandleLength))
	case !isHeaderToken(h):
		return invalid(ErrInvalidTarget, fmt.Sprintf("%s %.40q contains a space, a control character or invalid UTF-8", what, h))
	}
	return nil
}

// isHeaderToken reports whether s can travel as one header value: valid UTF-8
// without spaces or control characters.
func isHeaderToken(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}
