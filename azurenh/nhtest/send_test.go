package nhtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// tagList returns n tags t1..tn joined by op.
func tagList(n int, op string) string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = fmt.Sprintf("t%d", i+1)
	}
	return strings.Join(tags, op)
}

// jsonOfSize returns an apple payload of exactly n bytes.
func jsonOfSize(n int) []byte {
	const frame = `{"aps":{"alert":""}}`
	return []byte(`{"aps":{"alert":"` + strings.Repeat("x", n-len(frame)) + `"}}`)
}

// send builds a send with a format, content type, extra headers and body.
func send(format, contentType, body string, kv ...string) req {
	h := http.Header{}
	if format != "" {
		h.Set("ServiceBusNotification-Format", format)
	}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return req{path: "/messages", header: h, body: []byte(body)}
}

func withQuery(r req, q string) req {
	r.query = q
	return r
}

const (
	toast = `<toast><visual><binding template="ToastText01"><text id="1">hi</text></binding></visual></toast>`
	ctXML = "application/xml"
	ctJS  = "application/json;charset=utf-8"
)

func TestSendChecks(t *testing.T) {
	e := newEmulator(t)
	big := appleSend("")
	big.body = jsonOfSize(65 << 10)
	limit := appleSend("")
	limit.body = jsonOfSize(64 << 10)
	cases := []struct {
		name   string
		r      req
		status int
		detail string
	}{
		{"apple broadcast", appleSend(""), http.StatusCreated, ""},
		{"20-tag OR", appleSend(tagList(20, " || ")), http.StatusCreated, ""},
		{"21-tag OR", appleSend(tagList(21, " || ")), http.StatusBadRequest, "An invalid tag(s) 't1 || t2"},
		{"6-tag AND", appleSend(tagList(6, " && ")), http.StatusCreated, ""},
		{"7-tag AND", appleSend(tagList(7, " && ")), http.StatusBadRequest, "7 tags, but an expression with && or ! may have at most 6"},
		{"bad tag character", appleSend("sports,news"), http.StatusBadRequest, "Valid tag characters are alphanumeric"},
		{"body of 64 KB", limit, http.StatusCreated, ""},
		{"body of 65 KB", big, http.StatusRequestEntityTooLarge, "larger than the 64 KB"},
		{"windows toast", send("windows", ctXML, toast, "X-WNS-Type", "wns/toast"), http.StatusCreated, ""},
		{"windows without X-WNS-Type", send("windows", ctXML, toast), http.StatusBadRequest, "needs the X-WNS-Type header"},
		{"windows unknown X-WNS-Type", send("windows", ctXML, toast, "X-WNS-Type", "toast"), http.StatusBadRequest, "is not one of wns/toast"},
		{"windows raw", send("windows", "application/octet-stream", "\x00\x01raw", "X-WNS-Type", "wns/raw"), http.StatusCreated, ""},
		{"windows raw as XML", send("windows", ctXML, "raw", "X-WNS-Type", "wns/raw"), http.StatusBadRequest, "does not suit the format 'windows'"},
		{"windows malformed XML", send("windows", ctXML, "<toast>", "X-WNS-Type", "wns/toast"), http.StatusBadRequest, "not well-formed XML"},
		{"windowsphone toast", send("windowsphone", "application/xml;charset=utf-8", `<wp:Notification xmlns:wp="WPNotification"><wp:Toast/></wp:Notification>`, "X-WindowsPhone-Target", "toast", "X-NotificationClass", "2"), http.StatusCreated, ""},
		{"fcmv1", send("fcmv1", ctJS, `{"message":{"notification":{"title":"hi"}}}`), http.StatusCreated, ""},
		{"baidu form-encoded", send("baidu", "application/x-www-form-urlencoded", "msg=hi"), http.StatusCreated, ""},
		{"template", send("template", ctJS, `{"msg":"hi"}`), http.StatusCreated, ""},
		{"template without a format header", send("", ctJS, `{"msg":"hi"}`), http.StatusCreated, ""},
		{"template with a number", send("template", ctJS, `{"count":3}`), http.StatusBadRequest, "values are strings"},
		{"unknown format", send("apns", ctJS, `{}`), http.StatusBadRequest, "Format 'apns' is not supported"},
		{"no content type", send("apple", "", `{}`), http.StatusBadRequest, "no Content-Type"},
		{"apple as XML", send("apple", ctXML, `{}`), http.StatusBadRequest, "does not suit the format 'apple'"},
		{"apple not JSON", send("apple", ctJS, `{"aps":`), http.StatusBadRequest, "not valid JSON"},
		{"empty body", send("apple", ctJS, ""), http.StatusBadRequest, "body is empty"},
		{"direct", withQuery(send("apple", ctJS, `{}`, "ServiceBusNotification-DeviceHandle", "tok"), "direct"), http.StatusCreated, ""},
		{"direct without a handle", withQuery(send("apple", ctJS, `{}`), "direct=true"), http.StatusBadRequest, "needs the ServiceBusNotification-DeviceHandle header"},
		{"direct test send", withQuery(send("apple", ctJS, `{}`, "ServiceBusNotification-DeviceHandle", "tok"), "direct&test"), http.StatusBadRequest, "Test send is not available for direct sends"},
		{"direct template", withQuery(send("template", ctJS, `{"a":"b"}`, "ServiceBusNotification-DeviceHandle", "tok"), "direct"), http.StatusBadRequest, "cannot be sent directly"},
		{"browser direct without keys", withQuery(send("browser", ctJS, `{}`, "ServiceBusNotification-DeviceHandle", "https://push.example/1"), "direct"), http.StatusBadRequest, "P256DH and Auth"},
		{"direct on 2015-01", func() req {
			r := withQuery(send("apple", ctJS, `{}`, "ServiceBusNotification-DeviceHandle", "tok"), "direct")
			r.apiVersion = "2015-01"
			return r
		}(), http.StatusBadRequest, "needs api-version 2015-04"},
		{"test=false is a send", withQuery(appleSend(""), "test=false"), http.StatusCreated, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.do(c.r).expect(t, c.status, c.detail) })
	}
}

