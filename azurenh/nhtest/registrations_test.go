package nhtest_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

const atomType = "application/atom+xml;type=entry;charset=utf-8"

// entry wraps the elements of a description in an Atom entry, as the SDKs write it.
func entry(desc, elements string) string {
	return `<?xml version="1.0" encoding="utf-8"?><entry xmlns="http://www.w3.org/2005/Atom"><content type="application/xml">` +
		`<` + desc + ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect">` +
		elements + `</` + desc + `></content></entry>`
}

func appleEntry(tags, token string) string {
	return entry("AppleRegistrationDescription", "<Tags>"+tags+"</Tags><DeviceToken>"+token+"</DeviceToken>")
}

func regWrite(method, path, body string) req {
	return req{method: method, path: path, header: http.Header{"Content-Type": {atomType}}, body: []byte(body)}
}

// entryOut is a registration entry as the emulator answers it.
type entryOut struct {
	Content struct {
		Desc struct {
			XMLName        xml.Name
			ETag           string `xml:"ETag"`
			ExpirationTime string `xml:"ExpirationTime"`
			RegistrationID string `xml:"RegistrationId"`
			Tags           string `xml:"Tags"`
			DeviceToken    string `xml:"DeviceToken"`
			BodyTemplate   string `xml:"BodyTemplate"`
		} `xml:",any"`
	} `xml:"content"`
}

func readEntry(t *testing.T, body []byte) entryOut {
	t.Helper()
	var e entryOut
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return e
}

type feedOut struct {
	Entries []entryOut `xml:"entry"`
}

// newRegistrationID asks for an ID and returns it.
func (e *emulator) newRegistrationID(t *testing.T) string {
	t.Helper()
	resp := e.do(req{method: http.MethodPost, path: "/registrationIDs", rule: nhtest.ListenRuleName})
	resp.expect(t, http.StatusCreated, "")
	loc, err := url.Parse(resp.header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.Path, "/hub/registrations/") || loc.Query().Get("api-version") != "2020-06" {
		t.Fatalf("Location %q", resp.header.Get("Location"))
	}
	return strings.TrimPrefix(loc.Path, "/hub/registrations/")
}

func TestRegistrationIDFlow(t *testing.T) {
	e := newEmulator(t)
	id := e.newRegistrationID(t)
	path := "/registrations/" + id
	put := func(ifMatch, body string) response {
		r := regWrite(http.MethodPut, path, body)
		if ifMatch != "" {
			r.header.Set("If-Match", ifMatch)
		}
		return e.do(r)
	}

	resp := put("", appleEntry("sports, news,sports", "ABCDEF01"))
	resp.expect(t, http.StatusCreated, "")
	got := readEntry(t, resp.body)
	if got.Content.Desc.XMLName.Local != "AppleRegistrationDescription" || got.Content.Desc.ETag != "1" ||
		got.Content.Desc.RegistrationID != id || got.Content.Desc.Tags != "sports,news" || got.Content.Desc.DeviceToken != "ABCDEF01" {
		t.Errorf("created %+v", got.Content.Desc)
	}
	if h := resp.header.Get("ETag"); h != `W/"1"` {
		t.Errorf("ETag header %q", h)
	}

	e.do(req{method: http.MethodGet, path: path}).expect(t, http.StatusOK, "")
	put(`"1"`, appleEntry("news", "ABCDEF01")).expect(t, http.StatusOK, "")
	put(`"1"`, appleEntry("stale", "ABCDEF01")).expect(t, http.StatusPreconditionFailed, "has the ETag 2")
	put("*", appleEntry("any", "ABCDEF01")).expect(t, http.StatusOK, "")
	if r, _ := e.Registration(id); r.ETag != "3" || fmt.Sprint(r.Tags) != "[any]" {
		t.Errorf("after the updates: %+v", r)
	}
	del := func(ifMatch string) response {
		return e.do(req{method: http.MethodDelete, path: path, header: http.Header{"If-Match": {ifMatch}}, rule: nhtest.ListenRuleName})
	}
	del(`"2"`).expect(t, http.StatusPreconditionFailed, "")
	del(`W/"3"`).expect(t, http.StatusOK, "")
	e.do(req{method: http.MethodGet, path: path}).expect(t, http.StatusNotFound, "was not found")
	del("*").expect(t, http.StatusNotFound, "was not found")
	put(`"3"`, appleEntry("x", "ABCDEF01")).expect(t, http.StatusNotFound, "was not found")
	put("", appleEntry("again", "ABCDEF01")).expect(t, http.StatusCreated, "")

	e.do(regWrite(http.MethodPut, "/registrations/never-issued", appleEntry("", "AB"))).expect(t, http.StatusGone, "registrationIDs")
}

