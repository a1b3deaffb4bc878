package azurenh_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// Schedule a notification for later, then cancel it by its ID.
func ExampleClient_Schedule() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, "https://contoso.servicebus.windows.net/myhub/schedulednotifications",
		func(req *http.Request) (*http.Response, error) {
			_, err := time.Parse(time.RFC3339, req.Header.Get("ServiceBusNotification-ScheduleTime"))
			fmt.Println("schedule time is RFC 3339:", err == nil)
			resp := httpmock.NewStringResponse(http.StatusCreated, "")
			resp.Header.Set("Location", "https://contoso.servicebus.windows.net/myhub/schedulednotifications/7340-42?api-version=2020-06")
			return resp, nil
		})
	mock.RegisterResponder(http.MethodDelete, "https://contoso.servicebus.windows.net/myhub/schedulednotifications/7340-42",
		func(req *http.Request) (*http.Response, error) {
			fmt.Println(req.Method, req.URL.Path)
			return httpmock.NewStringResponse(http.StatusOK, ""), nil
		})
	client, err := azurenh.New(exampleConnection, "myhub", azurenh.WithHTTPClient(&http.Client{Transport: mock}))
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := push.AppleNotification(`{"aps":{"alert":"Kick-off in 10 minutes"}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	receipt, err := client.Schedule(ctx, n, push.Tags("sports"), time.Now().Add(2*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := client.Cancel(ctx, receipt.ID); err != nil {
		fmt.Println(err)
	}
	// Output:
	// schedule time is RFC 3339: true
	// DELETE /myhub/schedulednotifications/7340-42
}
