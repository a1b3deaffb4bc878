package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// printResult prints what the hub answered.
func printResult(w io.Writer, c config, r push.Receipt) {
	id := r.ID
	if id == "" {
		id = "none (the Free and Basic tiers return no ID)"
	}
	switch {
	case !c.at.IsZero():
		fmt.Fprintf(w, "scheduled for %s: notification ID %s\n", c.at.UTC().Format(time.RFC3339), id)
	case len(r.Parts) > 1:
		fmt.Fprintf(w, "accepted in %d batch requests:\n", len(r.Parts))
		for i, p := range r.Parts {
			fmt.Fprintf(w, "  %d: notification ID %s\n", i+1, p.ID)
		}
	default:
		fmt.Fprintf(w, "accepted: notification ID %s\n", id)
	}
	if r.TrackingID != "" {
		fmt.Fprintf(w, "tracking ID: %s\n", r.TrackingID)
	}
	printOutcome(w, r.Outcome)
}

// printOutcome prints a test send's outcome at each device.
func printOutcome(w io.Writer, o *push.Outcome) {
	if o == nil {
		return
	}
	fmt.Fprintf(w, "test send: %d succeeded, %d failed\n", o.Success, o.Failure)
	if len(o.Results) == 0 {
		fmt.Fprintln(w, "  no device matched: the hub holds no registration for this platform and target")
	}
	for _, d := range o.Results {
		fmt.Fprintf(w, "  %-8s %-13s %s\n", d.Platform, d.RegistrationID, d.Outcome)
	}
}

// printReached prints which demo devices the emulator's last send reached.
func printReached(w io.Writer, srv *nhtest.Server) {
	sends := srv.Sends()
	if len(sends) == 0 {
		return
	}
	matched := sends[len(sends)-1].Matched
	if len(matched) == 0 {
		fmt.Fprintln(w, "emulator: the send reached none of the demo devices")
		return
	}
	fmt.Fprintf(w, "emulator: the send reached %s\n", strings.Join(matched, ", "))
}

// demoDevices are the installations -emulator starts with.
func demoDevices() []nhtest.Installation {
	return []nhtest.Installation{
		{InstallationID: "alice-iphone", Platform: push.Apple, Tags: []string{"sports"},
			PushChannel: nhtest.PushChannel{Handle: "a591bde2720d89d4086beaa843f9b061a18b36b48cd0008a1f347a5ad844be95"}},
		{InstallationID: "bob-pixel", Platform: push.FCMV1, Tags: []string{"politics"},
			PushChannel: nhtest.PushChannel{Handle: "fcm-token-bob-pixel"}},
		{InstallationID: "carol-pc", Platform: push.Windows, Tags: []string{"sports", "politics"},
			PushChannel: nhtest.PushChannel{Handle: "https://db5p.notify.windows.com/?token=carol-pc"}},
		{InstallationID: "dana-pc", Platform: push.Windows,
			PushChannel: nhtest.PushChannel{Handle: "https://db5p.notify.windows.com/?token=dana-pc"},
			Templates: map[string]nhtest.InstallationTemplate{"greeting": {
				Body:    `<toast><visual><binding template="ToastText01"><text id="1">$(greeting_en)</text></binding></visual></toast>`,
				Headers: map[string]string{"X-WNS-Type": "wns/toast"},
			}}},
		{InstallationID: "erin-firefox", Platform: push.Browser, Tags: []string{"sports"},
			PushChannel: nhtest.PushChannel{Handle: demoSubscription.Endpoint, P256DH: demoSubscription.P256DH, Auth: demoSubscription.Auth}},
	}
}

// demoSubscription is the Web Push subscription of the demo browser, as
// -subscription takes it: {"endpoint":...,"keys":{"p256dh":...,"auth":...}}.
var demoSubscription = push.BrowserSubscription{
	Endpoint: "https://updates.push.services.mozilla.com/wpush/v2/erin-firefox",
	P256DH:   "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
	Auth:     "tBHItJI5svbpez7KI4CCXg",
}

// seedDemo registers the demo devices on the emulator and lists them.
func seedDemo(srv *nhtest.Server, notes io.Writer) {
	fmt.Fprintln(notes, "Demo devices (on a real hub, devices register themselves):")
	for _, in := range demoDevices() {
		if err := srv.PutInstallation(in); err != nil {
			panic("send: a demo device is invalid: " + err.Error()) // a bug in this file
		}
		what := "tags " + strings.Join(in.Tags, ",")
		if len(in.Templates) > 0 {
			what = "template with $(greeting_en)"
		}
		fmt.Fprintf(notes, "  %-13s %-6s %-28s handle %s\n", in.InstallationID, in.Platform, what, in.PushChannel.Handle)
	}
}
