package nhtest_test

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// TestXMLTextAsTheServiceWritesIt checks that quotes, line feeds and tabs in
// the text of an answer are written as they are, as the service's writer
// does, not as the numeric references the JavaScript SDK would show
// literally; what must stay escaped stays escaped.
func TestXMLTextAsTheServiceWritesIt(t *testing.T) {
	e := newEmulator(t)
	resp := e.do(appleSend(`it's "a b"`))
	resp.expect(t, http.StatusBadRequest, `An invalid tag(s) 'it's "a b"' was supplied`)
	body := string(resp.body)
	for _, ref := range []string{"&#34;", "&#39;", "&#xA;", "&#x9;"} {
		if strings.Contains(body, ref) {
			t.Errorf("the answer writes %s: %s", ref, body)
		}
	}

	tmpl := "{\"aps\":{\"alert\":\"$(m)\"},\"x\":\"a & 'b' <y>\"}\n\t"
	resp = e.do(regWrite(http.MethodPost, "/registrations", entry("AppleTemplateRegistrationDescription",
		"<DeviceToken>AB</DeviceToken><BodyTemplate>"+xmlText(tmpl)+"</BodyTemplate>")))
	resp.expect(t, http.StatusCreated, "")
	if got := readEntry(t, resp.body).Content.Desc.BodyTemplate; got != tmpl {
		t.Errorf("BodyTemplate %q reads back as %q", tmpl, got)
	}
	if strings.Contains(string(resp.body), "&#34;") {
		t.Errorf("the answer writes &#34;: %s", resp.body)
	}
	if !strings.Contains(string(resp.body), "&amp;") || !strings.Contains(string(resp.body), "&lt;y&gt;") {
		t.Errorf("'&', '<' and '>' must stay escaped: %s", resp.body)
	}
}

// xmlText escapes s as XML character data, with no numeric reference.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// TestTokenAudienceIsTheEmulatorsOwn checks the audience against the
// emulator's endpoint, not against a Host header the client chose.
func TestTokenAudienceIsTheEmulatorsOwn(t *testing.T) {
	e := newEmulator(t)
	var key string
	for _, r := range e.Rules() {
		if r.Name == nhtest.FullRuleName {
			key = r.Key
		}
	}
	r := appleSend("a")
	r.auth = sign("https://elsewhere.example/", nhtest.FullRuleName, key, start.Add(time.Hour))
	hr := e.newRequest(r)
	hr.Host = "elsewhere.example"
	resp, err := e.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a token for another namespace, with a Host header to match, got %d; want 401", resp.StatusCode)
	}
	e.do(appleSend("a")).expect(t, http.StatusCreated, "")
}

// TestFaultsTakeOnlySignedRequests checks that a request that fails
// authentication neither gets nor uses up an injected fault.
func TestFaultsTakeOnlySignedRequests(t *testing.T) {
	e := newEmulator(t)
	e.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: http.StatusServiceUnavailable, Times: 1})
	unsigned := appleSend("a")
	unsigned.auth = "-"
	e.do(unsigned).expect(t, http.StatusUnauthorized, "MissingToken")
	badSig := appleSend("a")
	badSig.auth = sign(e.URL()+"/", nhtest.FullRuleName, "not-the-key", start.Add(time.Hour))
	e.do(badSig).expect(t, http.StatusUnauthorized, "InvalidSignature")
	e.do(appleSend("a")).expect(t, http.StatusServiceUnavailable, "injected")
	e.do(appleSend("a")).expect(t, http.StatusCreated, "")
}

