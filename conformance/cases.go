package conformance

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// op is what a case does with the Sender.
type op int

const (
	opSend          op = iota // Send once
	opSchedule                // Schedule once, at start+After
	opCancel                  // Schedule, then Cancel the receipt's ID twice (the second must be ErrNotFound)
	opCancelUnknown           // Cancel an ID the Sender never issued
	opConcurrent              // Send from many goroutines at once
	// The per-device cases, on the first preferred platform whose device
	// lists the Sender reports per handle.
	opResultsInOrder // five handles: five Results, in order, accepted with IDs
	opDuplicates     // a list naming handles twice: one request and Result per handle
	opMixedDead      // five handles, two dead: per-handle results, the error, no retry
	opDeadSingle     // one dead handle: ErrUnregistered, not retried
	opCancelMidList  // a large list cancelled part way: not-attempted handles, no goroutine left
)

// start is the time of the clock every harness gets.
var start = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// testCase is one check: an input, and either a golden Envelope list (in
// testdata/<name>.golden) or the sentinel the Sender must return.
type testCase struct {
	name         string
	explanation  string // what a provider must do, said to the person whose provider fails
	op           op
	notification push.Notification
	target       push.Target
	// devices, when positive, replaces target with that many new device
	// handles of the notification's platform (subscriptions for a browser),
	// made by the harness when it is a DeviceMaker: push.Device (one true)
	// or push.Devices.
	devices int
	one     bool
	// retarget sends the case to one device handle instead, when the Sender
	// delivers the platform to device handles but not to the case's target;
	// the golden's notification is then expected at that handle.
	retarget bool
	after    time.Duration // opSchedule, opCancel: the send is due at start+after
	err      error         // nil: compare with the golden file
}

// must returns n, or panics: the suite's own inputs are valid by construction.
func must(n push.Notification, err error) push.Notification {
	if err != nil {
		panic("conformance: bad case input: " + err.Error())
	}
	return n
}

func notification(p push.Platform, body string, h http.Header) push.Notification {
	return must(push.NewNotification(p, []byte(body), h))
}

const (
	appleBody   = `{"aps":{"alert":{"title":"Breaking","body":"Something happened"},"sound":"default"}}`
	toastBody   = `<toast launch="article=42"><visual><binding template="ToastText01"><text id="1">Breaking</text></binding></visual></toast>`
	mpnsToast   = `<?xml version="1.0" encoding="utf-8"?><wp:Notification xmlns:wp="WPNotification"><wp:Toast><wp:Text1>Breaking</wp:Text1></wp:Toast></wp:Notification>`
	mpnsTile    = `<?xml version="1.0" encoding="utf-8"?><wp:Notification xmlns:wp="WPNotification"><wp:Tile><wp:Count>3</wp:Count></wp:Tile></wp:Notification>`
	seedJSON    = `{"data":{"msg":"Hello!"}}`
	fcmV1Body   = `{"message":{"notification":{"title":"Breaking","body":"Something happened"},"data":{"article":"42"}}}`
	templateKV  = `{"body":"Something happened","title":"Breaking"}`
	browserBody = `{"title":"Breaking","body":"Something happened"}`
)

func apple() push.Notification { return notification(push.Apple, appleBody, nil) }

// handles returns the first n canonical device handles.
func handles(n int) []string {
	hs := make([]string, n)
	for i := range hs {
		hs[i] = canonicalHandle(i + 1)
	}
	return hs
}

// preferred lists the platforms the platform-generic cases (concurrency,
// per-device results) try, in order: the direct providers' first.
func preferred() []push.Platform {
	ps := []push.Platform{push.Apple, push.FCMV1, push.Browser}
	for _, p := range push.Platforms() {
		if p != push.Apple && p != push.FCMV1 && p != push.Browser && p != push.Template {
			ps = append(ps, p)
		}
	}
	return ps
}

// sample returns the notification the platform-generic cases send on p.
func sample(p push.Platform) push.Notification {
	switch p {
	case push.Apple:
		return apple()
	case push.FCMV1:
		return notification(push.FCMV1, fcmV1Body, nil)
	case push.Browser:
		return notification(push.Browser, browserBody, nil)
	case push.Windows:
		return notification(push.Windows, toastBody, nil)
	case push.WindowsPhone:
		return notification(push.WindowsPhone, mpnsToast, nil)
	}
	return notification(p, seedJSON, nil)
}