func TestCreateRegistration(t *testing.T) {
	e := newEmulator(t)
	resp := e.do(regWrite(http.MethodPost, "/registrations", entry("FcmV1TemplateRegistrationDescription",
		`<Tags>a</Tags><FcmV1RegistrationId>fcm-1</FcmV1RegistrationId><BodyTemplate><![CDATA[{"message":{"data":{"m":"$(m)"}}}]]></BodyTemplate><TemplateName>t1</TemplateName>`)))
	resp.expect(t, http.StatusCreated, "")
	got := readEntry(t, resp.body)
	if got.Content.Desc.RegistrationID == "" || got.Content.Desc.BodyTemplate != `{"message":{"data":{"m":"$(m)"}}}` {
		t.Errorf("created %+v", got.Content.Desc)
	}
	if !strings.Contains(string(resp.body), `<BodyTemplate><![CDATA[{"message":{"data":{"m":"$(m)"}}}]]></BodyTemplate><TemplateName>t1</TemplateName>`) {
		t.Errorf("the answer does not echo the template as written: %s", resp.body)
	}
	r, ok := e.Registration(got.Content.Desc.RegistrationID)
	if !ok || r.Platform != push.FCMV1 || !r.Template || r.Handle != "fcm-1" || r.TemplateName != "t1" {
		t.Errorf("stored %+v", r)
	}
}

