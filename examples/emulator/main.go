// Command emulator runs one of the module's service emulators on its own, on a
// loopback address, so that clients in any language can be tried against it
// without an account anywhere:
//
//	go run ./examples/emulator -addr 127.0.0.1:8443 -hub myhub   # Notification Hubs (nhtest)
//	go run ./examples/emulator -service apns                     # APNs (apnstest)
//	go run ./examples/emulator -service fcm                      # FCM HTTP v1 and Google's token endpoint (fcmtest)
//	go run ./examples/emulator -service webpush                  # a Web Push service and browser (webpushtest)
//
// It prints what a client needs: for Notification Hubs the hub name and three
// connection strings (full, Listen-only and Send-only); for APNs the team and
// key IDs, the topic and a .p8 key file; for FCM the project and a service
// account key file whose token_uri points at the emulator; for Web Push how
// to create a subscription (POST /subscribe). For the direct providers it
// also prints the URL that provider.Open takes. Every service writes the path
// of a PEM file holding its certificate, which clients must trust (for
// example NODE_EXTRA_CA_CERTS=path for Node.js, REQUESTS_CA_BUNDLE for Python
// requests, SSL_CERT_FILE for Go and OpenSSL-based tools). Requests are
// logged on standard error, coloured on a terminal (-no-color or NO_COLOR
// turns that off). SIGINT or SIGTERM stops it and removes the files. A hub
// name the service would refuse is refused.
//
// The keys and certificates are throwaway test material (the Notification
// Hubs certificate is net/http/httptest's, whose private key is public): the
// emulator is for tests on one machine and refuses to listen on anything but
// a loopback address.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/lmittmann/tint"

	"github.com/pushwire/push/azurenh/nhtest"
	"github.com/pushwire/push/examples/internal/tty"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp): // -h printed the usage
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	service, addr, hub, key, cert string
	quiet, noColor                bool
}

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ error }

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.service, "service", "azurenh", "the `service` to emulate: azurenh, apns, fcm or webpush")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8443", "loopback `address` to listen on")
	fs.StringVar(&o.hub, "hub", nhtest.DefaultHub, "`name` of the emulated hub")
	fs.StringVar(&o.key, "key", "", "shared access `key` of the default rules (default: random)")
	fs.StringVar(&o.cert, "cert", "", "`path` of the PEM file to write the certificate to (default: SERVICE-emulator.pem in the temporary directory)")
	fs.BoolVar(&o.quiet, "quiet", false, "do not log requests")
	fs.BoolVar(&o.noColor, "no-color", false, "never colour the log")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError{err}
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	if _, ok := services[o.service]; !ok {
		return o, usageError{fmt.Errorf("-service %q: want azurenh, apns, fcm or webpush", o.service)}
	}
	if err := nhtest.CheckHubName(o.hub); err != nil {
		return o, usageError{fmt.Errorf("-hub: %w", err)}
	}
	if o.cert == "" {
		o.cert = filepath.Join(os.TempDir(), o.service+"-emulator.pem")
	}
	return o, nil
}

// run starts the emulator, prints how to reach it and serves until a signal.
func run(args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	l, err := listenLoopback(o.addr)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, o.quiet, !tty.Color(stderr, o.noColor, os.Getenv))
	e, err := services[o.service](l, logger, o)
	if err != nil {
		return err
	}
	defer e.close()
	files := map[string][]byte{o.cert: e.certificate}
	for path, data := range e.files {
		files[path] = data
	}
	for path, data := range files {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		defer os.Remove(path)
	}
	e.banner(stdout, o.cert)
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Fprintln(stderr, "emulator: stopping")
	return nil
}

// listenLoopback listens on addr, which must be a loopback IP address and port.
func listenLoopback(addr string) (net.Listener, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: want a loopback IP address and port such as 127.0.0.1:8443 or [::1]:8443", addr)
	}
	if !ap.Addr().IsLoopback() {
		return nil, errors.New("-addr " + addr + " is not a loopback address; the emulator's certificate and key are public, so it serves on loopback only")
	}
	return net.Listen("tcp", ap.String())
}

// newLogger logs requests at debug level, coloured unless noColor, or
// nothing when quiet.
func newLogger(w io.Writer, quiet, noColor bool) *slog.Logger {
	if quiet {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(tint.NewTextHandler(w, &tint.Options{Level: slog.LevelDebug, TimeFormat: time.TimeOnly, NoColor: noColor}))
}
