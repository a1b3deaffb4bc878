package nhtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// wireRequest builds a client-side request as a client sends it.
func wireRequest(t *testing.T, path, query string, header http.Header, body string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "https://ns.servicebus.windows.net/hub"+path+"?api-version=2020-06"+query, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		r.Header[k] = vs
	}
	r.Header.Set("Authorization", "SharedAccessSignature sr=x&sig=y&se=1&skn=z") // not part of any Envelope
	return r
}

// dump renders an Envelope for a golden file, with the body as text.
func dump(t *testing.T, env push.Envelope) []byte {
	t.Helper()
	b, err := json.MarshalIndent(struct {
		Platform      push.Platform
		ContentType   string
		Header        http.Header
		Body          string
		Tags          string
		Devices       []string
		Subscriptions []push.BrowserSubscription `json:",omitempty"`
		ScheduleTime  time.Time
	}{env.Platform, env.ContentType, env.Header, string(env.Body), env.Tags, env.Devices, env.Subscriptions, env.ScheduleTime}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestReadEnvelope(t *testing.T) {
	jsonCT := http.Header{"Content-Type": {"application/json;charset=utf-8"}}
	with := func(h http.Header, kv ...string) http.Header {
		c := h.Clone()
		for i := 0; i+1 < len(kv); i += 2 {
			c.Add(kv[i], kv[i+1])
		}
		return c
	}
	batchBody := "--B\r\nContent-type: application/json;charset=utf-8\r\nContent-Disposition: inline; name=notification\r\n\r\n" +
		`{"aps":{"alert":"hi"}}` + "\r\n--B\r\nContent-type: application/json\r\nContent-Disposition: inline; name=devices\r\n\r\n" +
		`["t1","t2"]` + "\r\n--B--"
	cases := []struct {
		name   string
		path   string
		query  string
		header http.Header
		body   string
	}{
		{"send", "/messages", "", with(jsonCT, "ServiceBusNotification-Format", "apple", "ServiceBusNotification-Tags", "a || b",
			"apns-push-type", "alert", "apns-priority", "10", "TrackingId", "t", "x-ms-version", "2020-06", "User-Agent", "u"), `{"aps":{"alert":"hi"}}`},
		{"broadcast", "/messages/", "", with(jsonCT, "ServiceBusNotification-Format", "fcmv1"), `{"message":{}}`},
		{"test", "/messages", "&test", with(jsonCT, "ServiceBusNotification-Format", "template", "ServiceBusNotification-Tags", "x"), `{"msg":"hi"}`},
		{"windows", "/messages", "", http.Header{"Content-Type": {"application/xml"}, "Servicebusnotification-Format": {"windows"},
			"X-WNS-Type": {"wns/toast"}, "X-WNS-TTL": {"60"}, "X-WNS-Tag": {"a", "b"}}, `<toast/>`},
		{"windowsphone", "/messages", "", http.Header{"Content-Type": {"application/xml;charset=utf-8"}, "Servicebusnotification-Format": {"windowsphone"},
			"X-WindowsPhone-Target": {"token"}, "X-NotificationClass": {"1"}}, `<wp:Notification xmlns:wp="WPNotification"><wp:Tile/></wp:Notification>`},
		{"direct", "/messages", "&direct", with(jsonCT, "ServiceBusNotification-Format", "apple", "ServiceBusNotification-DeviceHandle", "token"), `{"aps":{}}`},
		{"browser direct", "/messages", "&direct=true", with(jsonCT, "ServiceBusNotification-Format", "browser",
			"ServiceBusNotification-DeviceHandle", "https://push.example/1", "P256DH", "key", "Auth", "secret"), `{"title":"hi"}`},
		{"auth header of a non-browser direct send is ignored", "/messages", "&direct", with(jsonCT, "ServiceBusNotification-Format", "apple",
			"ServiceBusNotification-DeviceHandle", "token", "Auth", "secret"), `{"aps":{}}`},
		{"batch", "/messages/$batch", "&direct", http.Header{"Content-Type": {`multipart/mixed; boundary = "B"`}, "Servicebusnotification-Format": {"apple"},
			"Apns-Priority": {"5"}}, batchBody},
		{"scheduled", "/schedulednotifications", "", with(jsonCT, "ServiceBusNotification-Format", "apple", "ServiceBusNotification-Tags", "news",
			"ServiceBusNotification-ScheduleTime", "2030-01-02T03:04:05.000Z"), `{"aps":{}}`},
		{"scheduled with an offset", "/schedulednotifications/", "", with(jsonCT, "ServiceBusNotification-Format", "apple",
			"ServiceBusNotification-ScheduleTime", "2030-01-02T04:04:05+01:00"), `{"aps":{}}`},
		{"scheduled without a zone", "/schedulednotifications", "", with(jsonCT, "ServiceBusNotification-Format", "apple",
			"ServiceBusNotification-ScheduleTime", "2030-01-02T03:04:05"), `{"aps":{}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := wireRequest(t, c.path, c.query, c.header, c.body)
			env, err := nhtest.ReadEnvelope(r)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "envelope_"+strings.ReplaceAll(c.name, " ", "_"), dump(t, env))
			again, _ := io.ReadAll(r.Body)
			if string(again) != c.body {
				t.Errorf("the body was not restored: %q", again)
			}
		})
	}
}

func TestReadEnvelopeErrors(t *testing.T) {
	cases := []struct {
		name, method, path, query string
		header                    http.Header
		body, want                string
	}{
		{"GET", http.MethodGet, "/messages", "", nil, "", "a send is a POST"},
		{"installation", http.MethodPost, "/installations/x", "", nil, "", "is not a send"},
		{"form-data batch", http.MethodPost, "/messages/$batch", "", http.Header{"Content-Type": {"multipart/form-data; boundary=B"}}, "--B--", "multipart/form-data"},
		{"schedule without a time", http.MethodPost, "/schedulednotifications", "", nil, "", "ScheduleTime header"},
		{"devices not strings", http.MethodPost, "/messages/$batch", "", http.Header{"Content-Type": {"multipart/mixed; boundary=B"}},
			"--B\r\nContent-Disposition: inline; name=devices\r\n\r\n[1]\r\n--B--", "not a JSON array of strings"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.method, "https://ns/hub"+c.path+"?api-version=2020-06"+c.query, strings.NewReader(c.body))
			for k, vs := range c.header {
				r.Header[k] = vs
			}
			_, err := nhtest.ReadEnvelope(r)
			var pe *push.Error
			if !errors.As(err, &pe) || !errors.Is(err, push.ErrInvalidNotification) || !strings.Contains(pe.Detail, c.want) {
				t.Errorf("err = %v, want a push.ErrInvalidNotification about %q", err, c.want)
			}
		})
	}
}

// TestReadEnvelopeInvertsRender writes rendered Envelopes on the wire the way the
// reference describes, and checks that ReadEnvelope gives them back exactly.
func TestReadEnvelopeInvertsRender(t *testing.T) {
	must := func(n push.Notification, err error) push.Notification {
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	apple := must(push.JSONNotification(push.Apple, `{"aps":{"alert":"hi"}}`, http.Header{"Apns-Priority": {"5"}, "Apns-Push-Type": {"alert"}}))
	cases := []struct {
		name string
		n    push.Notification
		to   push.Target
	}{
		{"apple to tags", apple, push.Tags("a", "b")},
		{"apple broadcast", apple, push.Broadcast()},
		{"windows toast", must(push.WindowsNotification(`<toast><visual/></toast>`)), push.Expression("a && !b")},
		{"windows raw", must(push.WindowsRawNotification([]byte{1, 2, 3})), push.Device("https://wns.example/ch")},
		{"mpns tile", must(push.MPNSNotification(`<wp:Notification xmlns:wp="WPNotification"><wp:Tile/></wp:Notification>`)), push.Broadcast()},
		{"template to a user", must(push.TemplateNotification(map[string]string{"m": "hi"})), push.User("alice")},
		{"browser direct", must(push.BrowserNotification(`{"t":"hi"}`)), push.BrowserDevice(push.BrowserSubscription{Endpoint: "https://p/1", P256DH: "k", Auth: "a"})},
		{"apple batch", apple, push.Devices("t1", "t2", "t3")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, err := push.Render(c.n, c.to)
			if err != nil {
				t.Fatal(err)
			}
			got, err := nhtest.ReadEnvelope(onWire(t, want, c.to.Kind()))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ReadEnvelope =\n%s\nwant\n%s", dump(t, got), dump(t, want))
			}
		})
	}
	t.Run("scheduled", func(t *testing.T) {
		want, err := push.RenderAt(apple, push.Tags("news"), start.Add(time.Hour), start)
		if err != nil {
			t.Fatal(err)
		}
		got, err := nhtest.ReadEnvelope(onWire(t, want, push.TargetTags))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ReadEnvelope = %s, %v; want %s", dump(t, got), err, dump(t, want))
		}
	})
}

// onWire writes an Envelope as a Notification Hubs request, as the reference
// describes the wire.
func onWire(t *testing.T, env push.Envelope, kind push.TargetKind) *http.Request {
	t.Helper()
	path, query, body, ct := "/messages", "", env.Body, env.ContentType
	switch {
	case !env.ScheduleTime.IsZero():
		path = "/schedulednotifications"
	case kind == push.TargetDevices:
		path, query, ct = "/messages/$batch", "&direct", `multipart/mixed; boundary="nh-boundary-1"`
		devices, _ := json.Marshal(env.Devices)
		var b bytes.Buffer
		b.WriteString("--nh-boundary-1\r\nContent-Type: " + env.ContentType + "\r\nContent-Disposition: inline; name=notification\r\n\r\n")
		b.Write(env.Body)
		b.WriteString("\r\n--nh-boundary-1\r\nContent-Type: application/json\r\nContent-Disposition: inline; name=devices\r\n\r\n")
		b.Write(devices)
		b.WriteString("\r\n--nh-boundary-1--\r\n")
		body = b.Bytes()
	case kind == push.TargetDevice:
		query = "&direct"
	}
	r := wireRequest(t, path, query, env.Header, string(body))
	r.Header.Set("Content-Type", ct)
	r.Header.Set("ServiceBusNotification-Format", string(env.Platform))
	if env.Tags != "" {
		r.Header.Set("ServiceBusNotification-Tags", env.Tags)
	}
	if kind == push.TargetDevice {
		r.Header.Set("ServiceBusNotification-DeviceHandle", env.Devices[0])
	}
	for _, sub := range env.Subscriptions {
		r.Header.Set("P256DH", sub.P256DH)
		r.Header.Set("Auth", sub.Auth)
	}
	if !env.ScheduleTime.IsZero() {
		r.Header.Set("ServiceBusNotification-ScheduleTime", env.ScheduleTime.Format(time.RFC3339))
	}
	return r
}

// TestReadEnvelopeWithHTTPMock reads requests a client sent through httpmock, as
// the client packages' tests do.
func TestReadEnvelopeWithHTTPMock(t *testing.T) {
	mock := httpmock.NewMockTransport()
	var got []push.Envelope
	mock.RegisterResponder(http.MethodPost, `=~/messages`, func(r *http.Request) (*http.Response, error) {
		env, err := nhtest.ReadEnvelope(r)
		if err != nil {
			return nil, err
		}
		got = append(got, env)
		return httpmock.NewStringResponse(http.StatusCreated, ""), nil
	})
	client := &http.Client{Transport: mock}
	r := wireRequest(t, "/messages", "", http.Header{"Content-Type": {"application/json"}, "ServiceBusNotification-Format": {"adm"}}, `{"data":{}}`)
	resp, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(got) != 1 || got[0].Platform != push.ADM || string(got[0].Body) != `{"data":{}}` || got[0].Header != nil {
		t.Errorf("captured %+v", got)
	}
}