func TestRegistrationChecks(t *testing.T) {
	e := newEmulator(t)
	cases := []struct {
		name   string
		r      req
		detail string
	}{
		{"handle lost to the order", regWrite(http.MethodPost, "/registrations",
			entry("AppleTemplateRegistrationDescription", `<BodyTemplate>{"aps":{}}</BodyTemplate><DeviceToken>AB</DeviceToken>`)), "has no DeviceToken"},
		{"unknown kind", regWrite(http.MethodPost, "/registrations", entry("PagerRegistrationDescription", "<Pager>1</Pager>")), "is not supported"},
		{"no handle", regWrite(http.MethodPost, "/registrations", entry("WindowsRegistrationDescription", "<Tags>a</Tags>")), "has no ChannelUri"},
		{"handle of another kind", regWrite(http.MethodPost, "/registrations", entry("FcmV1RegistrationDescription", "<DeviceToken>AB</DeviceToken>")), "has no FcmV1RegistrationId"},
		{"browser without keys", regWrite(http.MethodPost, "/registrations", entry("BrowserRegistrationDescription", "<Endpoint>https://push.example/1</Endpoint>")), "has no P256DH"},
		{"invalid tag", regWrite(http.MethodPost, "/registrations", appleEntry("a b", "AB")), "An invalid tag(s) 'a b'"},
		{"61 tags", regWrite(http.MethodPost, "/registrations", appleEntry(strings.Join(handles(61), ","), "AB")), "at most 60"},
		{"template without body", regWrite(http.MethodPost, "/registrations", entry("AppleTemplateRegistrationDescription", "<DeviceToken>AB</DeviceToken>")), "has no BodyTemplate"},
		{"windows template without X-WNS-Type", regWrite(http.MethodPost, "/registrations", entry("WindowsTemplateRegistrationDescription",
			"<ChannelUri>https://wns.example/1</ChannelUri><BodyTemplate>&lt;toast/&gt;</BodyTemplate>")), "X-WNS-Type"},
		{"not an entry", regWrite(http.MethodPost, "/registrations", "<feed/>"), "not an Atom entry"},
		{"not XML", regWrite(http.MethodPost, "/registrations", "{}"), "not an Atom entry"},
		{"JSON content type", req{method: http.MethodPost, path: "/registrations", header: http.Header{"Content-Type": {"application/json"}}, body: []byte(appleEntry("", "AB"))}, "application/atom+xml"},
		{"bad $top", req{method: http.MethodGet, path: "/registrations", query: "$top=0"}, "$top"},
		{"bad continuation token", req{method: http.MethodGet, path: "/registrations", query: "continuationtoken=xyz"}, "not valid"},
		{"unsupported filter", req{method: http.MethodGet, path: "/registrations", query: url.Values{"$filter": {"Tags eq 'a'"}}.Encode()}, "do not support this query"},
		{"lower-case device token", req{method: http.MethodGet, path: "/registrations", query: url.Values{"$filter": {"DeviceToken eq 'ab'"}}.Encode()}, "upper case"},
		{"invalid tag in a path", req{method: http.MethodGet, path: "/tags/a%20b/registrations"}, "invalid tag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.do(c.r).expect(t, http.StatusBadRequest, c.detail) })
	}
	t.Run("bare description", func(t *testing.T) {
		body := `<AppleRegistrationDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"><DeviceToken>AB</DeviceToken></AppleRegistrationDescription>`
		e.do(regWrite(http.MethodPost, "/registrations", body)).expect(t, http.StatusCreated, "")
	})
	t.Run("unknown elements are ignored", func(t *testing.T) {
		e.do(regWrite(http.MethodPost, "/registrations", entry("AppleRegistrationDescription", "<Extra>1</Extra><DeviceToken>AB</DeviceToken>"))).expect(t, http.StatusCreated, "")
	})
}

// TestRegistrationElementsOutOfOrder checks that an element out of the data
// contract's order, or repeated, is skipped as the service's reader skips
// it, and that the emulator says so in a warning instead of losing it
// silently.
func TestRegistrationElementsOutOfOrder(t *testing.T) {
	e := newEmulator(t)
	resp := e.do(regWrite(http.MethodPost, "/registrations",
		entry("AppleRegistrationDescription", "<DeviceToken>AB</DeviceToken><Tags>a</Tags><DeviceToken>CD</DeviceToken>")))
	resp.expect(t, http.StatusCreated, "")
	if strings.Contains(string(resp.body), "<Tags>a</Tags>") || strings.Contains(string(resp.body), "CD") {
		t.Errorf("the answer holds a skipped element: %s", resp.body)
	}
	regs := e.Registrations()
	if len(regs) != 1 || len(regs[0].Tags) != 0 || regs[0].Handle != "AB" {
		t.Fatalf("stored %+v; want the first DeviceToken and no tags", regs)
	}
	w := e.Warnings()
	if len(w) != 2 || !strings.Contains(w[0], "POST /hub/registrations: The AppleRegistrationDescription has <Tags> after <DeviceToken>: the service's reader skips it") ||
		!strings.Contains(w[1], "has <DeviceToken> a second time") {
		t.Errorf("warnings %q", w)
	}
	e.Reset()
	if w := e.Warnings(); len(w) != 0 {
		t.Errorf("after Reset, warnings %q", w)
	}
	e.do(regWrite(http.MethodPost, "/registrations", appleEntry("a", "AB"))).expect(t, http.StatusCreated, "")
	if w := e.Warnings(); len(w) != 0 {
		t.Errorf("a description in order gives warnings %q", w)
	}
}

// seedRegistrations creates registrations of several kinds and returns their IDs
// in order.
func seedRegistrations(t *testing.T, e *emulator) []string {
	t.Helper()
	bodies := []string{
		appleEntry("sports", "A591BDE2"),
		appleEntry("news", "B6E58AA3"),
		entry("WindowsRegistrationDescription", "<Tags>sports</Tags><ChannelUri>https://db5.notify.windows.com/?token=Aw+Y</ChannelUri>"),
		entry("BrowserRegistrationDescription", "<Endpoint>https://fcm.googleapis.com/fcm/send/x:1</Endpoint><P256DH>key</P256DH><Auth>auth</Auth>"),
		entry("BaiduRegistrationDescription", "<Tags>sports</Tags><BaiduUserId>u1</BaiduUserId><BaiduChannelId>c1</BaiduChannelId>"),
		entry("AppleTemplateRegistrationDescription", "<Tags>sports</Tags><DeviceToken>C0FFEE</DeviceToken><BodyTemplate>{\"aps\":{\"alert\":\"$(m)\"}}</BodyTemplate>"),
	}
	var ids []string
	for _, b := range bodies {
		resp := e.do(regWrite(http.MethodPost, "/registrations", b))
		resp.expect(t, http.StatusCreated, "")
		ids = append(ids, readEntry(t, resp.body).Content.Desc.RegistrationID)
	}
	return ids
}

func TestListRegistrations(t *testing.T) {
	e := newEmulator(t)
	ids := seedRegistrations(t, e)
	var got []string
	token := ""
	pages := 0
	for {
		q := url.Values{"$top": {"4"}}
		if token != "" {
			q.Set("continuationtoken", token)
		}
		resp := e.do(req{method: http.MethodGet, path: "/registrations", query: q.Encode()})
		resp.expect(t, http.StatusOK, "")
		var f feedOut
		if err := xml.Unmarshal(resp.body, &f); err != nil {
			t.Fatal(err)
		}
		for _, en := range f.Entries {
			got = append(got, en.Content.Desc.RegistrationID)
		}
		pages++
		if token = resp.header.Get("X-MS-ContinuationToken"); token == "" {
			break
		}
		if !strings.ContainsAny(token, "+=!") {
			t.Errorf("token %q needs no escaping: it cannot tell a client that escapes it from one that does not", token)
		}
	}
	if pages != 2 || fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Errorf("%d pages: %v, want 2 pages: %v", pages, got, ids)
	}

	// A token put in the query without escaping loses its '+'.
	resp := e.do(req{method: http.MethodGet, path: "/registrations", query: "$top=4"})
	raw := resp.header.Get("X-MS-ContinuationToken")
	e.do(req{method: http.MethodGet, path: "/registrations", query: "continuationtoken=" + raw}).expect(t, http.StatusBadRequest, "verbatim")
}

