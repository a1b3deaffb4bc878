package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/lmittmann/tint"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
	"github.com/pushwire/push/examples/internal/tty"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// placeholderConnectionString stands in for a hub in a dry run without one.
const placeholderConnectionString = "Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=RULE;SharedAccessKey=placeholder"

// placeholderHub is the hub name of a dry run without a hub.
const placeholderHub = "HUB"

// run sends as args say and returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	c, err := parseFlags(args, e.getenv, e.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return report(e.stderr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return report(e.stderr, send(ctx, c, e))
}

// report prints err, if any, and returns the exit code it calls for.
func report(w io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(w, "send:", err)
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintln(w, "Run send -h for help.")
		return exitUsage
	}
	return exitFailed
}

// send checks the input, connects, sends and prints the result.
func send(ctx context.Context, c config, e env) error {
	n, to, err := prepare(c, e.stdin, time.Now())
	if err != nil {
		return err
	}
	h := openHub(c, e.stderr)
	if h.emulator != nil {
		defer h.emulator.Close()
	}
	client, err := newClient(c, h, e)
	if err != nil {
		return usageError(err.Error())
	}
	r, err := deliver(ctx, client, c, n, to)
	if err != nil {
		return err
	}
	if c.dryRun {
		fmt.Fprintln(e.stderr, "dry run: the request above was not sent")
		return nil
	}
	printResult(e.stdout, c, r)
	if h.emulator != nil {
		printReached(e.stdout, h.emulator)
	}
	return nil
}

// hub is where the notification goes.
type hub struct {
	connectionString, name string
	httpClient             *http.Client // nil: azurenh's own
	emulator               *nhtest.Server
}

// openHub starts the emulator for -emulator (close it when done), or returns
// the hub the flags name, or a placeholder for a dry run without a hub. Notes
// about the choice go to notes.
func openHub(c config, notes io.Writer) hub {
	switch {
	case c.emulator:
		// The emulator's own log stays quiet: when the program ends, closing it can
		// interrupt a TLS handshake the client started, which net/http/httptest
		// would report on standard error as noise.
		srv := nhtest.NewServer(nhtest.WithKey(c.emulatorKey), nhtest.WithLogger(slog.New(slog.DiscardHandler)))
		fmt.Fprintf(notes, "Using the embedded Notification Hubs emulator at %s, hub %q\n", srv.URL(), srv.Hub())
		seedDemo(srv, notes)
		return hub{connectionString: srv.SendConnectionString(), name: srv.Hub(), httpClient: srv.Client(), emulator: srv}
	case c.connectionString == "":
		fmt.Fprintf(notes, "dry run without a hub: the URL shows the placeholder namespace NAMESPACE and hub %s\n", placeholderHub)
		return hub{connectionString: placeholderConnectionString, name: placeholderHub}
	}
	return hub{connectionString: c.connectionString, name: c.hub}
}

// newClient makes the Client: test send as -test says; for a dry run, an HTTP
// client that prints requests instead of sending them, and no retries.
func newClient(c config, h hub, e env) (*azurenh.Client, error) {
	opts := []azurenh.Option{azurenh.WithTestSend(c.test)}
	switch {
	case c.dryRun:
		opts = append(opts, azurenh.WithHTTPClient(&http.Client{Transport: &dryRun{w: e.stdout}}),
			azurenh.WithRetry(push.RetryPolicy{}))
	case h.httpClient != nil:
		opts = append(opts, azurenh.WithHTTPClient(h.httpClient))
	}
	if c.verbose {
		opts = append(opts, azurenh.WithLogger(newLogger(e, c.noColor)))
	}
	return azurenh.New(h.connectionString, h.name, opts...)
}

// deliver sends n to to now, or schedules it for -at.
func deliver(ctx context.Context, s push.Scheduler, c config, n push.Notification, to push.Target) (push.Receipt, error) {
	if c.at.IsZero() {
		return s.Send(ctx, n, to)
	}
	return s.Schedule(ctx, n, to, c.at)
}

// newLogger returns a debug-level tint logger on e.stderr, coloured when it is
// a terminal and neither -no-color nor NO_COLOR says otherwise.
func newLogger(e env, noColor bool) *slog.Logger {
	return slog.New(tint.NewTextHandler(e.stderr, &tint.Options{
		Level:      slog.LevelDebug,
		NoColor:    !tty.Color(e.stderr, noColor, e.getenv),
		TimeFormat: time.TimeOnly,
	}))
}
