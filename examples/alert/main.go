// Command alert sends one portable push.Alert to a user's iPhone, Android phone
// and Windows PC at once, on the embedded Notification Hubs emulator:
//
//	go run ./examples/alert
//
// The Alert says what to tell the user once (title, body, badge, sound, a deep
// link, data); push.FanOut renders it to each platform's native format (APNs
// JSON, an FCM v1 message, a WNS toast) and sends the three concurrently through
// an azurenh.Client, to push.User("alice"): every installation registered with
// that user ID. It prints one line per platform with its result and which
// installation it reached (test send is on), then the native body each platform
// got, and ends with "alert: 3 platforms, all accepted". A platform that fails
// does not hide behind the others: its line says why and the exit code is 1.
//
// On a real hub, each app registers its installation with the user's ID; here
// the program registers them on the emulator, with one of bob's devices that the
// send must not reach.
//
// Flags: -v logs each request and response on standard error (the Authorization
// header redacted); -no-color keeps that log plain.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pushwire/push/azurenh/nhtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the command-line flags.
type options struct {
	verbose, noColor bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("alert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.verbose, "v", false, "log each request and response on standard error")
	fs.BoolVar(&o.noColor, "no-color", false, "never colour the log")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return o, nil
}

// run sends the alert on a new emulator and returns the exit code: 0, 1 when a
// platform failed, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "alert:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	// The emulator's own log stays quiet: when the program ends, closing it can
	// interrupt a TLS handshake the client started, which net/http/httptest
	// would report on standard error as noise.
	srv := nhtest.NewServer(nhtest.WithLogger(slog.New(slog.DiscardHandler)))
	defer srv.Close()
	if err := play(ctx, o, srv, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "alert:", err)
		return 1
	}
	return 0
}
