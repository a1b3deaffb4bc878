package push_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pushwire/push"
)

func TestTargetKinds(t *testing.T) {
	s := push.KindsOf(push.TargetTags, push.TargetDevice, 0, 99)
	assert.True(t, s.Has(push.TargetTags))
	assert.True(t, s.Has(push.TargetDevice))
	assert.False(t, s.Has(push.TargetBroadcast))
	assert.False(t, s.Has(0))
	assert.False(t, s.Has(200))
	assert.Equal(t, []push.TargetKind{push.TargetTags, push.TargetDevice}, s.Kinds())
	assert.Equal(t, "tags, device", s.String())
	assert.Equal(t, "none", push.TargetKinds(0).String())
	assert.Equal(t, "broadcast, tags, device, devices", push.AllTargets.String())
	assert.Equal(t, push.AllTargets, push.HubTargets|push.DeviceTargets)
}

func TestCheckSend(t *testing.T) {
	apns := push.DirectCapabilities("apns", push.Apple)
	assert.NoError(t, apns.CheckSend("apns: send", push.Apple, push.TargetDevice))
	assert.NoError(t, apns.CheckSend("apns: send", push.Apple, push.TargetDevices))
	assert.NoError(t, apns.CheckSend("apns: send", "ios", push.TargetTags), "Render reports an invalid platform")
	assert.NoError(t, apns.CheckSend("apns: send", push.Apple, 0), "Render reports the zero Target")
	assert.NoError(t, apns.CheckSend("apns: send", push.Template, push.TargetDevice), "Render refuses a template to a device, whatever the Sender")

	err := apns.CheckSend("apns: send", push.Apple, push.TargetTags)
	assert.ErrorIs(t, err, push.ErrUnsupported)
	assert.EqualError(t, err, "apns: send: not supported by this sender: apns delivers apple notifications to device, devices, not to tags; it delivers apple to device, devices")
	err = apns.CheckSend("apns: send", push.Windows, push.TargetDevice)
	assert.EqualError(t, err, "apns: send: not supported by this sender: apns does not deliver windows notifications; it delivers apple to device, devices")

	hub := push.Capabilities{Provider: "hub", Platforms: map[push.Platform]push.Support{
		push.Apple: {Targets: push.AllTargets}, push.Windows: {Targets: push.AllTargets}, push.Template: {Targets: push.HubTargets},
	}}
	err = hub.CheckSend("hub: send", push.Browser, push.TargetTags)
	assert.ErrorContains(t, err, "it delivers apple, windows to broadcast, tags, device, devices; template to broadcast, tags", "platforms with the same kinds are listed together")
	assert.ErrorContains(t, push.Capabilities{}.CheckSend("x", push.Apple, push.TargetTags), "this sender does not deliver apple notifications; it delivers nothing")
}

func TestCheckSchedule(t *testing.T) {
	c := push.Capabilities{Provider: "hub", Platforms: map[push.Platform]push.Support{
		push.Apple: {Targets: push.HubTargets, Schedule: true}, push.Browser: {Targets: push.DeviceTargets},
	}}
	assert.NoError(t, c.CheckSchedule("hub: schedule", push.Apple))
	assert.NoError(t, c.CheckSchedule("hub: schedule", "ios"))
	assert.EqualError(t, c.CheckSchedule("hub: schedule", push.Browser),
		"hub: schedule: not supported by this sender: hub cannot schedule browser notifications, only apple; it delivers apple to broadcast, tags; browser to device, devices")
	assert.True(t, c.CanSchedule())
	direct := push.DirectCapabilities("fcm", push.FCMV1)
	assert.False(t, direct.CanSchedule())
	assert.ErrorContains(t, direct.CheckSchedule("fcm: schedule", push.FCMV1), "fcm cannot schedule notifications")
}

func TestDirectCapabilities(t *testing.T) {
	c := push.DirectCapabilities("webpush", push.Browser, push.Template)
	assert.Equal(t, "webpush", c.Provider)
	assert.Equal(t, map[push.Platform]push.Support{push.Browser: {Targets: push.DeviceTargets, PerDevice: true, BatchSize: 1}}, c.Platforms,
		"a template never goes to a device")
	assert.True(t, c.Delivers(push.Browser, push.TargetDevices))
	assert.False(t, c.Delivers(push.Browser, push.TargetTags))
	assert.Equal(t, "webpush: browser to device, devices", c.String())
	clone := c.Clone()
	clone.Platforms[push.Apple] = push.Support{}
	assert.NotContains(t, c.Platforms, push.Apple, "Clone copies the map")
}

type capable struct{ nopSender }

func (capable) Capabilities() push.Capabilities { return push.DirectCapabilities("x", push.Apple) }

func TestCapabilitiesOf(t *testing.T) {
	_, ok := push.CapabilitiesOf(nopSender{})
	assert.False(t, ok)
	c, ok := push.CapabilitiesOf(capable{})
	assert.True(t, ok)
	assert.Equal(t, "x", c.Provider)
}
