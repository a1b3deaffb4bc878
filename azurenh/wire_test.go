package azurenh

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The payloads of the service's Python sample.
const (
	sampleToast = `<toast><visual><binding template="ToastText01"><text id="1">Hello world!</text></binding></visual></toast>`
	sampleMPNS  = `<?xml version="1.0" encoding="utf-8"?><wp:Notification xmlns:wp="WPNotification"><wp:Toast><wp:Text1>Hello</wp:Text1><wp:Text2>world!</wp:Text2></wp:Toast></wp:Notification>`
	sampleData  = `{"data":{"msg":"Hello!"}}`
	sampleTile  = `<tile><visual><binding template="TileMedium"><text hint-style="subtitle">Hello world!</text></binding></visual></tile>`
	appleAlert  = `{"aps":{"alert":{"title":"Score","body":"Red Sox 3, Cardinals 2"},"sound":"default"}}`

	apnsToken = "a591bde2720d89d4086beb6a51b6e58aa30e48b6295fa4e6e4beb5c3d8f3e0c1"
)

// testOutcome is a NotificationOutcome with one device.
const testOutcome = `<NotificationOutcome xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
	`<Success>1</Success><Failure>0</Failure><Results><RegistrationResult><ApplicationPlatform>windows</ApplicationPlatform>` +
	`<PnsHandle>https://db5.notify.windows.com/?token=AwYAAAB</PnsHandle><RegistrationId>7340112823498751234-1</RegistrationId>` +
	`<Outcome>The Notification was successfully sent to the Push Notification System</Outcome></RegistrationResult></Results></NotificationOutcome>`

// wireCase is a call whose requests are compared with testdata/wire/NAME.golden.
type wireCase struct {
	name string
	n    func() (push.Notification, error)
	to   push.Target
	// at, when set, makes the call a Schedule; cancel makes it a Cancel.
	at     time.Time
	cancel string
	test   bool // WithTestSend(true) and a debug logger, whose dump joins the golden file
}

func wireCases() []wireCase {
	windowsToast := func() (push.Notification, error) { return push.WindowsNotification(sampleToast) }
	apple := func() (push.Notification, error) { return push.AppleNotification(appleAlert) }
	return []wireCase{
		// The scenarios of the Python sample.
		{name: "python_windows_toast_broadcast", n: windowsToast, to: push.Broadcast()},
		{name: "python_windows_toast_one_tag", n: windowsToast, to: push.Tags("sports")},
		{name: "python_windows_toast_tags", n: windowsToast, to: push.Tags("sports", "politics")},
		{name: "python_mpns_toast", n: func() (push.Notification, error) { return push.MPNSNotification(sampleMPNS) }, to: push.Broadcast()},
		{name: "python_apple", n: func() (push.Notification, error) { return push.AppleNotification(sampleData) }, to: push.Broadcast()},
		{name: "python_gcm", n: func() (push.Notification, error) { return push.NewNotification("gcm", []byte(sampleData), nil) }, to: push.Broadcast()},
		{name: "python_adm", n: func() (push.Notification, error) { return push.ADMNotification(sampleData) }, to: push.Broadcast()},
		{name: "python_baidu", n: func() (push.Notification, error) { return push.BaiduNotification(sampleData) }, to: push.Broadcast()},
		{name: "python_template", n: func() (push.Notification, error) {
			return push.TemplateNotification(map[string]string{"greeting_en": "Hello", "greeting_fr": "Salut"})
		}, to: push.Broadcast()},
		{name: "python_debug_test_send", n: windowsToast, to: push.Tags("sports"), test: true},
		// The other platforms.
		{name: "apple_expression", n: func() (push.Notification, error) {
			return push.JSONNotification(push.Apple, appleAlert, http.Header{"Apns-Push-Type": {"alert"}, "Apns-Priority": {"10"}})
		}, to: push.Expression("(follows_RedSox || follows_Cardinals) && location_Boston")},
		{name: "fcmv1", n: func() (push.Notification, error) {
			return push.FCMV1Notification(`{"message":{"notification":{"title":"Hello","body":"world!"},"data":{"score":"3-2"}}}`)
		}, to: push.Tags("news")},
		{name: "browser", n: func() (push.Notification, error) {
			return push.BrowserNotification(`{"title":"Hello","body":"world!"}`)
		}, to: push.Tags("web")},
		{name: "xiaomi", n: func() (push.Notification, error) {
			return push.XiaomiNotification(`{"title":"Hello","description":"world!"}`)
		}, to: push.Broadcast()},
		{name: "wns_raw", n: func() (push.Notification, error) { return push.WindowsRawNotification([]byte("score=3-2")) }, to: push.Installation("device-42")},
		{name: "wns_tile", n: func() (push.Notification, error) { return push.WindowsTileNotification(sampleTile) }, to: push.User("alice")},
		{name: "wns_badge", n: func() (push.Notification, error) { return push.WindowsBadgeNotification("7") }, to: push.Broadcast()},
		// Direct, batch and scheduled sends, and cancel.
		{name: "direct", n: apple, to: push.Device(apnsToken)},
		{name: "browser_direct", n: func() (push.Notification, error) {
			return push.BrowserNotification(`{"title":"Hello","body":"world!"}`)
		}, to: push.BrowserDevice(push.BrowserSubscription{
			Endpoint: "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHqjZxM0VImWWqDRN7U0a3AycjUf4O-byuxb_wJsKRaKvV_iKw56s16ekq6FUqoCF7k2nICUpd8fHPxVTgqLunFeVeB9lLCQZyohyAztTH8ZQL9WCxKpA6dvTG_TUIhQUFq_n",
			P256DH:   "BIPUL12DLfytvTajnryr2PRdAgXS3HGKiLqndGcJGabyhHheJYlNGCeXl1dn18gSJ1WAkAPIxr4gK0_dQds4yiI",
			Auth:     "FPssNDTKnInHVndSTdbKFw",
		})},
		{name: "batch", n: apple, to: push.Devices(apnsToken, "b6e58aa30e48b6295fa4e6e4beb5c3d8f3e0c1a591bde2720d89d4086beb6a51", `handle"with\quotes`)},
		{name: "scheduled", n: apple, to: push.Tags("sports"), at: clientStart.Add(90*time.Minute + 500*time.Millisecond)},
		{name: "cancel", cancel: "8765432101234567890-42"},
	}
}