// TestInvalidUTF8HandlesAreRefused checks every place a handle comes in.
func TestInvalidUTF8HandlesAreRefused(t *testing.T) {
	e := newEmulator(t)
	direct := appleSend("")
	direct.query = "direct"
	direct.header.Set("ServiceBusNotification-DeviceHandle", "ab\xffcd")
	e.do(direct).expect(t, http.StatusBadRequest, "not valid UTF-8")

	body := "--B\r\nContent-Type: application/json\r\nContent-Disposition: inline; name=notification\r\n\r\n{\"aps\":{}}\r\n" +
		"--B\r\nContent-Type: application/json\r\nContent-Disposition: inline; name=devices\r\n\r\n[\"ok\",\"a\xffb\"]\r\n--B--"
	batch := req{path: "/messages/$batch", query: "direct", body: []byte(body), header: http.Header{
		"Servicebusnotification-Format": {"apple"}, "Content-Type": {`multipart/mixed; boundary="B"`}}}
	e.do(batch).expect(t, http.StatusBadRequest, "not valid UTF-8")

	put := req{method: http.MethodPut, path: "/installations/i1", header: http.Header{"Content-Type": {"application/json"}},
		body: []byte(`{"installationId":"i1","platform":"apns","pushChannel":"ab` + "\xff" + `"}`)}
	e.do(put).expect(t, http.StatusBadRequest, "not valid UTF-8")
	if err := e.PutInstallation(nhtest.Installation{InstallationID: "i2", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "\xff"}}); err == nil {
		t.Error("PutInstallation took a handle that is not UTF-8")
	}
}

// TestListRegistrationsByBrowserChannel lists a browser's registrations the
// way the JavaScript SDK 2.1.0 does: Endpoint, P256DH and Auth together.
func TestListRegistrationsByBrowserChannel(t *testing.T) {
	e := newEmulator(t)
	const endpoint = "https://push.example/send/a?b=c"
	e.do(regWrite(http.MethodPost, "/registrations", entry("BrowserRegistrationDescription",
		"<Endpoint>"+xmlText(endpoint)+"</Endpoint><P256DH>BNcR-k_1</P256DH><Auth>tBHI</Auth>"))).expect(t, http.StatusCreated, "")
	list := func(p256dh, auth string) int {
		filter := "Endpoint eq '" + url.QueryEscape(endpoint) + "' and P256DH eq '" + p256dh + "' and Auth eq '" + auth + "'"
		resp := e.do(req{method: http.MethodGet, path: "/registrations", query: url.Values{"$filter": {filter}}.Encode(), rule: nhtest.ListenRuleName})
		resp.expect(t, http.StatusOK, "")
		return strings.Count(string(resp.body), "<entry")
	}
	if n := list("BNcR-k_1", "tBHI"); n != 1 {
		t.Errorf("the SDK's filter finds %d registrations, want 1", n)
	}
	if n := list("BNcR-k_1", "other"); n != 0 {
		t.Errorf("another Auth finds %d registrations, want 0", n)
	}
}

// TestReadEnvelopeIsBounded checks that ReadEnvelope stops reading a body
// longer than any send.
func TestReadEnvelopeIsBounded(t *testing.T) {
	body := &countingReader{left: 256 << 20}
	r, err := http.NewRequest(http.MethodPost, "https://ns/hub/messages?api-version=2020-06", body)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("ServiceBusNotification-Format", "apple")
	_, err = nhtest.ReadEnvelope(r)
	if !errors.Is(err, push.ErrPayloadTooLarge) {
		t.Fatalf("ReadEnvelope of a 256 MiB body: %v; want push.ErrPayloadTooLarge", err)
	}
	if body.read > nhtest.MaxSendBody+1 {
		t.Errorf("ReadEnvelope read %d bytes; at most %d", body.read, nhtest.MaxSendBody+1)
	}
}

// countingReader reads left bytes of 'x', counting them.
type countingReader struct{ left, read int }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), c.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	c.left -= n
	c.read += n
	return n, nil
}

// TestSendLimit checks that a Server made WithSendLimit keeps the last sends
// and the last pending scheduled sends, and forgets older ones.
func TestSendLimit(t *testing.T) {
	e := newEmulator(t, nhtest.WithSendLimit(3))
	var ids []string
	for i := range 5 {
		r := appleSend("")
		r.path = "/schedulednotifications"
		r.header.Set("ServiceBusNotification-ScheduleTime", start.Add(time.Duration(i+1)*time.Hour).Format(time.RFC3339))
		resp := e.do(r)
		resp.expect(t, http.StatusCreated, "")
		loc := resp.header.Get("Location")
		ids = append(ids, loc[strings.LastIndexByte(loc, '/')+1:strings.IndexByte(loc, '?')])
	}
	if n, m := len(e.Sends()), len(e.Scheduled()); n != 3 || m != 3 {
		t.Fatalf("%d sends and %d scheduled kept, want 3 and 3", n, m)
	}
	if got := e.Sends()[0].ID; got != ids[2] {
		t.Errorf("the oldest kept is %s, want %s", got, ids[2])
	}
	e.do(req{method: http.MethodDelete, path: "/schedulednotifications/" + ids[0]}).expect(t, http.StatusNotFound, "")
	e.do(req{method: http.MethodDelete, path: "/schedulednotifications/" + ids[4]}).expect(t, http.StatusOK, "")
	e.do(req{method: http.MethodGet, path: "/messages/" + ids[0]}).expect(t, http.StatusNotFound, "")
}

