package azurenh_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// Errors are *push.Error values classified by a sentinel: test the kind with
// errors.Is, read the details with errors.As.
func Example_errors() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, "https://contoso.servicebus.windows.net/myhub/schedulednotifications",
		httpmock.NewStringResponder(http.StatusForbidden,
			"<Error><Code>403</Code><Detail>This operation is not available for your tier.</Detail></Error>"))

	client, err := azurenh.New(exampleConnection, "myhub", azurenh.WithHTTPClient(&http.Client{Transport: mock}))
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := push.AppleNotification(`{"aps":{"alert":"Kick-off in one hour"}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	// Bad input is refused before any request.
	_, err = client.Send(ctx, n, push.Expression("sports &&"))
	fmt.Println("invalid target:", errors.Is(err, push.ErrInvalidTarget))

	// The service's refusal.
	_, err = client.Schedule(ctx, n, push.Tags("sports"), time.Now().Add(time.Hour))
	switch {
	case errors.Is(err, push.ErrThrottled), errors.Is(err, push.ErrUnavailable):
		fmt.Println("try again later")
	case errors.Is(err, push.ErrForbidden):
		var e *push.Error
		errors.As(err, &e)
		fmt.Println("forbidden:", e.Op, e.StatusCode)
	}
	// Output:
	// invalid target: true
	// forbidden: azurenh: schedule 403
}
