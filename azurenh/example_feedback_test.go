package azurenh_test

import (
	"fmt"
	"strings"

	"github.com/pushwire/push/azurenh"
)

// A feedback blob lists failed deliveries. Devices whose handle is dead can be
// deleted; a refreshed handle replaces the old one.
func ExampleParsePnsFeedback() {
	blob := strings.NewReader(`<?xml version="1.0" encoding="utf-16"?>
<PnsFeedback xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect">
  <FeedbackTime>2031-07-27T20:47:10Z</FeedbackTime><NotificationSystemError>ExpiredChannel</NotificationSystemError>
  <Platform>windows</Platform><PnsHandle>https://db5p.notify.windows.com/?token=AwY</PnsHandle><InstallationId>kitchen-tablet</InstallationId>
</PnsFeedback>
<?xml version="1.0" encoding="utf-16"?>
<PnsFeedback xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect">
  <FeedbackTime>2031-07-27T20:47:11Z</FeedbackTime><NotificationSystemError>RefreshToken</NotificationSystemError>
  <Platform>fcmv1</Platform><PnsHandle>old-token</PnsHandle><NewPnsHandle>new-token</NewPnsHandle><InstallationId>pixel-42</InstallationId>
</PnsFeedback>`)
	for fb, err := range azurenh.ParsePnsFeedback(blob) {
		if err != nil {
			fmt.Println(err)
			return
		}
		switch {
		case fb.NotificationSystemError.DeadHandle():
			fmt.Println("delete installation", fb.InstallationID, "because of", fb.NotificationSystemError)
		case fb.NewPnsHandle != "":
			fmt.Println("set the push channel of", fb.InstallationID, "to", fb.NewPnsHandle)
		}
	}
	// Output:
	// delete installation kitchen-tablet because of ExpiredChannel
	// set the push channel of pixel-42 to new-token
}
