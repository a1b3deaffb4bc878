// Package newsroom is a tiny application that publishes breaking news as push
// notifications, and the model of how an application tests its notification
// code without a network, an emulator or an Azure account.
//
// # The application
//
// A Publisher takes a push.Sender: any provider, chosen by main. In production
// that is an *azurenh.Client; in tests, a *memory.Sender. Publish turns a Story
// into one push.Alert and sends it with push.FanOut to the iOS and Android
// devices subscribed to the story's category, which are the devices carrying
// the category as a tag (Notification Hubs' "Breaking News" pattern).
//
//	client, err := azurenh.New(connectionString, hubName)
//	publisher := newsroom.New(client)
//	results, err := publisher.Publish(ctx, newsroom.Story{Category: "Politics", Headline: "..."})
//
// # The pattern for testing it
//
// The tests of this package show the four things a test of notification code
// usually wants, each with package memory or recorder:
//
//   - What was sent: memory.New() records every send as a Delivery holding the
//     rendered push.Envelope (platform, headers, body, tags), exactly what a real
//     provider would put on the wire, because both render with push.Render.
//   - Who would get it: register devices with Sender.Register (alice's iPhone
//     subscribed to Politics, bob's to Sports) and ask Delivery.Reaches; tags and
//     tag expressions are matched with Notification Hubs' rules.
//   - What happens when the push service fails: Sender.FailWhen or FailNext make
//     chosen sends fail with the error a provider would return (a *push.Error of
//     kind push.ErrUnavailable, push.ErrThrottled, ...), so the test can check that
//     the application reports a partial failure rather than hiding it.
//   - A golden file of everything the application sends: wrap the Sender in
//     recorder.New(sender, recorder.WithJSONLines(w)) and keep the lines in
//     testdata/publish.golden.
//
// When what the application sends changes on purpose, regenerate the golden
// file and review the change in the diff:
//
//	go test ./examples/unittest/newsroom -update
//
// Nothing here needs the network: the tests run in milliseconds under go test
// ./..., with -race, in any order.
package newsroom
