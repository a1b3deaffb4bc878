package memory

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pushwire/push"
)

// MaxDeviceTags is the most tags a Device may carry, as in Notification Hubs;
// the implicit installation and user tags do not count.
const MaxDeviceTags = push.MaxDeviceTags

// Device is a device the Sender pretends is registered with the push service,
// so that a Delivery can list which devices a send reached (Delivery.Reached)
// and what a Template notification expands to on each (Delivery.Payloads).
type Device struct {
	// Handle is the device's PNS handle (APNs token, FCM token, WNS channel URI,
	// Web Push endpoint); it identifies the device in the registry.
	Handle string
	// Platform is the device's native format (push.Apple, push.FCMV1, ...); not
	// push.Template.
	Platform push.Platform
	// Tags are the device's own tags, at most MaxDeviceTags.
	Tags []string
	// InstallationID, when set, adds the implicit tag $InstallationId:{ID}.
	InstallationID string
	// UserID, when set, adds the implicit tag $UserId:{ID}.
	UserID string
	// Templates maps template names to template bodies: native payloads
	// (a JSON object, or an XML document for push.Windows and
	// push.WindowsPhone) with expressions in Notification Hubs' template
	// language (see push.CompiledTemplate). Register compiles every body once
	// and refuses one that does not compile; it does not check that a body
	// suits Platform. A device with at least one template receives Template
	// notifications, and each of its templates expands, with the
	// notification's properties, to one of the Delivery's Payloads.
	Templates map[string]string
}

// clone returns a deep copy of d.
func (d Device) clone() Device {
	d.Tags = slices.Clone(d.Tags)
	d.Templates = maps.Clone(d.Templates)
	return d
}

// device is a registered Device with its full tag set and its compiled
// templates.
type device struct {
	Device
	allTags   []string        // Tags plus the implicit installation and user tags
	templates []namedTemplate // Templates compiled, by name
}

func (d *device) has(tag string) bool { return slices.Contains(d.allTags, tag) }

// Register adds d to the Sender's device registry, or replaces the device with
// the same Handle (keeping its place in the order). The Sender keeps a copy.
//
// The error, a *push.Error of kind push.ErrInvalidTarget, says what is wrong
// when the handle is not a valid device handle, the platform is not a native
// push.Platform, a tag (or the implicit tag made of InstallationID or UserID)
// is not one Notification Hubs accepts, there are more than MaxDeviceTags tags,
// or a template has an empty name or body or does not compile (the message
// quotes push.CompileTemplate's explanation).
func (s *Sender) Register(d Device) error {
	dev, err := newDevice(d)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	if i := s.deviceIndex(d.Handle); i >= 0 {
		s.devices[i] = dev
		return nil
	}
	s.devices = append(s.devices, dev)
	return nil
}

// Unregister removes the device with the given handle from the registry and
// reports whether there was one. Deliveries already kept are unchanged.
func (s *Sender) Unregister(handle string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	i := s.deviceIndex(handle)
	if i < 0 {
		return false
	}
	s.devices = slices.Delete(s.devices, i, i+1)
	return true
}

// Devices returns copies of the registered devices, in registration order.
func (s *Sender) Devices() []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverDue(s.clock.Now())
	out := make([]Device, len(s.devices))
	for i, d := range s.devices {
		out[i] = d.clone()
	}
	return out
}

// deviceIndex returns the index of the device with handle h, or -1. Called
// with s.mu held.
func (s *Sender) deviceIndex(h string) int {
	return slices.IndexFunc(s.devices, func(d *device) bool { return d.Handle == h })
}

// newDevice checks d and returns a registry entry holding a copy of it, with
// its templates compiled.
func newDevice(d Device) (*device, error) {
	if err := checkDevice(d); err != nil {
		return nil, err
	}
	templates, err := compileTemplates(d)
	if err != nil {
		return nil, err
	}
	dev := &device{Device: d.clone(), templates: templates}
	dev.allTags = slices.Clone(d.Tags)
	if d.InstallationID != "" {
		dev.allTags = append(dev.allTags, installationTag(d.InstallationID))
	}
	if d.UserID != "" {
		dev.allTags = append(dev.allTags, userTag(d.UserID))
	}
	return dev, nil
}

func installationTag(id string) string { return "$InstallationId:{" + id + "}" }
func userTag(id string) string         { return "$UserId:{" + id + "}" }

// checkDevice reports what is wrong with d, if anything.
func checkDevice(d Device) error {
	if err := push.Device(d.Handle).Err(); err != nil {
		return registerError(fmt.Sprintf("device %.40q: %v", d.Handle, err))
	}
	if !d.Platform.Valid() || d.Platform == push.Template {
		return registerError(fmt.Sprintf("device %.40q has platform %q; want a native platform such as %q (templates go in Device.Templates)", d.Handle, string(d.Platform), string(push.Apple)))
	}
	if len(d.Tags) > MaxDeviceTags {
		return registerError(fmt.Sprintf("device %.40q has %d tags; a device carries at most %d", d.Handle, len(d.Tags), MaxDeviceTags))
	}
	return checkDeviceTags(d)
}

// checkDeviceTags checks the device's tags and its implicit tags.
func checkDeviceTags(d Device) error {
	tags := slices.Clone(d.Tags)
	if d.InstallationID != "" {
		tags = append(tags, installationTag(d.InstallationID))
	}
	if d.UserID != "" {
		tags = append(tags, userTag(d.UserID))
	}
	for _, tag := range tags {
		if err := push.ValidateTag(tag); err != nil {
			return registerError(fmt.Sprintf("device %.40q: %v", d.Handle, err))
		}
	}
	return nil
}

func registerError(detail string) error {
	return &push.Error{Op: "memory: register", Kind: push.ErrInvalidTarget, Detail: detail}
}

// reach returns the handles of the registered devices env reaches, in
// registration order, with Notification Hubs' rules: a native notification
// reaches devices of its platform, a Template notification devices that have a
// template; among those, a broadcast reaches all, a tag expression the devices
// whose tags (implicit ones included) match it, and a direct send the devices
// whose handle it names. For a Template notification it also returns what the
// reached devices' templates expand to. Called with s.mu held.
func (s *Sender) reach(env push.Envelope, to push.Target) ([]string, []Payload) {
	var handles []string
	var payloads []Payload
	var props map[string]string
	for _, d := range s.devices {
		if !eligible(d, env.Platform) || !addressed(d, env, to) {
			continue
		}
		handles = append(handles, d.Handle)
		if env.Platform == push.Template {
			if props == nil {
				props = templateProperties(env.Body)
			}
			payloads = d.expand(payloads, props)
		}
	}
	return handles, payloads
}

// eligible reports whether d receives notifications of platform p at all.
func eligible(d *device, p push.Platform) bool {
	if p == push.Template {
		return len(d.Templates) > 0
	}
	return d.Platform == p
}

// addressed reports whether to addresses d.
func addressed(d *device, env push.Envelope, to push.Target) bool {
	switch to.Kind() {
	case push.TargetBroadcast:
		return true
	case push.TargetTags:
		return to.Expr().MatchFunc(d.has)
	}
	return slices.Contains(env.Devices, d.Handle)
}
