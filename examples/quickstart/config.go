package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pushwire/push/azurenh"
)

// The variables that point the tutorial at a real hub.
const (
	envConnectionString = "NOTIFICATIONHUB_CONNECTION_STRING"
	envHubName          = "NOTIFICATIONHUB_NAME"
)

// options are the command-line flags.
type options struct {
	verbose     bool
	noColor     bool
	timeout     time.Duration
	emulatorKey string
}

// usageError is an error in the flags or the environment (exit code 2).
type usageError string

func (e usageError) Error() string { return string(e) }

// usagef returns a usageError.
func usagef(format string, args ...any) error {
	return usageError(fmt.Sprintf(format, args...))
}

// parseFlags parses args. -h prints the usage and returns flag.ErrHelp.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{verbose: true, timeout: time.Minute}
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printUsage(fs) }
	fs.BoolVar(&o.verbose, "v", o.verbose, "log each request and response on standard error (-v=false hides them)")
	fs.BoolVar(&o.noColor, "no-color", false, "never colour the log")
	fs.DurationVar(&o.timeout, "timeout", o.timeout, "give up after `duration`")
	fs.StringVar(&o.emulatorKey, "emulator-key", "", "shared access `key` of the embedded emulator (default: random; never printed)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return o, usagef("unexpected arguments %q; quickstart takes only flags", fs.Args())
	}
	if o.timeout <= 0 {
		return o, usagef("-timeout must be positive")
	}
	return o, nil
}

func printUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprintf(w, `Usage: go run ./examples/quickstart [flags]

Runs the Notification Hubs tutorial against the embedded emulator, or against
your hub when %s and %s are set.

Flags:
`, envConnectionString, envHubName)
	fs.PrintDefaults()
}

// hubChoice says where the tutorial sends: the embedded emulator when
// connectionString is "", a real hub otherwise.
type hubChoice struct {
	connectionString string
	hub              string // "" when the connection string's EntityPath names the hub
}

// emulated reports whether the tutorial runs against the embedded emulator.
func (h hubChoice) emulated() bool { return h.connectionString == "" }

// chooseHub reads the environment: neither variable set means the embedded
// emulator; a connection string (with NOTIFICATIONHUB_NAME, or an EntityPath)
// means that hub. Anything else is a usage error that says what to set. The
// error never contains the connection string.
func chooseHub(getenv func(string) string) (hubChoice, error) {
	cs := strings.TrimSpace(getenv(envConnectionString))
	hub := strings.TrimSpace(getenv(envHubName))
	switch {
	case cs == "" && hub == "":
		return hubChoice{}, nil
	case cs == "":
		return hubChoice{}, usagef("%s is set but %s is not: set both to send to your hub, or neither to use the embedded emulator", envHubName, envConnectionString)
	}
	parsed, err := azurenh.ParseConnectionString(cs)
	if err != nil {
		return hubChoice{}, usagef("%s: %v", envConnectionString, err)
	}
	if hub == "" && parsed.EntityPath == "" {
		return hubChoice{}, usagef("%s is not set and the connection string has no EntityPath: set %s to the name of your hub", envHubName, envHubName)
	}
	return hubChoice{connectionString: cs, hub: hub}, nil
}
