package azurenh_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// exampleConnection is the connection string of the examples; the key is made up.
const exampleConnection = "Endpoint=sb://contoso.servicebus.windows.net/;" +
	"SharedAccessKeyName=DefaultFullSharedAccessSignature;" +
	"SharedAccessKey=bm90IGEgcmVhbCBrZXksIGp1c3QgYW4gZXhhbXBsZQ=="

// Send an Apple notification to the devices tagged "sports" or "politics". A
// mock transport stands in for the service; a program leaves WithHTTPClient
// out.
func Example() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, "https://contoso.servicebus.windows.net/myhub/messages",
		func(req *http.Request) (*http.Response, error) {
			fmt.Println(req.Method, req.URL)
			fmt.Println("format:", req.Header.Get("ServiceBusNotification-Format"))
			fmt.Println("tags:", req.Header.Get("ServiceBusNotification-Tags"))
			resp := httpmock.NewStringResponse(http.StatusCreated, "")
			resp.Header.Set("Location", "https://contoso.servicebus.windows.net/myhub/messages/5813?api-version=2020-06")
			return resp, nil
		})

	client, err := azurenh.New(exampleConnection, "myhub", azurenh.WithHTTPClient(&http.Client{Transport: mock}))
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := push.AppleNotification(map[string]any{"aps": map[string]any{"alert": "Red Sox 3, Cardinals 2"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	receipt, err := client.Send(context.Background(), n, push.Tags("sports", "politics"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("notification ID:", receipt.ID)
	// Output:
	// POST https://contoso.servicebus.windows.net/myhub/messages?api-version=2020-06
	// format: apple
	// tags: sports || politics
	// notification ID: 5813
}