// cases returns the suite, in the order it runs.
func cases() []testCase {
	var cs []testCase
	cs = append(cs, retargetable(platformCases())...)
	cs = append(cs, retargetable(alertCases())...)
	cs = append(cs, targetCases()...)
	cs = append(cs, retargetable(headerAndSizeCases())...)
	cs = append(cs, invalidCases()...)
	cs = append(cs, testCase{
		name:        "concurrent-sends",
		explanation: "be safe for concurrent use: many goroutines sending at once lose nothing and duplicate nothing",
		op:          opConcurrent, notification: apple(),
	})
	cs = append(cs, scheduleCases()...)
	cs = append(cs, perDeviceCases()...)
	return cs
}

func perDeviceCases() []testCase {
	return []testCase{
		{name: "per-device-results-in-order", op: opResultsInOrder,
			explanation: "return one push.Result per handle in Receipt.Results, in the order of the target's handles, each accepted with the service's message ID, and send each handle exactly once"},
		{name: "per-device-duplicate-handles", op: opDuplicates,
			explanation: "send a handle named twice in a device list once, with one Result, in the order of first appearance"},
		{name: "per-device-mixed-dead", op: opMixedDead,
			explanation: "report each dead handle's push.ErrUnregistered in its Result, the others accepted, return a *push.DevicesError matching push.ErrUnregistered, and never retry a dead handle"},
		{name: "per-device-dead-single", op: opDeadSingle,
			explanation: "return the dead handle's own error, matching push.ErrUnregistered, with its Result, and send it once"},
		{name: "per-device-cancel-mid-list", op: opCancelMidList,
			explanation: "stop a large send when its context ends: the handles it did not send fail with push.ErrNotAttempted and reached no service, every Result is in order, and no goroutine is left behind"},
	}
}

// retargetable marks cases as sendable to one device instead of tags.
func retargetable(cs []testCase) []testCase {
	for i := range cs {
		cs[i].retarget = true
	}
	return cs
}

func platformCases() []testCase {
	why := "render the notification with push.Render and send its Envelope unchanged: format, content type, platform headers and body"
	sports := push.Tags("sports")
	return []testCase{
		{name: "platform-apple", explanation: why, notification: apple(), target: sports},
		{name: "platform-fcmv1", explanation: why, notification: notification(push.FCMV1, fcmV1Body, nil), target: sports},
		{name: "platform-gcm", explanation: why, notification: notification(push.GCM, seedJSON, nil), target: sports}, //lint:ignore SA1019 legacy hubs still send GCM
		{name: "platform-windows-toast", explanation: why + "; X-WNS-Type from the root element", notification: notification(push.Windows, toastBody, nil), target: sports},
		{name: "platform-windows-tile", explanation: why, notification: notification(push.Windows, `<tile><visual><binding template="TileSquare150x150Text04"><text id="1">Hi</text></binding></visual></tile>`, nil), target: sports},
		{name: "platform-windows-badge", explanation: why, notification: notification(push.Windows, `<?xml version="1.0" encoding="utf-8"?><badge value="7"/>`, nil), target: sports},
		{name: "platform-windows-raw", explanation: why + "; raw bytes as application/octet-stream", notification: notification(push.Windows, "\x00raw\xffbytes", http.Header{"X-Wns-Type": {"wns/raw"}}), target: sports},
		{name: "platform-windowsphone-toast", explanation: why + "; MPNS target toast, class 2", notification: notification(push.WindowsPhone, mpnsToast, nil), target: sports},
		{name: "platform-windowsphone-tile", explanation: why + "; MPNS target token, class 1", notification: notification(push.WindowsPhone, mpnsTile, nil), target: sports},
		{name: "platform-windowsphone-raw", explanation: why + "; MPNS class 3, no target", notification: notification(push.WindowsPhone, `<data>42</data>`, nil), target: sports},
		{name: "platform-adm", explanation: why, notification: notification(push.ADM, seedJSON, nil), target: sports},
		{name: "platform-baidu", explanation: why, notification: notification(push.Baidu, seedJSON, nil), target: sports},
		{name: "platform-browser", explanation: why, notification: notification(push.Browser, `{"title":"Breaking","body":"Something happened"}`, nil), target: sports},
		{name: "platform-xiaomi", explanation: why, notification: notification(push.Xiaomi, `{"title":"Breaking","description":"Something happened"}`, nil), target: sports},
		{name: "platform-template", explanation: why + "; the properties as a flat JSON object", notification: notification(push.Template, templateKV, nil), target: sports},
	}
}

