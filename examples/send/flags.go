package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// The variables that name the hub when the flags do not.
const (
	envConnectionString = "NOTIFICATIONHUB_CONNECTION_STRING"
	envHubName          = "NOTIFICATIONHUB_NAME"
)

// config is what the command line asks for.
type config struct {
	platform     push.Platform
	payload      string // inline body; "" when -file is given
	file         string // path of the body, "-" for standard input
	header       http.Header
	tags         []string
	expr         string
	devices      []string
	subscription *push.BrowserSubscription // -subscription: a browser's Web Push subscription
	at           time.Time                 // zero: send now

	test, dryRun, emulator, verbose, noColor bool

	connectionString, hub string
	emulatorKey           string
	timeout               time.Duration
}

// usageError is a mistake on the command line or in its input (exit code 2).
type usageError string

func (e usageError) Error() string { return string(e) }

func usagef(format string, args ...any) error { return usageError(fmt.Sprintf(format, args...)) }

// listFlag is a repeatable flag whose values may also be comma lists.
type listFlag struct{ values *[]string }

func (l listFlag) String() string {
	if l.values == nil {
		return ""
	}
	return strings.Join(*l.values, ",")
}

func (l listFlag) Set(s string) error {
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l.values = append(*l.values, v)
		}
	}
	return nil
}

// headerFlag is a repeatable "Name: value" flag.
type headerFlag struct{ h http.Header }

func (f headerFlag) String() string { return "" }

func (f headerFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" {
		return fmt.Errorf("want \"Name: value\", got %q", s)
	}
	f.h.Add(name, value)
	return nil
}

// rawFlags holds the flags that need checking before they become a config.
type rawFlags struct {
	platform, at string
}

// parseFlags parses args and checks them; the connection falls back to getenv.
// -h prints the usage and returns flag.ErrHelp; every other error is a
// usageError.
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	c := config{header: http.Header{}, timeout: time.Minute}
	var raw rawFlags
	fs := newFlagSet(&c, &raw, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return c, usagef("unexpected arguments %q; the payload goes in -payload or -file", fs.Args())
	}
	if err := c.finish(raw, getenv); err != nil {
		return c, err
	}
	return c, nil
}

func newFlagSet(c *config, raw *rawFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printUsage(fs) }
	fs.StringVar(&raw.platform, "platform", "", "notification `format`: "+platformNames())
	fs.StringVar(&c.payload, "payload", "", "the notification `body`, inline")
	fs.StringVar(&c.file, "file", "", "read the body from `path` (- for standard input)")
	fs.Var(headerFlag{c.header}, "header", "a platform header, \"`Name: value`\" (repeatable)")
	fs.Var(listFlag{&c.tags}, "tags", "send to devices with any of these `tags` (comma list)")
	fs.StringVar(&c.expr, "expr", "", "send to devices whose tags match this tag `expression`")
	fs.Var(listFlag{&c.devices}, "device", "send to this device `handle` (repeatable or a comma list: a batch send)")
	fs.Func("subscription", "send to this browser's Web Push `subscription`, with -platform browser: the JSON of its "+
		"PushSubscription.toJSON(), {\"endpoint\":...,\"keys\":{\"p256dh\":...,\"auth\":...}}, or @path of a file that holds it", c.setSubscription)
	fs.StringVar(&raw.at, "at", "", "schedule the send for `time` (RFC 3339, e.g. 2030-01-02T15:04:05Z)")
	fs.BoolVar(&c.test, "test", false, "test send: the hub reports what happened at each device (at most 10)")
	fs.BoolVar(&c.dryRun, "dry-run", false, "print the HTTP request instead of sending it")
	fs.StringVar(&c.connectionString, "connection-string", "", "the hub's connection `string` (default $"+envConnectionString+")")
	fs.StringVar(&c.hub, "hub", "", "the hub `name` (default $"+envHubName+", or the connection string's EntityPath)")
	fs.BoolVar(&c.emulator, "emulator", false, "start an embedded emulator with demo devices and send there")
	fs.StringVar(&c.emulatorKey, "emulator-key", "", "shared access `key` of the embedded emulator (default: random; never printed)")
	fs.BoolVar(&c.verbose, "v", false, "with -test, log each request and response on standard error")
	fs.BoolVar(&c.noColor, "no-color", false, "never colour the log")
	fs.DurationVar(&c.timeout, "timeout", c.timeout, "give up after `duration`")
	return fs
}

func printUsage(fs *flag.FlagSet) {
	fmt.Fprintf(fs.Output(), `Usage: send -platform FORMAT (-payload BODY | -file PATH) [-tags a,b | -expr EXPR | -device HANDLE | -subscription JSON] [flags]

Sends one notification through Azure Notification Hubs; with no target, to every
device (a broadcast). The hub comes from -connection-string and -hub, or from
%s and %s; -emulator tries it out locally.

Examples:
  send -emulator -test -platform apple -payload '{"aps":{"alert":"Hello"}}' -tags sports
  send -dry-run -platform windows -file toast.xml -expr 'sports && !politics'
  echo '{"greeting_en":"Hello"}' | send -platform template -file - -tags news
  send -platform browser -payload '{"title":"Hi"}' -subscription @subscription.json

Flags:
`, envConnectionString, envHubName)
	fs.PrintDefaults()
	fmt.Fprintln(fs.Output(), "\nExit codes: 0 sent, 1 refused or unreachable, 2 bad command line or input (nothing sent).")
}

