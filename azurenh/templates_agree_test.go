package azurenh_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/memory"
)

// templateDevice is one device with templates, registered in both test doubles.
type templateDevice struct {
	handle    string
	platform  azurenh.InstallationPlatform
	native    push.Platform
	tags      []string
	templates map[string]azurenh.InstallationTemplate
}

var templateDevices = []templateDevice{
	{handle: "a591bde2720d89d4", platform: azurenh.InstallationAPNS, native: push.Apple, tags: []string{"weather"},
		templates: map[string]azurenh.InstallationTemplate{
			"alert": {Body: `{"aps":{"alert":{"title":".(title, 12)","body":"$(body)"},"badge":"#(badge)"},"link":"{'app://w/' + %(city)}"}`},
			"quiet": {Body: `{"aps":{"content-available":1},"city":"$(CITY)","temp":"#(temp)"}`},
		}},
	{handle: "fcm-token-1", platform: azurenh.InstallationFCMV1, native: push.FCMV1, tags: []string{"weather"},
		templates: map[string]azurenh.InstallationTemplate{
			"data": {Body: `{"message":{"data":{"title":"$(title, 5)","missing":"$(nothing)","badge":"#(badge)"}}}`},
		}},
	{handle: "https://wns.example/ch/1", platform: azurenh.InstallationWNS, native: push.Windows, tags: []string{"weather"},
		templates: map[string]azurenh.InstallationTemplate{
			"toast": {Body: `<toast launch="{'city=' + %(city)}"><visual><binding template="ToastGeneric"><text>$(title)</text><text>{$(body) + ' (' + $(temp) + ')'}</text></binding></visual></toast>`,
				Headers: map[string]string{"X-WNS-Type": "wns/toast"}},
		}},
}

// The memory Sender and the emulator expand the same templates with the same
// properties into the same payloads, byte for byte: a test written against one
// double sees what the other shows.
func TestTemplatePayloadsAgree(t *testing.T) {
	srv, clock := newEmulated(t)
	manager := emulatedClient(t, srv, srv.ConnectionString(), clock)
	fake := memory.New()
	ctx := context.Background()
	for _, d := range templateDevices {
		require.NoError(t, manager.PutInstallation(ctx, azurenh.Installation{ID: "id-" + d.native.String(), Platform: d.platform,
			PushChannel: azurenh.HandleChannel(d.handle), Tags: d.tags, Templates: d.templates}))
		bodies := make(map[string]string, len(d.templates))
		for name, tmpl := range d.templates {
			bodies[name] = tmpl.Body
		}
		require.NoError(t, fake.Register(memory.Device{Handle: d.handle, Platform: d.native, Tags: d.tags, Templates: bodies}))
	}

	n, err := push.TemplateNotification(map[string]string{
		"title": "Storm warning for the coast", "body": `Winds & "rain" <tonight>`, "badge": "4", "temp": "-2", "city": "São Paulo",
	})
	require.NoError(t, err)
	sender := emulatedClient(t, srv, srv.SendConnectionString(), clock)
	_, err = sender.Send(ctx, n, push.Tags("weather"))
	require.NoError(t, err)
	_, err = fake.Send(ctx, n, push.Tags("weather"))
	require.NoError(t, err)

	emulated := srv.Sends()[0].Payloads
	kept := fake.Deliveries()[0].Payloads
	require.Len(t, emulated, 4)
	require.Len(t, kept, len(emulated))
	for _, p := range emulated {
		body, ok := fake.Deliveries()[0].PayloadFor(p.Handle, p.Template)
		require.True(t, ok, "memory has no payload for %s %s", p.Handle, p.Template)
		assert.Equal(t, string(p.Body), string(body), "%s %s", p.Handle, p.Template)
	}
	apple, _ := fake.Deliveries()[0].PayloadFor("a591bde2720d89d4", "alert")
	assert.Equal(t, `{"aps":{"alert":{"title":"Storm war...","body":"Winds & \"rain\" <tonight>"},"badge":4},"link":"app://w/S%C3%A3o%20Paulo"}`, string(apple))
}
