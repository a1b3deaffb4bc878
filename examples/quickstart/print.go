package main

import (
	"fmt"
	"io"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// heading starts a section of the output.
func heading(out io.Writer, title string) {
	fmt.Fprintf(out, "\n== %s\n", title)
}

// printConnectionString shows what ParseConnectionString made of cs. The key is
// printed through its own formatting, which shows REDACTED whatever the verb.
func printConnectionString(out io.Writer, cs azurenh.ConnectionString) {
	heading(out, "Parse the connection string")
	fmt.Fprintln(out, "  cs, err := azurenh.ParseConnectionString(connectionString)")
	fmt.Fprintf(out, "  endpoint:  %s\n", cs.Endpoint)
	fmt.Fprintf(out, "  key name:  %s\n", cs.KeyName)
	fmt.Fprintf(out, "  key:       %v (%%v, %%+v, %%#v and log records all show REDACTED; string(cs.Key()) reads it)\n", cs.Key())
	fmt.Fprintf(out, "  printed:   %v\n", cs)
}

// printReceipt shows what the hub answered: the IDs, and a test send's outcome
// at each device.
func printReceipt(out io.Writer, r push.Receipt) {
	id := r.ID
	if id == "" {
		id = "none (the Free and Basic tiers return no ID)"
	}
	fmt.Fprintf(out, "  accepted: notification ID %s\n", id)
	if r.Outcome == nil {
		fmt.Fprintln(out, "  (not a test send: no per-device outcome)")
		return
	}
	o := r.Outcome
	fmt.Fprintf(out, "  test send: %d succeeded, %d failed\n", o.Success, o.Failure)
	if len(o.Results) == 0 {
		fmt.Fprintln(out, "    no device matched: the hub holds no registration for this platform and these tags")
	}
	for _, d := range o.Results {
		fmt.Fprintf(out, "    %-8s %-13s %s\n", d.Platform, d.RegistrationID, d.Outcome)
	}
}
