// Command direct sends one push.Alert to a user's iPhones, Android phone and
// browser at once, straight to each platform's push service: APNs, FCM and
// Web Push, each on its embedded emulator, so no account is needed anywhere:
//
//	go run ./examples/direct
//
// A push.Router sends each platform through its own provider (apns, fcm,
// webpush), and push.FanOutTo gives each platform its own device handles.
// The program prints one line per device with what its push service said,
// then what the browser's service worker decrypted, and deletes from its
// device store the token of an app that was uninstalled (APNs answered 410
// Unregistered), as an app must. It ends with "direct: 4 devices, 3
// accepted, 1 unregistered and deleted".
//
// On real services, each client is made the same way with real credentials:
// a .p8 key for apns, a service account for fcm, a VAPID key pair for
// webpush (see their packages' documentation and provider.Open's URLs).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pushwire/push"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run sends the alert on new emulators and returns the exit code: 0, 1 when a
// send failed in a way the program does not handle, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("direct", flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		return 2
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "direct: unexpected arguments %q\n", fs.Args())
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	services, err := startServices(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "direct:", err)
		return 1
	}
	defer services.close()
	if err := play(ctx, services, stdout); err != nil {
		fmt.Fprintln(stderr, "direct:", err)
		return 1
	}
	return 0
}

// play sends the alert to the user's devices through a router and reports,
// device by device, deleting what the services say is dead.
func play(ctx context.Context, s *services, out io.Writer) error {
	router, err := push.NewRouter(map[push.Platform]push.Sender{
		push.Apple:   s.apns,
		push.FCMV1:   s.fcm,
		push.Browser: s.webpush,
	}, nil)
	if err != nil {
		return err
	}
	store := s.store
	fmt.Fprintf(out, "Sending to alice's devices through %s\n", router.Capabilities().Provider)
	alert := push.Alert{Title: "Order shipped", Body: "Arriving Tuesday", DeepLink: "https://example.com/orders/42",
		Data: map[string]string{"order": "42"}}
	results := push.FanOutTo(ctx, router, alert,
		push.Destination{Platform: push.Apple, Target: push.Devices(store.tokens(push.Apple)...)},
		push.Destination{Platform: push.FCMV1, Target: push.Devices(store.tokens(push.FCMV1)...)},
		push.Destination{Platform: push.Browser, Target: push.BrowserDevices(store.subscriptions()...)})
	accepted, dead := 0, 0
	var other error
	for _, platform := range results {
		for _, r := range platform.Receipt.Results {
			name := store.name(r.Handle)
			switch {
			case r.Accepted():
				accepted++
				fmt.Fprintf(out, "  %-8s %-14s accepted\n", platform.Platform, name)
			case r.Unregistered():
				dead++
				fmt.Fprintf(out, "  %-8s %-14s unregistered since %s: deleting its token\n", platform.Platform, name, r.UnregisteredAt.UTC().Format(time.RFC3339))
				store.delete(r.Handle)
			default:
				other = errors.Join(other, fmt.Errorf("%s: %w", name, r.Err))
				fmt.Fprintf(out, "  %-8s %-14s failed: %v\n", platform.Platform, name, r.Err)
			}
		}
		if len(platform.Receipt.Results) == 0 && platform.Err != nil {
			other = errors.Join(other, platform.Err)
		}
	}
	for _, m := range s.browser.Delivered(s.firefox.Endpoint) {
		fmt.Fprintf(out, "  alice-firefox's service worker decrypted %s\n", m.Plaintext)
	}
	fmt.Fprintf(out, "Device store: %d devices left\n", store.len())
	if other != nil {
		return other
	}
	fmt.Fprintf(out, "direct: %d devices, %d accepted, %d unregistered and deleted\n", accepted+dead, accepted, dead)
	return nil
}