func TestListRegistrationsFiltered(t *testing.T) {
	e := newEmulator(t)
	ids := seedRegistrations(t, e)
	list := func(path, query string) string {
		t.Helper()
		resp := e.do(req{method: http.MethodGet, path: path, query: query})
		resp.expect(t, http.StatusOK, "")
		var f feedOut
		if err := xml.Unmarshal(resp.body, &f); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, en := range f.Entries {
			i := indexOf(ids, en.Content.Desc.RegistrationID)
			out = append(out, fmt.Sprint(i))
		}
		return strings.Join(out, ",")
	}
	filter := func(f string) string { return url.Values{"$filter": {f}}.Encode() }
	cases := []struct{ name, path, query, want string }{
		{"by tag", "/tags/sports/registrations", "", "0,2,4,5"},
		{"by tag, one page", "/tags/sports/registrations", "$top=1", "0"},
		{"by an unused tag", "/tags/nobody/registrations", "", ""},
		{"apple token", "/registrations", filter("DeviceToken eq 'B6E58AA3'"), "1"},
		{"apple token of a template", "/registrations", filter("DeviceToken eq 'C0FFEE'"), "5"},
		{"channel URI, URL-encoded", "/registrations", filter("ChannelUri eq '" + url.QueryEscape("https://db5.notify.windows.com/?token=Aw+Y") + "'"), "2"},
		{"channel URI not encoded", "/registrations", filter("ChannelUri eq 'https://db5.notify.windows.com/?token=Aw+Y'"), "2"},
		{"browser endpoint", "/registrations", filter("Endpoint eq 'https%3A%2F%2Ffcm.googleapis.com%2Ffcm%2Fsend%2Fx%3A1'"), "3"},
		{"baidu", "/registrations", filter("BaiduUserId eq 'u1' and BaiduChannelId eq 'c1'"), "4"},
		{"baidu, wrong channel", "/registrations", filter("BaiduUserId eq 'u1' and BaiduChannelId eq 'c2'"), ""},
		{"quote in a value", "/registrations", filter("FcmV1RegistrationId eq 'it''s'"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := list(c.path, c.query); got != c.want {
				t.Errorf("got registrations %q, want %q", got, c.want)
			}
		})
	}
}

func indexOf(ids []string, id string) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return -1
}

func TestSendsReachRegistrations(t *testing.T) {
	e := newEmulator(t)
	ids := seedRegistrations(t, e)
	seed(t, e)
	cases := []struct {
		name string
		r    req
		want string
	}{
		{"apple to a tag", appleSend("sports"), "[ios-news ios-sports " + ids[0] + "]"},
		{"template to a tag", send("template", ctJS, `{"m":"hi"}`, "ServiceBusNotification-Tags", "sports"), "[" + ids[5] + "]"},
		{"direct to a registration's handle", withQuery(send("apple", ctJS, `{}`, "ServiceBusNotification-DeviceHandle", "B6E58AA3"), "direct"), "[" + ids[1] + "]"},
		{"baidu broadcast", send("baidu", ctJS, `{"title":"x"}`), "[" + ids[4] + "]"},
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
	t.Run("test send", func(t *testing.T) {
		resp := e.do(withQuery(appleSend("news"), "test"))
		resp.expect(t, http.StatusCreated, "")
		if !strings.Contains(string(resp.body), "<RegistrationId>"+ids[1]+"</RegistrationId>") || !strings.Contains(string(resp.body), "<Success>2</Success>") {
			t.Errorf("outcome %s", resp.body)
		}
	})
}

func TestRegistrationEntryGolden(t *testing.T) {
	e := newEmulator(t)
	id := e.newRegistrationID(t)
	resp := e.do(regWrite(http.MethodPut, "/registrations/"+id, entry("WindowsTemplateRegistrationDescription",
		`<Tags>sports,news</Tags><PushVariables>{"team":"Sox"}</PushVariables><ChannelUri>https://db5.notify.windows.com/?token=AwY&amp;x=1</ChannelUri>`+
			`<BodyTemplate><![CDATA[<toast><visual><binding template="ToastText01"><text id="1">$(m)</text></binding></visual></toast>]]></BodyTemplate>`+
			`<WnsHeaders><WnsHeader><Header>X-WNS-Type</Header><Value>wns/toast</Value></WnsHeader></WnsHeaders><TemplateName>goal</TemplateName>`)))
	resp.expect(t, http.StatusCreated, "")
	body := strings.ReplaceAll(strings.ReplaceAll(string(resp.body), id, "{ID}"), strings.TrimPrefix(e.URL(), "https://"), "{HOST}")
	golden(t, "registration_entry", []byte(body))
}
