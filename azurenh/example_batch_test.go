package azurenh_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/jarcoal/httpmock"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// A send to more than push.MaxBatchDevices handles takes several batch
// requests; the Receipt has one part per request.
func ExampleClient_Send_batch() {
	var n atomic.Int64
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, "https://contoso.servicebus.windows.net/myhub/messages/$batch",
		func(req *http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(http.StatusCreated, "")
			resp.Header.Set("Location", fmt.Sprintf("https://contoso.servicebus.windows.net/myhub/messages/$batch/%d?api-version=2020-06", 100+n.Add(1)))
			return resp, nil
		})
	client, err := azurenh.New(exampleConnection, "myhub", azurenh.WithHTTPClient(&http.Client{Transport: mock}))
	if err != nil {
		fmt.Println(err)
		return
	}

	handles := make([]string, 2500)
	for i := range handles {
		handles[i] = fmt.Sprintf("fcm-token-%04d", i)
	}
	note, err := push.FCMV1Notification(`{"message":{"notification":{"title":"Hello","body":"world"}}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	receipt, err := client.Send(context.Background(), note, push.Devices(handles...))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, part := range receipt.Parts {
		fmt.Println("part", part.ID)
	}
	// Output:
	// part 101
	// part 102
	// part 103
}