func targetCases() []testCase {
	browser := notification(push.Browser, `{"title":"Hi"}`, nil)
	fcm := notification(push.FCMV1, fcmV1Body, nil)
	return []testCase{
		{name: "target-broadcast", explanation: "send with no tag expression and no device handle", notification: apple(), target: push.Broadcast()},
		{name: "target-one-tag", explanation: "send the tag as the Envelope's Tags", notification: apple(), target: push.Tags("sports")},
		{name: "target-several-tags", explanation: `join tags with " || " in the order given`, notification: apple(), target: push.Tags("sports", "politics", "weather")},
		{name: "target-expression", explanation: "send the tag expression as its author wrote it (a provider that translates it must keep its meaning)", notification: apple(), target: push.Expression("(follows_RedSox||follows_Cardinals) && location_Boston && !muted")},
		{name: "target-installation", explanation: "address one installation with the tag $InstallationId:{id}", notification: apple(), target: push.Installation("2b0f0e2c-8d3c-4a55-9d5e-0f4f1c2e9a11")},
		{name: "target-user", explanation: "address a user's installations with the tag $UserId:{id}", notification: apple(), target: push.User("alice@example.com")},
		{name: "target-device", explanation: "send directly to one device handle", notification: apple(), devices: 1, one: true},
		{name: "target-devices", explanation: "send directly to several device handles, in order", notification: apple(), devices: 3},
		{name: "target-devices-over-batch-limit", explanation: "send every handle of a batch larger than one request takes (split requests are read back as one Envelope)", notification: apple(), devices: push.MaxBatchDevices + 1},
		{name: "target-fcmv1-device", explanation: "send an FCM v1 notification directly to one registration token", notification: fcm, devices: 1, one: true},
		{name: "target-fcmv1-devices", explanation: "send an FCM v1 notification directly to several registration tokens", notification: fcm, devices: 3},
		{name: "target-browser-device", explanation: "send a browser notification to a Web Push subscription with its P256DH and Auth keys", notification: browser, devices: 1, one: true},
		{name: "target-browser-devices", explanation: "send a browser notification to several Web Push subscriptions, each with its keys", notification: browser, devices: 3},
	}
}

func headerAndSizeCases() []testCase {
	appleHeaders := http.Header{
		"apns-push-type": {"alert"}, "apns-priority": {"10"}, "apns-expiration": {"1893456000"},
		"apns-collapse-id": {"score"}, "apns-id": {"123e4567-e89b-12d3-a456-426655440000"},
	}
	filler := func(n int) string { return `{"a":"` + strings.Repeat("x", n-8) + `"}` }
	return []testCase{
		{name: "header-apns", explanation: "forward every apns-* header", notification: notification(push.Apple, appleBody, appleHeaders), target: push.Tags("sports")},
		{name: "header-wns", explanation: "forward every X-WNS-* header", notification: notification(push.Windows, toastBody, http.Header{"X-WNS-TTL": {"3600"}, "X-WNS-Cache-Policy": {"no-cache"}, "X-WNS-Tag": {"score"}}), target: push.Tags("sports")},
		{name: "header-mpns-class", explanation: "forward X-NotificationClass as given", notification: notification(push.WindowsPhone, mpnsToast, http.Header{"X-NotificationClass": {"22"}}), target: push.Tags("sports")},
		{name: "size-apple-at-limit", explanation: "accept an Apple body of exactly 4096 bytes", notification: notification(push.Apple, filler(push.MaxAppleBodySize), nil), target: push.Tags("sports")},
		{name: "size-apple-over-limit", explanation: "refuse an Apple body over 4096 bytes before any I/O", notification: push.Notification{Platform: push.Apple, Body: []byte(filler(push.MaxAppleBodySize + 1))}, target: push.Tags("sports"), err: push.ErrPayloadTooLarge},
		{name: "size-wns-raw-over-limit", explanation: "refuse a WNS body over 5 KB before any I/O", notification: push.Notification{Platform: push.Windows, Header: http.Header{"X-Wns-Type": {"wns/raw"}}, Body: make([]byte, push.MaxWindowsBodySize+1)}, target: push.Tags("sports"), err: push.ErrPayloadTooLarge},
		{name: "size-over-64k", explanation: "refuse any body over 64 KB before any I/O", notification: push.Notification{Platform: push.ADM, Body: []byte(filler(push.MaxBodySize + 1))}, target: push.Tags("sports"), err: push.ErrPayloadTooLarge},
	}
}