func TestSendAnswerAndRecord(t *testing.T) {
	e := newEmulator(t)
	seed(t, e)
	r := appleSend("sports && !(news)")
	r.header.Set("TrackingId", "client-tracking-id")
	r.header.Set("apns-priority", "10")
	resp := e.do(r)
	resp.expect(t, http.StatusCreated, "")
	if got := resp.header.Get("TrackingId"); got != "client-tracking-id" {
		t.Errorf("TrackingId = %q, want the client's", got)
	}
	if resp.header.Get("x-ms-correlation-request-id") == "" {
		t.Error("no x-ms-correlation-request-id")
	}
	sends := e.Sends()
	if len(sends) != 1 {
		t.Fatalf("%d sends recorded, want 1", len(sends))
	}
	got := sends[0]
	wantLocation := e.URL() + "/hub/messages/" + got.ID + "?api-version=2020-06"
	if loc := resp.header.Get("Location"); loc != wantLocation {
		t.Errorf("Location = %q, want %q", loc, wantLocation)
	}
	if got.Kind != nhtest.KindSend || got.TrackingID != "client-tracking-id" || !got.Time.Equal(start) {
		t.Errorf("recorded %+v", got)
	}
	if want := []string{"ios-sports"}; fmt.Sprint(got.Matched) != fmt.Sprint(want) {
		t.Errorf("Matched = %v, want %v", got.Matched, want)
	}
	if got.Envelope.Tags != "sports && !(news)" || got.Envelope.Header.Get("Apns-Priority") != "10" {
		t.Errorf("Envelope = %+v", got.Envelope)
	}
	got.Envelope.Body[0] = 'X' // a copy: the record must not change
	if e.Sends()[0].Envelope.Body[0] != '{' {
		t.Error("Sends returned the emulator's own body")
	}
	e.Reset()
	if len(e.Sends()) != 0 {
		t.Error("Reset kept the sends")
	}
}

