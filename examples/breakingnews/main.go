// Command breakingnews plays Notification Hubs' "Breaking News" and "Localized
// Breaking News" tutorials end to end on the embedded emulator, with no Azure
// account:
//
//	go run ./examples/breakingnews
//
// Part 1, tags: devices subscribe to news categories (World, Politics,
// Business, Technology, Science, Sports) by carrying them as tags, and the back
// end sends native notifications (apple, fcmv1, windows) to a category or a tag
// expression such as "Politics || Business".
//
// Part 2, localized templates: each device registers a template in its own
// format that shows the news in its user's language ($(News_English),
// $(News_French) or $(News_Mandarin)), tagged with its categories. The back end
// sends one template notification carrying the three translations to a
// category, and every subscribed device gets its own language in its own
// format: the back end no longer needs to know about platforms or languages.
//
// Every send is a test send, so the hub reports which installations it reached;
// the program prints them, and the payload each localized device gets: its
// template filled in by the emulator, as the service would. On a real
// hub the devices register themselves from the app (with a Listen-only access
// policy); here the program plays the apps too, with a Client holding the
// emulator's Listen-only policy and PutInstallation. The output is the
// same on every run except for the emulator's port on the first line, and ends
// with "breakingnews: done".
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
	"os"
	"os/signal"
	"syscall"
	"time"
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
	fs := flag.NewFlagSet("breakingnews", flag.ContinueOnError)
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

// run plays both tutorials and returns the exit code: 0, 1 when a step failed,
// 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "breakingnews:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := playBoth(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "breakingnews:", err)
		return 1
	}
	fmt.Fprintln(stdout, "breakingnews: done")
	return 0
}