func invalidCases() []testCase {
	before := "refuse it before any I/O with the core's sentinel: return what push.Render returns"
	template := notification(push.Template, templateKV, nil)
	return []testCase{
		{name: "invalid-json", explanation: before, notification: push.Notification{Platform: push.Apple, Body: []byte(`{"aps":`)}, target: push.Broadcast(), err: push.ErrInvalidNotification},
		{name: "invalid-platform", explanation: before, notification: push.Notification{Platform: "ios", Body: []byte(`{}`)}, target: push.Broadcast(), err: push.ErrInvalidNotification},
		{name: "invalid-wns-without-type", explanation: before, notification: push.Notification{Platform: push.Windows, Body: []byte(`<toast/>`)}, target: push.Broadcast(), err: push.ErrInvalidNotification},
		{name: "invalid-fcmv1-data", explanation: before, notification: push.Notification{Platform: push.FCMV1, Body: []byte(`{"message":{"data":{"n":1}}}`)}, target: push.Broadcast(), err: push.ErrInvalidNotification},
		{name: "invalid-provider-header", explanation: before, notification: push.Notification{Platform: push.Apple, Header: http.Header{"Authorization": {"x"}}, Body: []byte(`{}`)}, target: push.Broadcast(), err: push.ErrInvalidNotification},
		{name: "invalid-zero-target", explanation: before + "; the zero Target is not a broadcast", notification: apple(), target: push.Target{}, err: push.ErrInvalidTarget},
		{name: "invalid-tag", explanation: before, notification: apple(), target: push.Tags("breaking news"), err: push.ErrInvalidTarget},
		{name: "invalid-21-tags", explanation: before, notification: apple(), target: push.Tags(handlesTags(21)...), err: push.ErrInvalidTarget},
		{name: "invalid-7-tag-expression", explanation: before, notification: apple(), target: push.Expression("a && b && c && d && e && f && !g"), err: push.ErrInvalidTarget},
		{name: "invalid-template-to-device", explanation: before, notification: template, target: push.Device(handles(1)[0]), err: push.ErrInvalidTarget},
		{name: "invalid-browser-without-keys", explanation: before, notification: notification(push.Browser, `{"title":"Hi"}`, nil), target: push.Device("https://push.example/1"), err: push.ErrInvalidTarget},
	}
}

func handlesTags(n int) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = fmt.Sprintf("tag%d", i+1)
	}
	return tags
}

func scheduleCases() []testCase {
	why := "schedule with push.RenderAt and the harness clock; the Envelope carries ScheduleTime in UTC, whole seconds"
	return []testCase{
		{name: "schedule-tags", explanation: why, op: opSchedule, notification: apple(), target: push.Tags("sports"), after: time.Hour + 500*time.Millisecond},
		{name: "schedule-broadcast-seven-days", explanation: why + "; exactly 7 days ahead is allowed", op: opSchedule, notification: apple(), target: push.Broadcast(), after: push.MaxScheduleAhead},
		{name: "schedule-then-cancel", explanation: "return a receipt ID that Cancel accepts once; a second Cancel reports ErrNotFound", op: opCancel, notification: apple(), target: push.Tags("sports"), after: time.Hour},
		{name: "schedule-cancel-unknown", explanation: "report ErrNotFound when cancelling an ID it never issued", op: opCancelUnknown, err: push.ErrNotFound},
		{name: "schedule-direct", explanation: "refuse to schedule a direct send before any I/O (Notification Hubs cannot)", op: opSchedule, notification: apple(), target: push.Device(handles(1)[0]), after: time.Hour, err: push.ErrInvalidTarget},
		{name: "schedule-past", explanation: "refuse a schedule time in the past before any I/O", op: opSchedule, notification: apple(), target: push.Broadcast(), after: -time.Minute, err: push.ErrInvalidSchedule},
		{name: "schedule-beyond-seven-days", explanation: "refuse a schedule time more than 7 days ahead before any I/O", op: opSchedule, notification: apple(), target: push.Broadcast(), after: push.MaxScheduleAhead + time.Second, err: push.ErrInvalidSchedule},
		{name: "schedule-invalid-notification", explanation: "refuse a bad notification before any I/O", op: opSchedule, notification: push.Notification{Platform: push.Apple, Body: []byte(`[]`)}, target: push.Broadcast(), after: time.Hour, err: push.ErrInvalidNotification},
	}
}

// alertCases send one portable Alert rendered for every platform.
func alertCases() []testCase {
	badge := 3
	a := push.Alert{
		Title: "Order shipped", Body: "Arriving Tuesday", Badge: &badge, Sound: "default",
		Data: map[string]string{"order": "42"}, Priority: push.PriorityHigh, Expiry: start.Add(24 * time.Hour),
		CollapseKey: "order-42", DeepLink: "myshop://orders/42",
	}
	var cs []testCase
	for _, p := range push.Platforms() {
		cs = append(cs, testCase{
			name:         "alert-" + string(p),
			explanation:  "send the native notification push.Alert renders for " + string(p) + ", unchanged",
			notification: must(a.NotificationAt(p, start)),
			target:       push.Tags("orders"),
		})
	}
	return cs
}