// seed puts installations on every platform, with tags.
func seed(t *testing.T, e *emulator) {
	t.Helper()
	for _, in := range []nhtest.Installation{
		{InstallationID: "ios-sports", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "apns-token-1"}, Tags: []string{"sports"}, UserID: "alice"},
		{InstallationID: "ios-news", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "apns-token-2"}, Tags: []string{"sports", "news"}},
		{InstallationID: "android", Platform: push.FCMV1, PushChannel: nhtest.PushChannel{Handle: "fcm-token"}, Tags: []string{"sports"}, UserID: "alice"},
		{InstallationID: "windows", Platform: push.Windows, PushChannel: nhtest.PushChannel{Handle: "https://wns.example/ch"},
			Templates: map[string]nhtest.InstallationTemplate{"t": {Body: "<toast/>", Tags: []string{"templated"}}}},
		{InstallationID: "browser", Platform: push.Browser, PushChannel: nhtest.PushChannel{Handle: "https://push.example/sub", P256DH: "key", Auth: "auth"}},
	} {
		if err := e.PutInstallation(in); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMatching(t *testing.T) {
	e := newEmulator(t)
	seed(t, e)
	cases := []struct {
		name string
		r    req
		want string
	}{
		{"apple broadcast", appleSend(""), "[ios-news ios-sports]"},
		{"apple to a tag", appleSend("news"), "[ios-news]"},
		{"implicit installation tag", appleSend("$InstallationId:{ios-sports}"), "[ios-sports]"},
		{"implicit user tag", appleSend("$UserId:{alice}"), "[ios-sports]"},
		{"fcmv1 to a user", send("fcmv1", ctJS, `{"message":{}}`, "ServiceBusNotification-Tags", "$UserId:{alice}"), "[android]"},
		{"template broadcast", send("template", ctJS, `{"a":"b"}`), "[windows]"},
		{"template to a template tag", send("template", ctJS, `{"a":"b"}`, "ServiceBusNotification-Tags", "templated"), "[windows]"},
		{"template to another tag", send("template", ctJS, `{"a":"b"}`, "ServiceBusNotification-Tags", "sports"), "[]"},
		{"direct by handle", withQuery(send("apple", ctJS, `{}`, "ServiceBusNotification-DeviceHandle", "apns-token-2"), "direct"), "[ios-news]"},
		{"direct to an unknown handle", withQuery(send("apple", ctJS, `{}`, "ServiceBusNotification-DeviceHandle", "nobody"), "direct"), "[]"},
		{"direct handle of another platform", withQuery(send("fcmv1", ctJS, `{}`, "ServiceBusNotification-DeviceHandle", "apns-token-2"), "direct"), "[]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.Reset()
			e.do(c.r).expect(t, http.StatusCreated, "")
			if got := fmt.Sprint(e.Sends()[0].Matched); got != c.want {
				t.Errorf("Matched = %s, want %s", got, c.want)
			}
		})
	}
}

func TestTestSend(t *testing.T) {
	t.Run("no matching device", func(t *testing.T) {
		e := newEmulator(t)
		resp := e.do(withQuery(appleSend("nobody"), "test"))
		resp.expect(t, http.StatusCreated, "")
		if ct := resp.header.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		golden(t, "testsend_none", resp.body)
		if e.Sends()[0].Kind != nhtest.KindTest {
			t.Errorf("kind %q", e.Sends()[0].Kind)
		}
	})
	t.Run("more than ten devices", func(t *testing.T) {
		e := newEmulator(t)
		for i := range 12 {
			in := nhtest.Installation{InstallationID: fmt.Sprintf("device-%02d", i), Platform: push.Apple,
				PushChannel: nhtest.PushChannel{Handle: fmt.Sprintf("token-%02d", i)}, Tags: []string{"news"}}
			if err := e.PutInstallation(in); err != nil {
				t.Fatal(err)
			}
		}
		resp := e.do(withQuery(appleSend("news"), "test=true"))
		resp.expect(t, http.StatusCreated, "")
		golden(t, "testsend_matched", resp.body)
		if n := len(e.Sends()[0].Matched); n != 12 {
			t.Errorf("Matched has %d installations, want all 12", n)
		}
	})
}

