package azurenh_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// A test send reports what happened at each device it reached (at most 10).
func ExampleWithTestSend() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, "https://contoso.servicebus.windows.net/myhub/messages",
		func(req *http.Request) (*http.Response, error) {
			fmt.Println("query:", req.URL.RawQuery)
			return httpmock.NewStringResponse(http.StatusCreated,
				`<NotificationOutcome xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">`+
					`<Success>1</Success><Failure>0</Failure><Results><RegistrationResult>`+
					`<ApplicationPlatform>apple</ApplicationPlatform><PnsHandle>a591bde2720d89d4</PnsHandle>`+
					`<RegistrationId>8245720143918464121-1</RegistrationId>`+
					`<Outcome>The Notification was successfully sent to the Push Notification System</Outcome>`+
					`</RegistrationResult></Results></NotificationOutcome>`), nil
		})

	client, err := azurenh.New(exampleConnection, "myhub",
		azurenh.WithHTTPClient(&http.Client{Transport: mock}), azurenh.WithTestSend(true))
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := push.AppleNotification(`{"aps":{"alert":"Hello!"}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	receipt, err := client.Send(context.Background(), n, push.Tags("beta-testers"))
	if err != nil {
		fmt.Println(err)
		return
	}
	o := receipt.Outcome
	fmt.Printf("success %d, failure %d\n", o.Success, o.Failure)
	for _, r := range o.Results {
		fmt.Printf("%s %s: %s\n", r.Platform, r.Handle, r.Outcome)
	}
	// Output:
	// query: api-version=2020-06&test
	// success 1, failure 0
	// apple a591bde2720d89d4: The Notification was successfully sent to the Push Notification System
}