// TestWire pins every request the Client writes, byte for byte: method, URL,
// every header (the Authorization value included, checked again by HMAC math
// written in the test) and body. Each request is also read back with
// nhtest.ReadEnvelope, an independent reader, and compared with push.Render.
func TestWire(t *testing.T) {
	for _, tc := range wireCases() {
		t.Run(tc.name, func(t *testing.T) {
			rec, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
				switch {
				case tc.cancel != "":
					return respond(http.StatusOK, "", map[string]string{"TrackingId": c.header.Get("TrackingId")})
				case tc.test:
					h := createdHeader(n, c)
					h["Content-Type"] = "application/xml; charset=utf-8"
					return respond(http.StatusCreated, testOutcome, h)
				}
				return created(n, c)
			})
			var log bytes.Buffer
			var opts []Option
			if tc.test {
				opts = append(opts, WithTestSend(true), WithLogger(debugLogger(&log)))
			}
			c, clock := newTestClient(t, mock, opts...)

			want, err := tc.call(t, c, clock.Now())
			require.NoError(t, err)

			reqs := rec.requests()
			require.Len(t, reqs, 1)
			checkSAS(t, reqs[0].header.Get("Authorization"), clientStart.Add(tokenLifetime))
			if tc.cancel == "" {
				got, err := nhtest.ReadEnvelope(reqs[0].req)
				require.NoError(t, err)
				assert.Equal(t, normalize(want), normalize(got), "nhtest.ReadEnvelope of the request")
			}
			golden := wireText(reqs)
			if tc.test {
				golden += "\n==== log ====\n" + log.String()
			}
			checkGolden(t, filepath.Join("wire", tc.name+".golden"), golden)
		})
	}
}

// call makes tc's call on c and returns the Envelope it should have sent.
func (tc wireCase) call(t *testing.T, c *Client, now time.Time) (push.Envelope, error) {
	ctx := context.Background()
	if tc.cancel != "" {
		return push.Envelope{}, c.Cancel(ctx, tc.cancel)
	}
	n := must(tc.n())
	if !tc.at.IsZero() {
		want := must(push.RenderAt(n, tc.to, tc.at, now))
		_, err := c.Schedule(ctx, n, tc.to, tc.at)
		return want, err
	}
	want := must(push.Render(n, tc.to))
	_, err := c.Send(ctx, n, tc.to)
	return want, err
}

// normalize makes Envelopes comparable: an empty header is no header.
func normalize(e push.Envelope) push.Envelope {
	if len(e.Header) == 0 {
		e.Header = nil
	}
	return e
}

// wireText renders requests as the golden files hold them: the request line,
// the headers sorted by name (Content-Length included when there is a body), a
// blank line and the body exactly as sent; requests are separated by "----".
func wireText(reqs []captured) string {
	var b strings.Builder
	for i, c := range reqs {
		if i > 0 {
			b.WriteString("\n----\n")
		}
		b.WriteString(c.method + " " + c.url + "\n")
		h := c.header.Clone()
		if c.contentLength > 0 {
			h["Content-Length"] = []string{strconv.FormatInt(c.contentLength, 10)}
		}
		keys := make([]string, 0, len(h))
		for k := range h {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range h[k] {
				b.WriteString(k + ": " + v + "\n")
			}
		}
		b.WriteString("\n")
		b.Write(c.body)
		b.WriteString("\n")
	}
	return b.String()
}

// checkGolden compares got with testdata/name, or rewrites it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -update and review the diff")
	assert.Equal(t, string(want), got, "differs from %s; run go test -update if the change is intended", path)
}

// debugLogger returns a logger enabled at Debug that writes text records
// without times to w.
func debugLogger(w *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// TestWireReceipts checks what Send and Schedule take from the answers the wire
// tests give: the ID from Location, the tracking and correlation IDs.
func TestWireReceipts(t *testing.T) {
	_, mock := newRecorder(nil)
	c, _ := newTestClient(t, mock)
	ctx := context.Background()
	n := must(push.AppleNotification(appleAlert))

	r, err := c.Send(ctx, n, push.Tags("sports"))
	require.NoError(t, err)
	assert.Equal(t, push.Receipt{ID: "1001", TrackingID: "00000000-0000-4000-8000-000000000001", CorrelationID: "corr-1"}, r)

	r, err = c.Send(ctx, n, push.Devices("a", "b"))
	require.NoError(t, err)
	assert.Equal(t, "1002", r.ID, "a batch ID sits under /messages/$batch/ID")

	r, err = c.Schedule(ctx, n, push.Broadcast(), clientStart.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, "1003", r.ID)
}