func TestBrowserDirectSend(t *testing.T) {
	e := newEmulator(t)
	seed(t, e)
	r := withQuery(send("browser", ctJS, `{"title":"hi"}`, "ServiceBusNotification-DeviceHandle", "https://push.example/sub",
		"P256DH", "key", "Auth", "auth"), "direct=true")
	e.do(r).expect(t, http.StatusCreated, "")
	got := e.Sends()[0]
	if got.Kind != nhtest.KindDirect || fmt.Sprint(got.Envelope.Devices) != "[https://push.example/sub]" ||
		fmt.Sprint(got.Envelope.Subscriptions) != "[{https://push.example/sub key auth}]" || fmt.Sprint(got.Matched) != "[browser]" {
		t.Errorf("recorded %+v", got)
	}
}

// batch builds a batch direct send of handles, in the JS SDK's form.
func batch(contentType string, handles ...string) req {
	devices := `["` + strings.Join(handles, `","`) + `"]`
	body := "--B\r\nContent-type: application/json;charset=utf-8\r\nContent-Disposition: inline; name=notification\r\n\r\n" +
		`{"aps":{"alert":"hi"}}` + "\r\n--B\r\nContent-type: application/json\r\nContent-Disposition: inline; name=devices\r\n\r\n" +
		devices + "\r\n--B--"
	h := http.Header{"Servicebusnotification-Format": {"apple"}, "Content-Type": {contentType}}
	return req{path: "/messages/$batch", query: "direct", header: h, body: []byte(body)}
}

func handles(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("h%d", i)
	}
	return out
}

func TestBatchSend(t *testing.T) {
	e := newEmulator(t)
	mixed := `multipart/mixed; boundary = "B"`
	noDirect := batch(mixed, "a")
	noDirect.query = ""
	cases := []struct {
		name   string
		r      req
		status int
		detail string
	}{
		{"two handles", batch(mixed, "a", "b"), http.StatusCreated, ""},
		{"1000 handles", batch(mixed, handles(1000)...), http.StatusCreated, ""},
		{"1001 handles", batch(mixed, handles(1001)...), http.StatusBadRequest, "1001 device handles; a batch takes at most 1000"},
		{"form-data", batch("multipart/form-data; boundary=B", "a"), http.StatusBadRequest, "multipart/form-data"},
		{"no boundary", batch("multipart/mixed", "a"), http.StatusBadRequest, "no boundary"},
		{"without direct", noDirect, http.StatusBadRequest, "add the direct query parameter"},
		{"as a test send", withQuery(batch(mixed, "a"), "direct&test"), http.StatusBadRequest, "Test send is only available"},
		{"no devices part", func() req {
			r := batch(mixed, "a")
			r.body = r.body[:strings.Index(string(r.body), "--B\r\nContent-type: application/json\r\n")]
			r.body = append(r.body, "--B--"...)
			return r
		}(), http.StatusBadRequest, "no devices part"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.do(c.r).expect(t, c.status, c.detail) })
	}
	t.Run("recorded", func(t *testing.T) {
		e.Reset()
		resp := e.do(batch(mixed, "a", "b"))
		got := e.Sends()[0]
		if got.Kind != nhtest.KindBatch || fmt.Sprint(got.Envelope.Devices) != "[a b]" || string(got.Envelope.Body) != `{"aps":{"alert":"hi"}}` ||
			got.Envelope.ContentType != "application/json;charset=utf-8" {
			t.Errorf("recorded %+v", got)
		}
		if want := e.URL() + "/hub/messages/$batch/" + got.ID + "?api-version=2020-06"; resp.header.Get("Location") != want {
			t.Errorf("Location = %q, want %q", resp.header.Get("Location"), want)
		}
	})
}

