package azurenh_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/jarcoal/httpmock"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// The debug mode of the service's Python sample: a test send, with a logger
// enabled at Debug, dumps each request and response. The signature never shows.
func ExampleWithLogger() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, "https://contoso.servicebus.windows.net/myhub/messages",
		httpmock.NewStringResponder(http.StatusCreated,
			`<NotificationOutcome><Success>0</Success><Failure>0</Failure><Results/></NotificationOutcome>`))
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // no times, so that the output is stable
			}
			return a
		},
	}))

	client, err := azurenh.New(exampleConnection, "myhub",
		azurenh.WithHTTPClient(&http.Client{Transport: mock}),
		azurenh.WithTestSend(true),
		azurenh.WithLogger(logger),
		azurenh.WithIDs(func() string { return "6f1c1f2e-5d7a-4d6b-9d2c-3b0a1e2f4c5d" }))
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := push.WindowsNotification(`<toast><visual><binding template="ToastText01"><text id="1">Hello world!</text></binding></visual></toast>`)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Send(context.Background(), n, push.Tags("sports")); err != nil {
		fmt.Println(err)
	}
	// Output:
	// level=DEBUG msg="azurenh: request" method=POST url="https://contoso.servicebus.windows.net/myhub/messages?api-version=2020-06&test" header.Authorization="SharedAccessSignature REDACTED" header.Content-Type=application/xml header.Servicebusnotification-Format=windows header.Servicebusnotification-Tags=sports header.Trackingid=6f1c1f2e-5d7a-4d6b-9d2c-3b0a1e2f4c5d header.X-Ms-Version=2020-06 header.X-Wns-Type=wns/toast body="<toast><visual><binding template=\"ToastText01\"><text id=\"1\">Hello world!</text></binding></visual></toast>"
	// level=DEBUG msg="azurenh: response" status=201 body=<NotificationOutcome><Success>0</Success><Failure>0</Failure><Results/></NotificationOutcome>
}
