package push

import (
	"fmt"
	"maps"
	"strings"
)

// TargetKinds is a set of TargetKind values.
type TargetKinds uint8

// Common sets of target kinds.
const (
	// HubTargets are the kinds a hub resolves to devices itself: a broadcast
	// and tags (Tags, Expression, Installation, User).
	HubTargets = TargetKinds(1<<TargetBroadcast | 1<<TargetTags)
	// DeviceTargets are the kinds that name device handles: Device, Devices,
	// BrowserDevice and BrowserDevices.
	DeviceTargets = TargetKinds(1<<TargetDevice | 1<<TargetDevices)
	// AllTargets is every kind.
	AllTargets = HubTargets | DeviceTargets
)

// KindsOf returns the set of the given kinds.
func KindsOf(kinds ...TargetKind) TargetKinds {
	var s TargetKinds
	for _, k := range kinds {
		if k >= TargetBroadcast && k <= TargetDevices {
			s |= 1 << k
		}
	}
	return s
}

// Has reports whether k is in s.
func (s TargetKinds) Has(k TargetKind) bool { return k <= TargetDevices && s&(1<<k) != 0 }

// Kinds returns the kinds in s, in the order of their constants.
func (s TargetKinds) Kinds() []TargetKind {
	var out []TargetKind
	for k := TargetBroadcast; k <= TargetDevices; k++ {
		if s.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

// String lists the kinds: "broadcast, tags"; "none" for the empty set.
func (s TargetKinds) String() string {
	kinds := s.Kinds()
	if len(kinds) == 0 {
		return "none"
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.String()
	}
	return strings.Join(names, ", ")
}

// Support says how a Sender delivers the notifications of one platform.
type Support struct {
	// Targets are the target kinds it delivers the platform to.
	Targets TargetKinds
	// Schedule reports whether Schedule takes the platform (to tags or a
	// broadcast, see RenderAt).
	Schedule bool
	// TestSend reports whether the Sender can be set to test-send the platform:
	// a send the service checks, and for Notification Hubs delivers to a few
	// devices, reporting what happened (azurenh.WithTestSend, fcm's dry run).
	TestSend bool
	// PerDevice reports whether a send to device handles returns one Result per
	// handle in Receipt.Results.
	PerDevice bool
	// BatchSize is the most device handles one request carries: 1 for a direct
	// provider, which sends one request per handle, MaxBatchDevices for
	// Notification Hubs; 0 when the platform goes to no device target.
	BatchSize int
}

// Capabilities says what a Sender delivers, in a form code can read: for
// each platform it takes, to which target kinds and how. A Sender refuses
// anything else before any I/O with an error matching ErrUnsupported.
type Capabilities struct {
	// Provider names what delivers: "azurenh", "apns", "memory", ...; a Router
	// lists its routes.
	Provider string
	// Platforms maps each platform the Sender delivers to how it does.
	Platforms map[Platform]Support
}

// Capable is implemented by Senders that declare their Capabilities. Every
// Sender of this module does; CapabilitiesOf reads it.
type Capable interface {
	// Capabilities returns the Sender's declaration, a copy the caller owns.
	// It is the same on every call.
	Capabilities() Capabilities
}

// CapabilitiesOf returns what s declares, and false when s does not implement
// Capable.
func CapabilitiesOf(s Sender) (Capabilities, bool) {
	c, ok := s.(Capable)
	if !ok {
		return Capabilities{}, false
	}
	return c.Capabilities(), true
}

// Clone returns a copy of c with its own Platforms map.
func (c Capabilities) Clone() Capabilities {
	c.Platforms = maps.Clone(c.Platforms)
	return c
}

// Delivers reports whether c delivers platform p to target kind k.
func (c Capabilities) Delivers(p Platform, k TargetKind) bool {
	return c.Platforms[p].Targets.Has(k)
}

// CheckSend returns nil when c delivers a notification of platform p to a
// target of kind k, or when p is not a valid platform or k is 0 (Render
// reports those); otherwise a *Error of kind ErrUnsupported, with Op op, that
// says what c does deliver. A Sender calls it before any I/O.
func (c Capabilities) CheckSend(op string, p Platform, k TargetKind) error {
	if !p.Valid() || k == 0 || c.Delivers(p, k) || (p == Template && DeviceTargets.Has(k)) {
		// Render refuses a template to device handles whatever the Sender.
		return nil
	}
	s, ok := c.Platforms[p]
	if !ok {
		return c.unsupported(op, fmt.Sprintf("%s does not deliver %s notifications", c.name(), p))
	}
	return c.unsupported(op, fmt.Sprintf("%s delivers %s notifications to %s, not to %s", c.name(), p, s.Targets, k))
}

// CheckSchedule is CheckSend for Schedule: nil when c schedules platform p
// (the target kind is left to RenderAt), or when p is not a valid platform.
func (c Capabilities) CheckSchedule(op string, p Platform) error {
	if !p.Valid() || c.Platforms[p].Schedule {
		return nil
	}
	var can []string
	for _, q := range Platforms() {
		if c.Platforms[q].Schedule {
			can = append(can, string(q))
		}
	}
	if len(can) == 0 {
		return c.unsupported(op, c.name()+" cannot schedule notifications")
	}
	return c.unsupported(op, fmt.Sprintf("%s cannot schedule %s notifications, only %s", c.name(), p, strings.Join(can, ", ")))
}

// CanSchedule reports whether c schedules any platform.
func (c Capabilities) CanSchedule() bool {
	for _, s := range c.Platforms {
		if s.Schedule {
			return true
		}
	}
	return false
}

func (c Capabilities) unsupported(op, detail string) error {
	return &Error{Op: op, Kind: ErrUnsupported, Detail: detail + "; it delivers " + c.summary()}
}

func (c Capabilities) name() string {
	if c.Provider == "" {
		return "this sender"
	}
	return c.Provider
}

// summary lists what c delivers, platforms with the same target kinds
// together: "apple, fcmv1 to device, devices; template to broadcast, tags".
func (c Capabilities) summary() string {
	var kinds []TargetKinds
	byKinds := map[TargetKinds][]string{}
	for _, p := range Platforms() {
		t := c.Platforms[p].Targets
		if t == 0 {
			continue
		}
		if _, seen := byKinds[t]; !seen {
			kinds = append(kinds, t)
		}
		byKinds[t] = append(byKinds[t], string(p))
	}
	if len(kinds) == 0 {
		return "nothing"
	}
	parts := make([]string, len(kinds))
	for i, t := range kinds {
		parts[i] = strings.Join(byKinds[t], ", ") + " to " + t.String()
	}
	return strings.Join(parts, "; ")
}

// String describes c on one line: its provider, then what it delivers.
func (c Capabilities) String() string { return c.name() + ": " + c.summary() }

// DirectCapabilities returns what a direct provider named provider
// declares when it delivers the given platforms to device handles only,
// one request per handle, reporting each (Device and Devices targets;
// BrowserDevice and BrowserDevices for Browser): the starting point of
// apns, fcm and webpush, and what memory.WithCapabilities takes to play one.
func DirectCapabilities(provider string, platforms ...Platform) Capabilities {
	c := Capabilities{Provider: provider, Platforms: make(map[Platform]Support, len(platforms))}
	for _, p := range platforms {
		if p != Template {
			c.Platforms[p] = Support{Targets: DeviceTargets, PerDevice: true, BatchSize: 1}
		}
	}
	return c
}
