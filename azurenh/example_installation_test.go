package azurenh_test

import (
	"encoding/json"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// An iPhone registers as an installation on "apns", with the device token its
// app got from APNs, a user, tags and a template; Client.PutInstallation
// writes it. Sends to the format push.Apple, to push.Installation(ID) or
// push.User(UserID), then reach it. Validate checks it as the service would,
// and the installation platform converts to and from push.Platform.
func ExampleInstallation() {
	platform, _ := azurenh.InstallationPlatformFor(push.Apple)
	in := azurenh.Installation{
		ID:          "iphone-3f9c2a",
		UserID:      "ada",
		Platform:    platform,
		PushChannel: azurenh.HandleChannel("8A0C2E9F1B3D5A7C9E0F2A4C6E8B0D1F3A5C7E9B1D3F5A7C9E1B3D5F7A9C1E3B"),
		Tags:        []string{"sports", "city_Boston"},
		Templates: map[string]azurenh.InstallationTemplate{
			"goal": {Body: `{"aps":{"alert":"$(team) scored!"}}`, Headers: map[string]string{"apns-push-type": "alert"}},
		},
	}
	fmt.Println(in.Validate())
	fmt.Println(in.Platform, in.Platform.PushPlatform(), push.Installation(in.ID), push.User(in.UserID))
	// Output:
	// <nil>
	// apns apple tags($InstallationId:{iphone-3f9c2a}) tags($UserId:{ada})
}

// A browser registers its Web Push subscription, as PushManager.subscribe
// returned it; the push channel is then an object, not a string.
func ExampleBrowserChannel() {
	channel := azurenh.BrowserChannel(push.BrowserSubscription{
		Endpoint: "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91",
		P256DH:   "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA",
		Auth:     "tBHItJI5svbpez7KI4CCXg",
	})
	wire, err := json.Marshal(channel)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(wire))

	in := azurenh.Installation{ID: "browser-7d1e", Platform: azurenh.InstallationBrowser,
		PushChannel: azurenh.HandleChannel(channel.DeviceHandle()), Tags: []string{"news"}}
	fmt.Println(in.Validate())
	// Output:
	// {"endpoint":"https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91","p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA","auth":"tBHItJI5svbpez7KI4CCXg"}
	// azurenh: installation: invalid target: browser push channel must be a Web Push subscription {"endpoint","p256dh","auth"}; use BrowserChannel
}
