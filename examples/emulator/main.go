// Command emulator runs the Notification Hubs emulator of package nhtest on its
// own, on a loopback address, so that clients in any language can be tried against
// it without an Azure account:
//
//	go run ./examples/emulator -addr 127.0.0.1:8443 -hub myhub
//
// It prints the hub name, three connection strings (full, Listen-only and
// Send-only) and the path of a PEM file holding its certificate, which clients
// must trust (for example NODE_EXTRA_CA_CERTS=path for Node.js, REQUESTS_CA_BUNDLE
// for Python requests, SSL_CERT_FILE for Go and OpenSSL-based tools). Requests are
// logged on standard error, coloured on a terminal (-no-color or NO_COLOR
// turns that off). SIGINT or SIGTERM stops it and removes the file. A hub
// name the service would refuse is refused.
//
// The certificate is the fixed test certificate of net/http/httptest, whose
// private key is public: the emulator is for tests on one machine and refuses to
// listen on anything but a loopback address.
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
	addr, hub, key, cert string
	quiet, noColor       bool
}

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ error }

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8443", "loopback `address` to listen on")
	fs.StringVar(&o.hub, "hub", nhtest.DefaultHub, "`name` of the emulated hub")
	fs.StringVar(&o.key, "key", "", "shared access `key` of the default rules (default: random)")
	fs.StringVar(&o.cert, "cert", filepath.Join(os.TempDir(), "nhtest-emulator.pem"), "`path` of the PEM file to write the certificate to")
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
	if err := nhtest.CheckHubName(o.hub); err != nil {
		return o, usageError{fmt.Errorf("-hub: %w", err)}
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
	s := nhtest.NewServer(nhtest.WithListener(l), nhtest.WithHub(o.hub), nhtest.WithKey(o.key),
		nhtest.WithLogger(newLogger(stderr, o.quiet, !tty.Color(stderr, o.noColor, os.Getenv))))
	defer s.Close()
	if err := os.WriteFile(o.cert, s.CertificatePEM(), 0o644); err != nil {
		return fmt.Errorf("writing the certificate: %w", err)
	}
	defer os.Remove(o.cert)
	printBanner(stdout, s, o.cert)

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

// printBanner prints what a client needs to connect.
func printBanner(w io.Writer, s *nhtest.Server, certPath string) {
	fmt.Fprintf(w, "Notification Hubs emulator on %s\n\n", s.URL())
	fmt.Fprintf(w, "hub:          %s\n", s.Hub())
	fmt.Fprintf(w, "full:         %s\n", s.ConnectionString())
	fmt.Fprintf(w, "listen only:  %s\n", s.ListenConnectionString())
	fmt.Fprintf(w, "send only:    %s\n", s.SendConnectionString())
	fmt.Fprintf(w, "certificate:  %s\n\n", certPath)
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
}
