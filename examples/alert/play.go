package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/lmittmann/tint"

	"github.com/pushwire/push/examples/internal/tty"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// platforms are the platforms the alert goes to, in the order printed.
func platforms() []push.Platform { return []push.Platform{push.Apple, push.FCMV1, push.Windows} }

// orderShipped is the alert: one message for every platform.
func orderShipped() push.Alert {
	badge := 1
	return push.Alert{
		Title:    "Your order shipped",
		Body:     "Order 1234 is on its way and arrives Thursday.",
		Badge:    &badge,
		Sound:    "default",
		DeepLink: "myshop://orders/1234",
		Data:     map[string]string{"orderId": "1234"},
	}
}

// devices are the installations on the hub: alice's three, and one of bob's.
// The handles are made up.
func devices() []nhtest.Installation {
	return []nhtest.Installation{
		{InstallationID: "alice-iphone", UserID: "alice", Platform: push.Apple,
			PushChannel: nhtest.PushChannel{Handle: "7d0c1f3e5a9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d"}},
		{InstallationID: "alice-pixel", UserID: "alice", Platform: push.FCMV1,
			PushChannel: nhtest.PushChannel{Handle: "fcm-token-alice-pixel"}},
		{InstallationID: "alice-surface", UserID: "alice", Platform: push.Windows,
			PushChannel: nhtest.PushChannel{Handle: "https://db5p.notify.windows.com/?token=alice-surface"}},
		{InstallationID: "bob-iphone", UserID: "bob", Platform: push.Apple,
			PushChannel: nhtest.PushChannel{Handle: "0e2d4c6b8a9f1e3d5c7b9a0f2e4d6c8b0a1f3e5d7c9b1a2f4e6d8c0b2a4f6e8d"}},
	}
}

// play registers the devices on srv, fans the alert out to alice's devices and
// prints the outcome; the error reports any platform that failed.
func play(ctx context.Context, o options, srv *nhtest.Server, out, log io.Writer) error {
	fmt.Fprintf(out, "Using the embedded Notification Hubs emulator at %s\n", srv.URL())
	// On a real hub each app registers its own installation with its user's ID.
	for _, in := range devices() {
		if err := srv.PutInstallation(in); err != nil {
			return fmt.Errorf("registering %s: %w", in.InstallationID, err)
		}
		fmt.Fprintf(out, "  registered %-13s %-6s user %s\n", in.InstallationID, in.Platform, in.UserID)
	}
	client, err := azurenh.New(srv.SendConnectionString(), srv.Hub(), azurenh.WithHTTPClient(srv.Client()),
		azurenh.WithTestSend(true), azurenh.WithLogger(newLogger(o, log)))
	if err != nil {
		return err
	}
	a := orderShipped()
	fmt.Fprintf(out, "\npush.FanOut(ctx, client, alert, push.User(%q), apple, fcmv1, windows)\n", "alice")
	fmt.Fprintf(out, "  alert: %q / %q, badge %d, deep link %s\n", a.Title, a.Body, *a.Badge, a.DeepLink)
	results := push.FanOut(ctx, client, a, push.User("alice"), platforms()...)
	for _, r := range results {
		fmt.Fprintf(out, "  %-8s %s\n", r.Platform, describe(r))
	}
	printBodies(out, srv)
	if err := results.Err(); err != nil {
		return err
	}
	fmt.Fprintf(out, "alert: %d platforms, all accepted\n", len(results))
	return nil
}

// describe says what happened on one platform.
func describe(r push.FanOutResult) string {
	if r.Err != nil {
		return "FAILED: " + r.Err.Error()
	}
	var reached []string
	if o := r.Receipt.Outcome; o != nil {
		for _, d := range o.Results {
			reached = append(reached, d.RegistrationID)
		}
	}
	if len(reached) == 0 {
		return "accepted, reached no device"
	}
	return "accepted, reached " + strings.Join(reached, ", ")
}

// printBodies prints the native body each platform received, in the order of
// platforms (FanOut sends concurrently, so the emulator's order varies).
func printBodies(out io.Writer, srv *nhtest.Server) {
	fmt.Fprintln(out, "\nWhat each platform received (rendered by push.Alert):")
	sends := srv.Sends()
	for _, p := range platforms() {
		for _, s := range sends {
			if s.Envelope.Platform == p {
				fmt.Fprintf(out, "  %-8s %s\n", p, s.Envelope.Body)
			}
		}
	}
	fmt.Fprintln(out)
}

// newLogger returns the request/response log: debug-level tint on w with -v,
// nothing otherwise; coloured only on a terminal, unless -no-color or
// NO_COLOR says not to.
func newLogger(o options, w io.Writer) *slog.Logger {
	if !o.verbose {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(tint.NewTextHandler(w, &tint.Options{Level: slog.LevelDebug, NoColor: !tty.Color(w, o.noColor, os.Getenv)}))
}
