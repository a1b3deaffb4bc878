package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/lmittmann/tint"

	"github.com/pushwire/push/examples/internal/tty"

	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	programName = "quickstart"
)

// run runs the tutorial and returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	o, err := parseFlags(args, e.log)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return report(e.log, err)
	}
	choice, err := chooseHub(e.getenv)
	if err != nil {
		return report(e.log, err)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	return report(e.log, tutorial(ctx, o, choice, e))
}

// report prints err, if any, and returns the exit code it calls for.
func report(w io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(w, "%s: %v\n", programName, err)
	var u usageError
	if errors.As(err, &u) {
		return exitUsage
	}
	return exitFailed
}

// hub is where the tutorial sends: a connection string, a hub name and the
// HTTP client that reaches it, and the emulator when there is one.
type hub struct {
	connectionString string
	name             string
	httpClient       *http.Client // nil: azurenh's own
	emulator         *nhtest.Server
}

// openHub starts the emulator when the choice says so. Close the emulator
// when done.
func openHub(choice hubChoice, o options, e env) hub {
	if !choice.emulated() {
		return hub{connectionString: choice.connectionString, name: choice.hub, httpClient: e.httpClient}
	}
	// The emulator's own log stays quiet: when the program ends, closing it can
	// interrupt a TLS handshake the client started, which net/http/httptest
	// would report on standard error as noise.
	srv := nhtest.NewServer(nhtest.WithKey(o.emulatorKey), nhtest.WithLogger(slog.New(slog.DiscardHandler)))
	// A back end needs only the Send right: use the emulator's Send-only rule.
	return hub{connectionString: srv.SendConnectionString(), name: srv.Hub(), httpClient: srv.Client(), emulator: srv}
}

// tutorial prints where it sends, parses the connection string, registers the
// demo devices on the emulator, and makes the sends.
func tutorial(ctx context.Context, o options, choice hubChoice, e env) error {
	h := openHub(choice, o, e)
	if h.emulator != nil {
		defer h.emulator.Close()
	}
	cs, err := azurenh.ParseConnectionString(h.connectionString)
	if err != nil {
		return err
	}
	printBanner(e.out, h, cs)
	printConnectionString(e.out, cs)
	if err := registerDevices(h, e.out); err != nil {
		return err
	}
	client, err := newClient(h, newLogger(e, o))
	if err != nil {
		return err
	}
	accepted, total := sendAll(ctx, client, e.out, h.showPayloads)
	printNextSteps(e.out, h)
	if accepted < total {
		return fmt.Errorf("%d of %d sends accepted", accepted, total)
	}
	fmt.Fprintf(e.out, "%s: %d sends, all accepted\n", programName, total)
	return nil
}

// showPayloads prints, for the emulator's last template send, the payload each
// device's template expanded to: what the service would deliver. A real hub
// does not tell, so it prints nothing there.
func (h hub) showPayloads(out io.Writer) {
	if h.emulator == nil {
		return
	}
	sends := h.emulator.Sends()
	for _, p := range sends[len(sends)-1].Payloads {
		fmt.Fprintf(out, "    %s gets its template %q filled in: %s\n", p.ID, p.Template, p.Body)
	}
}

// printBanner says where the tutorial sends; it is the first line of output.
func printBanner(out io.Writer, h hub, cs azurenh.ConnectionString) {
	if h.emulator != nil {
		fmt.Fprintf(out, "Using the embedded Notification Hubs emulator at %s\n", h.emulator.URL())
		fmt.Fprintf(out, "(set %s and %s to send to your own hub instead)\n", envConnectionString, envHubName)
		return
	}
	name := h.name
	if name == "" {
		name = cs.EntityPath
	}
	fmt.Fprintf(out, "Using the Notification Hub %s at %s\n", name, cs.Endpoint)
}

// registerDevices seeds the emulator, or explains that a real hub's devices
// register themselves.
func registerDevices(h hub, out io.Writer) error {
	if h.emulator != nil {
		return seedEmulator(h.emulator, out)
	}
	heading(out, "Devices")
	fmt.Fprintln(out, "  On a real hub each device registers itself, from the app, through the installations")
	fmt.Fprintln(out, "  API; the sends below reach the devices your hub holds (a test send reports at most 10).")
	return nil
}

// newClient makes the tutorial's client: test send on, logging to logger.
func newClient(h hub, logger *slog.Logger) (*azurenh.Client, error) {
	opts := []azurenh.Option{azurenh.WithTestSend(true), azurenh.WithLogger(logger)}
	if h.httpClient != nil {
		opts = append(opts, azurenh.WithHTTPClient(h.httpClient))
	}
	return azurenh.New(h.connectionString, h.name, opts...)
}

// newLogger returns the logger of the request/response log: tint on e.log, at
// level Debug when -v (the Client dumps requests and responses of test sends
// at that level), without timestamps, so that runs compare line by line.
func newLogger(e env, o options) *slog.Logger {
	level := slog.LevelInfo
	if o.verbose {
		level = slog.LevelDebug
	}
	return slog.New(tint.NewTextHandler(e.log, &tint.Options{
		Level:   level,
		NoColor: !tty.Color(e.log, o.noColor, e.getenv),
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// printNextSteps says how to go from here to production.
func printNextSteps(out io.Writer, h hub) {
	heading(out, "Next steps")
	if h.emulator != nil {
		fmt.Fprintln(out, "  Send to your own hub: copy the connection string of an access policy with the Send")
		fmt.Fprintln(out, "  right (Azure portal > your hub > Access Policies), then run")
		fmt.Fprintf(out, "    %s='Endpoint=sb://...' %s=myhub go run ./examples/quickstart\n", envConnectionString, envHubName)
	}
	fmt.Fprintln(out, "  In your back end: client, err := azurenh.New(connectionString, hubName), shared by all")
	fmt.Fprintln(out, "  goroutines, with test send off (test sends reach at most 10 devices and are throttled).")
	fmt.Fprintln(out, "  More: go run ./examples/breakingnews (tags, localized templates), ./examples/alert")
	fmt.Fprintln(out, "  (one message to every platform), ./examples/send (a command-line sender).")
	fmt.Fprintln(out)
}
