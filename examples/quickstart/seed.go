package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// greetingTemplate is the template dana-pc registers: the tutorial's
// client-side template, a toast that shows the greeting_en property.
const greetingTemplate = `<toast><visual><binding template="ToastText01"><text id="1">$(greeting_en)</text></binding></visual></toast>`

// demoInstallations are the devices the tutorial registers on the emulator, so
// that its test sends report real matches. The handles are made up.
func demoInstallations() []nhtest.Installation {
	return []nhtest.Installation{
		{
			InstallationID: "alice-iphone", Platform: push.Apple, Tags: []string{"sports"},
			PushChannel: nhtest.PushChannel{Handle: "a591bde2720d89d4086beaa843f9b061a18b36b48cd0008a1f347a5ad844be95"},
		},
		{
			InstallationID: "bob-pixel", Platform: push.FCMV1, Tags: []string{"politics"},
			PushChannel: nhtest.PushChannel{Handle: "fcm-token-bob-pixel-8c3f1e2d"},
		},
		{
			InstallationID: "carol-pc", Platform: push.Windows, Tags: []string{"sports", "politics"},
			PushChannel: nhtest.PushChannel{Handle: "https://db5p.notify.windows.com/?token=carol-pc-channel"},
		},
		{
			InstallationID: "dana-pc", Platform: push.Windows,
			PushChannel: nhtest.PushChannel{Handle: "https://db5p.notify.windows.com/?token=dana-pc-channel"},
			Templates: map[string]nhtest.InstallationTemplate{
				"greeting": {Body: greetingTemplate, Headers: map[string]string{"X-WNS-Type": "wns/toast"}},
			},
		},
	}
}

// seedEmulator registers the demo devices on the emulator and lists them.
func seedEmulator(srv *nhtest.Server, out io.Writer) error {
	heading(out, "Register devices")
	fmt.Fprintln(out, "  On a real hub each device registers itself, from the app, through the")
	fmt.Fprintln(out, "  installations API. Here the emulator is seeded with four:")
	for _, in := range demoInstallations() {
		if err := srv.PutInstallation(in); err != nil {
			return fmt.Errorf("seeding the emulator with %s: %w", in.InstallationID, err)
		}
		fmt.Fprintf(out, "    %-13s %-6s %s\n", in.InstallationID, in.Platform, describeInstallation(in))
	}
	return nil
}

// describeInstallation says what a demo installation answers to.
func describeInstallation(in nhtest.Installation) string {
	if len(in.Templates) > 0 {
		return "template greeting: " + greetingTemplate
	}
	return "tags: " + strings.Join(in.Tags, ", ")
}
