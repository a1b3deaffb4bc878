// Command quickstart is the Notification Hubs tutorial "How to use Notification
// Hubs from Python", in Go, runnable in a minute with no Azure account:
//
//	go run ./examples/quickstart
//
// It parses a connection string (the key always prints as REDACTED), registers
// four demo devices, then makes the tutorial's seven sends: a Windows toast to
// every device, an Apple and an FCM v1 alert, a toast to one tag, to several
// tags, an Apple alert to a tag expression, and a template notification. Test
// send is on (the tutorial's debug flag), so each send reports how many devices
// it reached and what happened at each; on the emulator, the template send also
// prints the payload each device's template expanded to.
//
// # Where it sends
//
// With no configuration it starts the embedded Notification Hubs emulator
// (package azurenh/nhtest) on a loopback port, and the first line of output says
// so: "Using the embedded Notification Hubs emulator at https://127.0.0.1:PORT".
// The emulator checks every request the way the service does (signature, claims,
// headers, tag expressions) and answers as it does.
//
// To send to your own hub instead, copy the connection string of an access
// policy with the Send right (Azure portal, your hub, Access Policies) and set
// two variables:
//
//	export NOTIFICATIONHUB_CONNECTION_STRING='Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=...'
//	export NOTIFICATIONHUB_NAME=myhub
//	go run ./examples/quickstart
//
// The first line then reads "Using the Notification Hub myhub at
// https://NAMESPACE.servicebus.windows.net/". NOTIFICATIONHUB_NAME may be left
// out when the connection string ends in ;EntityPath=HUB. On a real hub the demo
// devices are not registered: devices register themselves, from the app, through
// the installations API; the sends reach whatever devices your hub holds (a test
// send reports at most 10 of them).
//
// # Going to production
//
// In your own back end, the tutorial's client comes down to
//
//	client, err := azurenh.New(connectionString, hubName)
//	n, err := push.WindowsNotification(toastXML)
//	receipt, err := client.Send(ctx, n, push.Tags("sports"))
//
// Leave WithTestSend off there: the service throttles test sends to about ten a
// minute and delivers each to at most ten devices. Share one Client across
// goroutines; it signs one token for all of them and keeps connections alive.
//
// # Output and flags
//
// Results go to standard output; the request/response log (the tutorial's
// debug dump, Authorization shown as "SharedAccessSignature REDACTED") goes to
// standard error, in colour when standard error is a terminal and NO_COLOR is
// not set. The last line is "quickstart: 7 sends, all accepted" on success.
//
//	-v             log each request and response (default true; -v=false hides the dump)
//	-no-color      never colour the log
//	-timeout d     give up after d (default 1m)
//	-emulator-key  the shared access key of the embedded emulator (default: random);
//	               it is never printed
//
// The exit code is 0 when every send was accepted, 1 when one failed, and 2 for a
// usage or configuration error.
package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], processEnv())
	stop()
	os.Exit(code)
}

// env is what run takes from the process, so that tests can substitute it.
type env struct {
	getenv func(string) string
	out    io.Writer // results
	log    io.Writer // the request/response log and errors
	// httpClient, when set, replaces the HTTP client a real hub is reached with
	// (tests point it at an emulator that plays the part of a real hub).
	httpClient *http.Client
}

// processEnv returns the environment of the running process.
func processEnv() env {
	return env{getenv: os.Getenv, out: os.Stdout, log: os.Stderr}
}
