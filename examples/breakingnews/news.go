package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/lmittmann/tint"

	"github.com/pushwire/push/examples/internal/tty"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// newsSend is one send of the tutorials.
type newsSend struct {
	build func() (push.Notification, error)
	to    push.Target
	note  string // what it shows, printed after the result; "" for none
}

// categorySends are the native sends of part 1.
func categorySends() []newsSend {
	world := push.APNs{Title: "World", Body: "Summit ends with a joint statement"}
	budget := push.FCMMessage{Display: &push.FCMNotification{Title: "Politics, Business", Body: "Budget passes; markets rally"}}
	budgetToast := push.WNSToast{Lines: []string{"Politics, Business", "Budget passes; markets rally"}}
	chips := push.FCMMessage{Display: &push.FCMNotification{Title: "Technology", Body: "A new chip doubles battery life"}}
	comet := push.APNs{Title: "Science", Body: "A comet is visible tonight"}
	return []newsSend{
		{build: world.Notification, to: push.Tags("World")},
		{build: budget.Notification, to: push.Tags("Politics", "Business")},
		{build: budgetToast.Notification, to: push.Tags("Politics", "Business")},
		{build: chips.Notification, to: push.Expression("(Business || Technology) && !Sports")},
		{build: comet.Notification, to: push.Tags("Science"),
			note: "chloe-surface follows Science, but a native apple send reaches iOS devices only"},
	}
}

// news is the story of part 2, in the three languages of the tutorial.
func news() map[string]string {
	return map[string]string{
		"News_English":  "Polls close in the general election",
		"News_French":   "Les bureaux de vote ferment pour les élections générales",
		"News_Mandarin": "大选投票结束",
	}
}

// localizedSends are the template sends of part 2: one notification carrying
// every language, to a category.
func localizedSends() []newsSend {
	build := func() (push.Notification, error) { return push.TemplateNotification(news()) }
	return []newsSend{
		{build: build, to: push.Tags("World")},
		{build: build, to: push.Tags("Politics")},
		{build: build, to: push.Tags("Sports")},
	}
}

// tutorial is what both parts share: the emulator, the back end's client and
// where to print.
type tutorial struct {
	srv    *nhtest.Server
	client *azurenh.Client // the back end's, with a Send-only policy
	device *azurenh.Client // the apps', with a Listen-only policy
	out    io.Writer
}

// playBoth starts the emulator and plays part 1, then part 2.
func playBoth(ctx context.Context, o options, stdout, stderr io.Writer) error {
	// The emulator's own log stays quiet: when the program ends, closing it can
	// interrupt a TLS handshake the client started, which net/http/httptest
	// would report on standard error as noise.
	srv := nhtest.NewServer(nhtest.WithLogger(slog.New(slog.DiscardHandler)))
	defer srv.Close()
	// The back end holds a Send-only policy; test send reports who each send reached.
	client, err := azurenh.New(srv.SendConnectionString(), srv.Hub(), azurenh.WithHTTPClient(srv.Client()),
		azurenh.WithTestSend(true), azurenh.WithLogger(newLogger(o, stderr)))
	if err != nil {
		return err
	}
	device, err := azurenh.New(srv.ListenConnectionString(), srv.Hub(), azurenh.WithHTTPClient(srv.Client()))
	if err != nil {
		return err
	}
	t := tutorial{srv: srv, client: client, device: device, out: stdout}
	fmt.Fprintf(stdout, "Breaking News on the embedded Notification Hubs emulator at %s\n", srv.URL())
	fmt.Fprintf(stdout, "Categories: %s\n", strings.Join(categories(), ", "))
	if err := t.part1(ctx); err != nil {
		return err
	}
	return t.part2(ctx)
}

// part1 registers the subscribers and sends native news by category.
func (t tutorial) part1(ctx context.Context) error {
	fmt.Fprintln(t.out, "\n== Part 1: Breaking News. Devices follow categories as tags:")
	if err := register(ctx, t.device, subscribers(), t.out); err != nil {
		return err
	}
	fmt.Fprintln(t.out, "Native sends, one per platform, to a category or a tag expression:")
	for _, s := range categorySends() {
		n, reached, err := t.send(ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "  %-7s to %-38s reached %s\n", n.Platform, s.to.Expression(), list(reached))
		if s.note != "" {
			fmt.Fprintf(t.out, "          (%s)\n", s.note)
		}
	}
	return nil
}

// part2 registers the readers and sends one localized template notification
// per category.
func (t tutorial) part2(ctx context.Context) error {
	fmt.Fprintln(t.out, "\n== Part 2: Localized Breaking News. Devices register a template in their language:")
	if err := register(ctx, t.device, readers(), t.out); err != nil {
		return err
	}
	fmt.Fprintln(t.out, "One template send carries News_English, News_French and News_Mandarin:")
	for _, s := range localizedSends() {
		_, reached, err := t.send(ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "  template to %-10s reached %s\n", s.to.Expression(), list(reached))
		sends := t.srv.Sends()
		for _, p := range sends[len(sends)-1].Payloads {
			fmt.Fprintf(t.out, "    %-12s gets %s\n", p.ID, p.Body)
		}
	}
	fmt.Fprintln(t.out, "(The service fills each device's template with the send's properties; the emulator does the same and records each payload.)")
	return nil
}

// send makes one test send and returns the notification and the IDs of the
// installations the hub reported reaching, after checking them against the
// emulator's own record.
func (t tutorial) send(ctx context.Context, s newsSend) (push.Notification, []string, error) {
	n, err := s.build()
	if err != nil {
		return n, nil, err
	}
	r, err := t.client.Send(ctx, n, s.to)
	if err != nil {
		return n, nil, err
	}
	reached := reachedIDs(r.Outcome)
	sends := t.srv.Sends()
	if matched := sends[len(sends)-1].Matched; !slices.Equal(matched, reached) {
		return n, nil, fmt.Errorf("the test send to %s reported %v, the emulator recorded %v", s.to, reached, matched)
	}
	return n, reached, nil
}

// reachedIDs returns the registration IDs of a test send's outcome, sorted.
func reachedIDs(o *push.Outcome) []string {
	if o == nil {
		return nil
	}
	var ids []string
	for _, r := range o.Results {
		ids = append(ids, r.RegistrationID)
	}
	slices.Sort(ids)
	return ids
}

// list prints IDs, or says there are none.
func list(ids []string) string {
	if len(ids) == 0 {
		return "no device"
	}
	return strings.Join(ids, ", ")
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