func scheduled(at string) req {
	r := appleSend("news")
	r.path = "/schedulednotifications"
	if at != "" {
		r.header.Set("ServiceBusNotification-ScheduleTime", at)
	}
	return r
}

func TestScheduledSend(t *testing.T) {
	e := newEmulator(t)
	cases := []struct {
		name   string
		r      req
		status int
		detail string
	}{
		{"in an hour", scheduled("2030-01-02T04:04:05Z"), http.StatusCreated, ""},
		{"with milliseconds, as JS sends", scheduled("2030-01-02T04:04:05.000Z"), http.StatusCreated, ""},
		{"in exactly 7 days", scheduled(start.Add(push.MaxScheduleAhead).Format(time.RFC3339)), http.StatusCreated, ""},
		{"in 8 days", scheduled("2030-01-10T03:04:05Z"), http.StatusBadRequest, "more than 7 days ahead"},
		{"in the past", scheduled("2030-01-02T03:04:04Z"), http.StatusBadRequest, "in the past"},
		{"no time", scheduled(""), http.StatusBadRequest, "needs the ServiceBusNotification-ScheduleTime header"},
		{"not a time", scheduled("tomorrow"), http.StatusBadRequest, "is not a UTC time"},
		{"direct", withQuery(scheduled("2030-01-02T04:04:05Z"), "direct"), http.StatusBadRequest, "cannot be direct"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.do(c.r).expect(t, c.status, c.detail) })
	}
	t.Run("cancel", func(t *testing.T) {
		e.Reset()
		resp := e.do(scheduled("2030-01-02T04:04:05Z"))
		resp.expect(t, http.StatusCreated, "")
		pending := e.Scheduled()
		if len(pending) != 1 || !pending[0].Envelope.ScheduleTime.Equal(start.Add(time.Hour)) || pending[0].Kind != nhtest.KindScheduled {
			t.Fatalf("Scheduled() = %+v", pending)
		}
		id := pending[0].ID
		if want := e.URL() + "/hub/schedulednotifications/" + id + "?api-version=2020-06"; resp.header.Get("Location") != want {
			t.Errorf("Location = %q, want %q", resp.header.Get("Location"), want)
		}
		cancel := req{method: http.MethodDelete, path: "/schedulednotifications/" + id}
		e.do(cancel).expect(t, http.StatusOK, "")
		if len(e.Scheduled()) != 0 || len(e.Sends()) != 1 {
			t.Errorf("after cancel: %d pending, %d sends; want 0 and 1", len(e.Scheduled()), len(e.Sends()))
		}
		e.do(cancel).expect(t, http.StatusNotFound, "was not found")
	})
}

func TestTiers(t *testing.T) {
	cases := []struct {
		tier               nhtest.Tier
		batch, schedule    int
		location, tierName string
	}{
		{nhtest.TierFree, http.StatusForbidden, http.StatusForbidden, "", "Free"},
		{nhtest.TierBasic, http.StatusCreated, http.StatusForbidden, "", "Basic"},
		{nhtest.TierStandard, http.StatusCreated, http.StatusCreated, "yes", "Standard"},
	}
	for _, c := range cases {
		t.Run(c.tierName, func(t *testing.T) {
			e := newEmulator(t, nhtest.WithTier(c.tier))
			if e.Tier().String() != c.tierName {
				t.Errorf("Tier() = %v", e.Tier())
			}
			resp := e.do(appleSend(""))
			if (resp.header.Get("Location") != "") != (c.location != "") {
				t.Errorf("Location = %q", resp.header.Get("Location"))
			}
			e.do(batch(`multipart/mixed; boundary="B"`, "a")).expect(t, c.batch, "")
			resp = e.do(scheduled("2030-01-02T04:04:05Z"))
			resp.expect(t, c.schedule, "")
			if c.schedule == http.StatusForbidden {
				resp.expect(t, c.schedule, "This operation is not available for your tier.")
				e.do(req{method: http.MethodDelete, path: "/schedulednotifications/x"}).expect(t, http.StatusForbidden, "not available for your tier")
			}
		})
	}
}
