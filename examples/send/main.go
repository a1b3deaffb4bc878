// Command send sends one notification through Azure Notification Hubs from the
// command line, or shows the HTTP request it would send.
//
//	go run ./examples/send -emulator -test -platform apple -payload '{"aps":{"alert":"Hello"}}' -tags sports
//	go run ./examples/send -dry-run -platform windows -file toast.xml -expr 'sports && !politics'
//	echo '{"greeting_en":"Hello"}' | go run ./examples/send -platform template -file - -tags news
//	go run ./examples/send -platform fcmv1 -file msg.json -device TOKEN1,TOKEN2 -device TOKEN3
//	go run ./examples/send -platform apple -file alert.json -tags news -at 2030-01-02T15:04:05Z
//
// # What it sends
//
// -platform names the format (apple, fcmv1, windows, windowsphone, adm, baidu,
// browser, xiaomi, template; gcm for old hubs). The body comes from -payload, or
// from -file (- for standard input); -header adds platform headers such as
// "apns-priority: 5" or "X-WNS-TTL: 60". The body is checked as package push
// checks it (JSON shape, the WNS type from the XML root element, size limits)
// before anything is sent.
//
// The target is at most one of -tags a,b (any of the tags), -expr (a tag
// expression such as "sports && !politics") and -device (a device handle;
// repeat it or give a comma list for a batch send); none sends to every device
// (a broadcast). -at schedules the send (RFC 3339, at most 7 days ahead; the
// Standard tier). -test makes a test send: the hub answers with what happened at
// each device it tried (at most 10); with -v it also logs each request and
// response, the Authorization header redacted.
//
// # Where it sends
//
// The hub comes from -connection-string and -hub, or from the variables
// NOTIFICATIONHUB_CONNECTION_STRING and NOTIFICATIONHUB_NAME (the hub name may
// instead be the connection string's EntityPath). -emulator starts the
// embedded Notification Hubs emulator (package azurenh/nhtest) with a few demo
// devices instead, for a try-out without an Azure account.
//
// -dry-run prints the request (method, URL, headers with the Authorization
// redacted, body) that the send would make, and sends nothing: the request is
// built by the same azurenh.Client, whose HTTP transport prints it and answers
// 201 without any network. Without a hub it uses a placeholder namespace.
//
// # Exit codes
//
// 0: sent (or printed). 1: the hub refused the notification or could not be
// reached. 2: the command line, the payload or the target is wrong; nothing was
// sent.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// env is what run takes from the process, so that tests can substitute it.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer // the request of a dry run, and the result
	stderr io.Writer // notes, the request/response log and errors
}