// platformNames lists the formats for the usage text.
func platformNames() string {
	names := make([]string, 0, len(push.Platforms()))
	for _, p := range push.Platforms() {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}

// finish checks the flags together and fills in what comes from elsewhere.
func (c *config) finish(raw rawFlags, getenv func(string) string) error {
	checks := []func() error{
		func() error { return c.setPlatform(raw.platform) },
		c.checkPayload,
		c.checkTarget,
		func() error { return c.setAt(raw.at) },
		c.checkModes,
		func() error { return c.setHub(getenv) },
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c *config) setPlatform(s string) error {
	if s == "" {
		return usagef("-platform is required: one of %s", platformNames())
	}
	p := push.Platform(strings.ToLower(s))
	if !p.Valid() {
		return usagef("-platform %q is not one of %s", s, platformNames())
	}
	c.platform = p
	return nil
}

func (c *config) checkPayload() error {
	switch {
	case c.payload == "" && c.file == "":
		return usagef("give the notification body with -payload BODY or -file PATH (- for standard input)")
	case c.payload != "" && c.file != "":
		return usagef("-payload and -file both give the body; use one")
	}
	return nil
}

func (c *config) checkTarget() error {
	given := 0
	for _, set := range []bool{len(c.tags) > 0, c.expr != "", len(c.devices) > 0, c.subscription != nil} {
		if set {
			given++
		}
	}
	switch {
	case given > 1:
		return usagef("-tags, -expr, -device and -subscription each choose the target; use at most one")
	case c.subscription != nil && c.platform != push.Browser:
		return usagef("-subscription addresses a browser: use it with -platform browser")
	}
	return nil
}

// subscriptionJSON is a Web Push subscription as a browser's
// PushSubscription.toJSON() writes it.
type subscriptionJSON struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256DH string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
}

// setSubscription reads -subscription: the JSON, or @path of a file holding it.
func (c *config) setSubscription(s string) error {
	data := []byte(s)
	if path, ok := strings.CutPrefix(s, "@"); ok {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return err
		}
	}
	var sub subscriptionJSON
	if err := json.Unmarshal(data, &sub); err != nil {
		return fmt.Errorf("want the JSON of a PushSubscription, {\"endpoint\":...,\"keys\":{\"p256dh\":...,\"auth\":...}}: %v", err)
	}
	if sub.Endpoint == "" || sub.Keys.P256DH == "" || sub.Keys.Auth == "" {
		return errors.New("the subscription needs endpoint, keys.p256dh and keys.auth")
	}
	c.subscription = &push.BrowserSubscription{Endpoint: sub.Endpoint, P256DH: sub.Keys.P256DH, Auth: sub.Keys.Auth}
	return nil
}

func (c *config) setAt(s string) error {
	if s == "" {
		return nil
	}
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return usagef("-at %q is not an RFC 3339 time such as 2030-01-02T15:04:05Z", s)
	}
	c.at = at
	return nil
}

func (c *config) checkModes() error {
	switch {
	case c.test && !c.at.IsZero():
		return usagef("-test and -at cannot go together: Notification Hubs does not test scheduled sends")
	case c.test && (len(c.devices) > 0 || c.subscription != nil):
		return usagef("-test goes to tags or a broadcast: Notification Hubs does not test sends to devices (-device, -subscription)")
	case !c.at.IsZero() && (len(c.devices) > 0 || c.subscription != nil):
		return usagef("-at goes to tags or a broadcast: Notification Hubs schedules no sends to devices (-device, -subscription)")
	case c.verbose && !c.test:
		return usagef("-v logs the requests of test sends: add -test (or use -dry-run to see a request)")
	}
	return nil
}

// setHub takes the connection from the flags, else from the environment.
func (c *config) setHub(getenv func(string) string) error {
	flagged := c.connectionString != "" || c.hub != ""
	if c.emulator {
		if flagged {
			return usagef("-emulator starts its own hub: leave out -connection-string and -hub")
		}
		return nil
	}
	if !flagged {
		c.connectionString = strings.TrimSpace(getenv(envConnectionString))
		c.hub = strings.TrimSpace(getenv(envHubName))
	}
	if c.connectionString == "" && c.hub != "" {
		return usagef("a hub name without a connection string: give -connection-string or set %s", envConnectionString)
	}
	if c.connectionString == "" && !c.dryRun {
		return usagef("no hub: give -connection-string and -hub, set %s and %s, or try -emulator", envConnectionString, envHubName)
	}
	return nil
}

// target returns the target the flags choose: a broadcast when none does.
func (c *config) target() push.Target {
	switch {
	case len(c.tags) > 0:
		return push.Tags(c.tags...)
	case c.expr != "":
		return push.Expression(c.expr)
	case len(c.devices) == 1:
		return push.Device(c.devices[0])
	case len(c.devices) > 1:
		return push.Devices(slices.Clone(c.devices)...)
	case c.subscription != nil:
		return push.BrowserDevice(*c.subscription)
	}
	return push.Broadcast()
}