func TestCheckHubName(t *testing.T) {
	for _, name := range []string{"", ".", "..", "-a", "a-", "a/b", "a b", "é", strings.Repeat("a", 261)} {
		if nhtest.CheckHubName(name) == nil {
			t.Errorf("CheckHubName(%q) accepted it", name)
		}
	}
	for _, name := range []string{"a", "my.hub-2_x", strings.Repeat("a", 260)} {
		if err := nhtest.CheckHubName(name); err != nil {
			t.Errorf("CheckHubName(%q): %v", name, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("NewServer(WithHub(\"..\")) did not panic")
		}
	}()
	nhtest.NewServer(nhtest.WithHub("..")).Close()
}

// TestUnregisteredHandleGivesFeedback checks that a handle the push service
// declared dead shows in the feedback container, and on its installation,
// after a send reaches it, while the send itself is accepted as the service
// accepts it.
func TestUnregisteredHandleGivesFeedback(t *testing.T) {
	e := newEmulator(t)
	if err := e.PutInstallation(nhtest.Installation{InstallationID: "gone", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "dead1"}, Tags: []string{"news"}}); err != nil {
		t.Fatal(err)
	}
	e.Unregister("dead1")
	e.Unregister("dead2")
	e.do(appleSend("news")).expect(t, http.StatusCreated, "")
	direct := appleSend("")
	direct.query = "direct"
	direct.header.Set("ServiceBusNotification-DeviceHandle", "dead2")
	e.do(direct).expect(t, http.StatusCreated, "")

	in, _ := e.Installation("gone")
	if !in.PushChannelExpired {
		t.Error("the installation of a dead handle does not read back as expired")
	}
	blob := e.get(t, withPath(e.FeedbackContainerURL(), start.UTC().Format("01022006"), ""))
	blob.expect(t, http.StatusOK, "")
	recs := readFeedback(t, blob.body)
	if len(recs) != 2 || recs[0].PnsHandle != "dead1" || recs[0].InstallationID != "gone" || recs[0].NotificationSystemError != "InvalidToken" ||
		recs[1].PnsHandle != "dead2" || recs[1].InstallationID != "" {
		t.Errorf("feedback %+v", recs)
	}
}

// TestInstallationPlatformOnTheWire checks that an installation's platform
// is the service's name on the wire, in any case, and the send format in the
// emulator's API.
func TestInstallationPlatformOnTheWire(t *testing.T) {
	e := newEmulator(t)
	put := func(platform string) response {
		return e.do(req{method: http.MethodPut, path: "/installations/i1", header: http.Header{"Content-Type": {"application/json"}},
			body: []byte(`{"installationId":"i1","platform":"` + platform + `","pushChannel":"ab12"}`)})
	}
	put("APNS").expect(t, http.StatusOK, "")
	if in, _ := e.Installation("i1"); in.Platform != push.Apple {
		t.Errorf("platform %q, want push.Apple", in.Platform)
	}
	got := e.do(req{method: http.MethodGet, path: "/installations/i1"})
	if !strings.Contains(string(got.body), `"platform":"apns"`) {
		t.Errorf("GET answers %s", got.body)
	}
	put("apple").expect(t, http.StatusBadRequest, `The installation platform "apple" is not supported; want one of apns`)
	if err := e.PutInstallation(nhtest.Installation{InstallationID: "i2", Platform: push.Template, PushChannel: nhtest.PushChannel{Handle: "h"}}); err == nil {
		t.Error("an installation of the template format was accepted")
	}
}
