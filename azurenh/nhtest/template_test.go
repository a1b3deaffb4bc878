package nhtest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// compileDetail returns the Detail of the error push.CompileTemplate gives body.
func compileDetail(t *testing.T, body string) string {
	t.Helper()
	_, err := push.CompileTemplate(body)
	var pe *push.Error
	if !errors.As(err, &pe) || pe.Detail == "" {
		t.Fatalf("CompileTemplate(%q) = %v; want a *push.Error with a Detail", body, err)
	}
	return pe.Detail
}

// installationJSON is the PUT body of in.
func installationJSON(t *testing.T, in nhtest.Installation) string {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// badTemplates are template bodies that do not compile, one per kind of mistake.
var badTemplates = []struct{ name, body string }{
	{"unclosed call", `{"aps":{"alert":"$(msg"}}`},
	{"text after an expression", `{"aps":{"alert":"$(a) $(b)"}}`},
	{".( without a length", `<toast><visual><binding template="ToastText01"><text id="1">.(msg)</text></binding></visual></toast>`},
	{"not JSON or XML", `alert: $(msg)`},
	{"malformed JSON", `{"aps":`},
}

func TestInstallationTemplateMustCompile(t *testing.T) {
	good := nhtest.Installation{InstallationID: "dev", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "tok"},
		Templates: map[string]nhtest.InstallationTemplate{"goal": {Body: `{"aps":{"alert":"$(msg)"}}`}}}
	withBody := func(body string) nhtest.Installation {
		in := good.Clone()
		in.Templates["goal"] = nhtest.InstallationTemplate{Body: body}
		return in
	}
	routes := []struct {
		name string
		// write writes an installation whose template "goal" has body and
		// returns the status and the detail of the answer.
		write func(t *testing.T, e *emulator, body string) (int, string)
	}{
		{"PUT", func(t *testing.T, e *emulator, body string) (int, string) {
			return answer(t, e.do(putInstallation(installationJSON(t, withBody(body)))))
		}},
		{"PATCH replace the body", func(t *testing.T, e *emulator, body string) (int, string) {
			ops, _ := json.Marshal([]map[string]string{{"op": "replace", "path": "/templates/goal/body", "value": body}})
			return answer(t, e.do(patchInstallation("dev", string(ops))))
		}},
		{"PATCH add the template", func(t *testing.T, e *emulator, body string) (int, string) {
			tpl, _ := json.Marshal(nhtest.InstallationTemplate{Body: body})
			ops, _ := json.Marshal([]map[string]any{{"op": "add", "path": "/templates/goal", "value": json.RawMessage(tpl)}})
			return answer(t, e.do(patchInstallation("dev", string(ops))))
		}},
		{"PutInstallation", func(t *testing.T, e *emulator, body string) (int, string) {
			err := e.PutInstallation(withBody(body))
			var pe *push.Error
			if err == nil {
				return http.StatusOK, ""
			}
			if !errors.As(err, &pe) || !errors.Is(err, push.ErrInvalidTarget) {
				t.Fatalf("PutInstallation: %v; want a *push.Error of kind ErrInvalidTarget", err)
			}
			return http.StatusBadRequest, pe.Detail
		}},
	}
	for _, rt := range routes {
		for _, c := range badTemplates {
			t.Run(rt.name+"/"+c.name, func(t *testing.T) {
				e := newEmulator(t)
				if err := e.PutInstallation(good); err != nil {
					t.Fatal(err)
				}
				status, detail := rt.write(t, e, c.body)
				want := `The installation template "goal" does not compile: ` + compileDetail(t, c.body)
				if status != http.StatusBadRequest || !strings.Contains(detail, want) {
					t.Errorf("status %d, detail %q; want 400 with %q", status, detail, want)
				}
				if in, _ := e.Installation("dev"); in.Templates["goal"].Body != good.Templates["goal"].Body {
					t.Errorf("a refused write changed the template to %q", in.Templates["goal"].Body)
				}
			})
		}
		t.Run(rt.name+"/valid", func(t *testing.T) {
			e := newEmulator(t)
			if err := e.PutInstallation(good); err != nil {
				t.Fatal(err)
			}
			body := `{"aps":{"alert":"{'Goal: ' + .(msg, 20)}","badge":"#(n)"}}`
			if status, detail := rt.write(t, e, body); status != http.StatusOK {
				t.Fatalf("status %d (%s), want 200", status, detail)
			}
			if in, _ := e.Installation("dev"); in.Templates["goal"].Body != body {
				t.Errorf("stored body %q, want %q", in.Templates["goal"].Body, body)
			}
		})
	}
	t.Run("the earlier checks still apply", func(t *testing.T) {
		e := newEmulator(t)
		status, detail := answer(t, e.do(putInstallation(installationJSON(t, withBody("")))))
		if status != http.StatusBadRequest || !strings.Contains(detail, `The installation template "goal" has no body.`) {
			t.Errorf("status %d, detail %q", status, detail)
		}
	})
}

// answer returns the status of a response and, for an error, its detail.
func answer(t *testing.T, r response) (int, string) {
	t.Helper()
	if r.status < 300 {
		return r.status, ""
	}
	return r.status, r.detail(t)
}

// templateEntry is an Apple template registration with a body and, unless
// name is "", a TemplateName.
func templateEntry(tags, body, name string) string {
	elements := "<Tags>" + tags + "</Tags><DeviceToken>C0FFEE</DeviceToken><BodyTemplate><![CDATA[" + body + "]]></BodyTemplate>"
	if name != "" {
		elements += "<TemplateName>" + name + "</TemplateName>"
	}
	return entry("AppleTemplateRegistrationDescription", elements)
}

func TestRegistrationTemplateMustCompile(t *testing.T) {
	const good = `{"aps":{"alert":"$(msg)"}}`
	routes := []struct {
		name string
		// write writes a template registration and returns the answer and the
		// ID of the registration it replaces ("" for none).
		write func(t *testing.T, e *emulator, body string) (response, string)
	}{
		{"create", func(t *testing.T, e *emulator, body string) (response, string) {
			return e.do(regWrite(http.MethodPost, "/registrations", templateEntry("a", body, "goal"))), ""
		}},
		{"create with an issued ID", func(t *testing.T, e *emulator, body string) (response, string) {
			id := e.newRegistrationID(t)
			return e.do(regWrite(http.MethodPut, "/registrations/"+id, templateEntry("a", body, "goal"))), ""
		}},
		{"overwrite", func(t *testing.T, e *emulator, body string) (response, string) {
			id := createTemplateRegistration(t, e, good)
			return e.do(regWrite(http.MethodPut, "/registrations/"+id, templateEntry("a", body, "goal"))), id
		}},
		{"update with If-Match", func(t *testing.T, e *emulator, body string) (response, string) {
			id := createTemplateRegistration(t, e, good)
			r := regWrite(http.MethodPut, "/registrations/"+id, templateEntry("a", body, "goal"))
			r.header.Set("If-Match", `"1"`)
			return e.do(r), id
		}},
	}
	for _, rt := range routes {
		for _, c := range badTemplates {
			t.Run(rt.name+"/"+c.name, func(t *testing.T) {
				e := newEmulator(t)
				resp, id := rt.write(t, e, c.body)
				want := `The BodyTemplate of the AppleTemplateRegistrationDescription (TemplateName "goal") does not compile: ` + compileDetail(t, c.body)
				resp.expect(t, http.StatusBadRequest, want)
				if id == "" {
					if n := len(e.Registrations()); n != 0 {
						t.Errorf("%d registrations stored, want none", n)
					}
				} else if r, _ := e.Registration(id); r.BodyTemplate != good || r.ETag != "1" {
					t.Errorf("a refused write changed the registration: %+v", r)
				}
			})
		}
		t.Run(rt.name+"/valid", func(t *testing.T) {
			e := newEmulator(t)
			resp, _ := rt.write(t, e, `{"aps":{"alert":"%(msg)"}}`)
			if resp.status != http.StatusOK && resp.status != http.StatusCreated {
				t.Fatalf("status %d: %s", resp.status, resp.body)
			}
		})
	}
	t.Run("without a TemplateName", func(t *testing.T) {
		e := newEmulator(t)
		body := `<toast>$(a</toast>`
		r := regWrite(http.MethodPost, "/registrations", entry("WindowsTemplateRegistrationDescription",
			"<ChannelUri>https://wns.example/1</ChannelUri><BodyTemplate><![CDATA["+body+"]]></BodyTemplate>"+
				"<WnsHeaders><WnsHeader><Header>X-WNS-Type</Header><Value>wns/toast</Value></WnsHeader></WnsHeaders>"))
		e.do(r).expect(t, http.StatusBadRequest, "The BodyTemplate of the WindowsTemplateRegistrationDescription does not compile: "+compileDetail(t, body))
	})
}

// createTemplateRegistration creates an Apple template registration with body
// and returns its ID.
func createTemplateRegistration(t *testing.T, e *emulator, body string) string {
	t.Helper()
	resp := e.do(regWrite(http.MethodPost, "/registrations", templateEntry("a", body, "goal")))
	resp.expect(t, http.StatusCreated, "")
	return readEntry(t, resp.body).Content.Desc.RegistrationID
}

// templateSend is a template send of props to a tag expression ("" for a
// broadcast).
func templateSend(t *testing.T, tags string, props map[string]string) req {
	t.Helper()
	body, err := json.Marshal(props)
	if err != nil {
		t.Fatal(err)
	}
	r := send("template", ctJS, string(body))
	if tags != "" {
		r.header.Set("ServiceBusNotification-Tags", tags)
	}
	return r
}

// The templates of TestTemplatePayloads.
const (
	appleAlert  = `{"aps":{"alert":{"title":".(title, 10)","body":"$(body)"},"badge":"#(badge)","sound":"#(sound)"},"extra":"$(missing)"}`
	appleBanner = `{"aps":{"alert":"{'Score: ' + $(score, 3)}"}}`
	wnsToast    = `<toast launch="$(body)"><visual><binding template="ToastText01"><text id="1">$(body)</text><text id="2">$(missing)</text></binding></visual></toast>`
)

// templateDevices puts installations and template registrations, through the
// HTTP API, and returns the IDs of the registrations: the first two match
// "sports && goal", the third does not.
func templateDevices(t *testing.T, e *emulator) []string {
	t.Helper()
	installations := []nhtest.Installation{
		{InstallationID: "iphone", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "apns-token"}, Tags: []string{"sports"},
			Templates: map[string]nhtest.InstallationTemplate{
				"banner": {Body: appleBanner, Tags: []string{"goal"}},
				"alert":  {Body: appleAlert, Tags: []string{"goal"}},
				"digest": {Body: `{"aps":{"alert":"$(body)"}}`, Tags: []string{"daily"}},
			}},
		{InstallationID: "surface", Platform: push.Windows, PushChannel: nhtest.PushChannel{Handle: "https://wns.example/ch"}, Tags: []string{"sports", "goal"},
			Templates: map[string]nhtest.InstallationTemplate{"toast": {Body: wnsToast, Headers: map[string]string{"X-WNS-Type": "wns/toast"}}}},
		{InstallationID: "pixel", Platform: push.FCMV1, PushChannel: nhtest.PushChannel{Handle: "fcm-token"}, Tags: []string{"news"},
			Templates: map[string]nhtest.InstallationTemplate{"data": {Body: `{"message":{"data":{"b":"$(body)"}}}`, Tags: []string{"goal"}}}},
		{InstallationID: "native", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "apns-native"}, Tags: []string{"sports", "goal"}},
	}
	for _, in := range installations {
		e.do(putInstallation(installationJSON(t, in))).expect(t, http.StatusOK, "")
	}
	regs := []string{
		templateEntry("sports,goal", `{"aps":{"alert":"{'Goal: ' + $(body)}"}}`, "reg-alert"),
		entry("FcmV1TemplateRegistrationDescription", `<Tags>goal,sports</Tags><FcmV1RegistrationId>fcm-reg</FcmV1RegistrationId>`+
			`<BodyTemplate><![CDATA[{"message":{"data":{"u":"%(body)"}}}]]></BodyTemplate>`),
		templateEntry("news", `{"aps":{"alert":"$(body)"}}`, ""),
	}
	var ids []string
	for _, body := range regs {
		resp := e.do(regWrite(http.MethodPost, "/registrations", body))
		resp.expect(t, http.StatusCreated, "")
		ids = append(ids, readEntry(t, resp.body).Content.Desc.RegistrationID)
	}
	return ids
}

// templateProps are the properties of TestTemplatePayloads' sends.
var templateProps = map[string]string{"title": "Breaking news today", "body": `Sox < Yankees & "friends"`, "badge": "7", "sound": "07", "score": "12345"}

func TestTemplatePayloads(t *testing.T) {
	e := newEmulator(t)
	regs := templateDevices(t, e)
	e.do(templateSend(t, "sports && goal", templateProps)).expect(t, http.StatusCreated, "")
	got := e.Sends()[0]

	wantMatched := append([]string{"iphone", "surface"}, sorted(regs[0], regs[1])...)
	if fmt.Sprint(got.Matched) != fmt.Sprint(wantMatched) {
		t.Fatalf("Matched = %v, want %v", got.Matched, wantMatched)
	}
	regPayloads := map[string]nhtest.Payload{
		regs[0]: {ID: regs[0], Template: "reg-alert", Handle: "C0FFEE", Platform: push.Apple,
			Body: []byte(`{"aps":{"alert":"Goal: Sox < Yankees & \"friends\""}}`)},
		regs[1]: {ID: regs[1], Handle: "fcm-reg", Platform: push.FCMV1,
			Body: []byte(`{"message":{"data":{"u":"Sox%20%3C%20Yankees%20%26%20%22friends%22"}}}`)},
	}
	want := []nhtest.Payload{
		{ID: "iphone", Template: "alert", Handle: "apns-token", Platform: push.Apple,
			Body: []byte(`{"aps":{"alert":{"title":"Breakin...","body":"Sox < Yankees & \"friends\""},"badge":7,"sound":"07"},"extra":""}`)},
		{ID: "iphone", Template: "banner", Handle: "apns-token", Platform: push.Apple,
			Body: []byte(`{"aps":{"alert":"Score: 123"}}`)},
		{ID: "surface", Template: "toast", Handle: "https://wns.example/ch", Platform: push.Windows,
			Body: []byte(`<toast launch="Sox &lt; Yankees &amp; &quot;friends&quot;"><visual><binding template="ToastText01">` +
				`<text id="1">Sox &lt; Yankees &amp; "friends"</text><text id="2"></text></binding></visual></toast>`)},
		regPayloads[wantMatched[2]],
		regPayloads[wantMatched[3]],
	}
	comparePayloads(t, got.Payloads, want)
}

// comparePayloads reports every difference between got and want, bodies byte
// for byte.
func comparePayloads(t *testing.T, got, want []nhtest.Payload) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d payloads, want %d:\n%s", len(got), len(want), dumpPayloads(got))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Template != w.Template || g.Handle != w.Handle || g.Platform != w.Platform || string(g.Body) != string(w.Body) {
			t.Errorf("payload %d:\n got %s %q %s %s %s\nwant %s %q %s %s %s", i,
				g.ID, g.Template, g.Handle, g.Platform, g.Body, w.ID, w.Template, w.Handle, w.Platform, w.Body)
		}
	}
}

func dumpPayloads(ps []nhtest.Payload) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %s %q %s %s %s\n", p.ID, p.Template, p.Handle, p.Platform, p.Body)
	}
	return b.String()
}

func sorted(a, b string) []string {
	if b < a {
		return []string{b, a}
	}
	return []string{a, b}
}

func TestTemplatePayloadsBySend(t *testing.T) {
	e := newEmulator(t)
	regs := templateDevices(t, e)
	scheduledTemplate := templateSend(t, "pixel-only", map[string]string{"body": "later"})
	scheduledTemplate.path = "/schedulednotifications"
	scheduledTemplate.header.Set("ServiceBusNotification-ScheduleTime", "2030-01-02T04:04:05Z")
	if err := e.PutInstallation(nhtest.Installation{InstallationID: "pixel-2", Platform: push.FCMV1, PushChannel: nhtest.PushChannel{Handle: "fcm-2"},
		Tags: []string{"pixel-only"}, Templates: map[string]nhtest.InstallationTemplate{"data": {Body: `{"message":{"data":{"b":"$(body)"}}}`}}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		r    req
		want string // "ID/template:body ..." of the payloads; "nil" for none
	}{
		{"native send", appleSend("sports"), "nil"},
		{"native broadcast", appleSend(""), "nil"},
		{"template send that reaches nobody", templateSend(t, "nobody", map[string]string{"body": "x"}), "nil"},
		{"template to a template's own tag", templateSend(t, "daily", map[string]string{"body": "x"}), `iphone/digest:{"aps":{"alert":"x"}}`},
		{"template to an installation's own tag", templateSend(t, "news", map[string]string{"body": "x"}),
			`pixel/data:{"message":{"data":{"b":"x"}}} ` + regs[2] + `/:{"aps":{"alert":"x"}}`},
		{"test send", withQuery(templateSend(t, "daily", map[string]string{"body": "t"}), "test"), `iphone/digest:{"aps":{"alert":"t"}}`},
		{"scheduled send", scheduledTemplate, `pixel-2/data:{"message":{"data":{"b":"later"}}}`},
		{"property names are case-insensitive", templateSend(t, "daily", map[string]string{"BODY": "upper"}), `iphone/digest:{"aps":{"alert":"upper"}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.Reset()
			e.do(c.r).expect(t, http.StatusCreated, "")
			if got := payloadSummary(e.Sends()[0].Payloads); got != c.want {
				t.Errorf("Payloads = %s\nwant       %s", got, c.want)
			}
		})
	}
	t.Run("template broadcast reaches every template", func(t *testing.T) {
		e.Reset()
		e.do(templateSend(t, "", map[string]string{"body": "b"})).expect(t, http.StatusCreated, "")
		var got []string
		for _, p := range e.Sends()[0].Payloads {
			got = append(got, p.ID+"/"+p.Template)
		}
		want := append([]string{"iphone/alert", "iphone/banner", "iphone/digest", "pixel/data", "pixel-2/data", "surface/toast"},
			regTemplates(e, regs)...)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("payloads of %v, want %v", got, want)
		}
	})
	t.Run("scheduled payloads are those of the request", func(t *testing.T) {
		e.Reset()
		e.do(scheduledTemplate).expect(t, http.StatusCreated, "")
		e.DeleteInstallation("pixel-2")
		if got := payloadSummary(e.Scheduled()[0].Payloads); got != `pixel-2/data:{"message":{"data":{"b":"later"}}}` {
			t.Errorf("Payloads = %s", got)
		}
	})
}

// regTemplates returns "ID/TemplateName" of the registrations ids, sorted by ID.
func regTemplates(e *emulator, ids []string) []string {
	var out []string
	for _, id := range slices.Sorted(slices.Values(ids)) {
		r, _ := e.Registration(id)
		out = append(out, r.RegistrationID+"/"+r.TemplateName)
	}
	return out
}

// payloadSummary renders payloads as "ID/template:body ...", or "nil".
func payloadSummary(ps []nhtest.Payload) string {
	if ps == nil {
		return "nil"
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.ID + "/" + p.Template + ":" + string(p.Body)
	}
	return strings.Join(parts, " ")
}

func TestTemplatePayloadsFollowWrites(t *testing.T) {
	e := newEmulator(t)
	in := nhtest.Installation{InstallationID: "dev", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "tok"},
		Templates: map[string]nhtest.InstallationTemplate{"t": {Body: `{"aps":{"alert":"$(a)"}}`}}}
	e.do(putInstallation(installationJSON(t, in))).expect(t, http.StatusOK, "")
	e.do(templateSend(t, "", map[string]string{"a": "1", "b": "2"})).expect(t, http.StatusCreated, "")
	e.do(patchInstallation("dev", `[{"op":"replace","path":"/templates/t/body","value":"{\"aps\":{\"alert\":\"$(b)\"}}"}]`)).expect(t, http.StatusOK, "")
	e.do(templateSend(t, "", map[string]string{"a": "1", "b": "2"})).expect(t, http.StatusCreated, "")
	sends := e.Sends()
	if a, b := payloadSummary(sends[0].Payloads), payloadSummary(sends[1].Payloads); a != `dev/t:{"aps":{"alert":"1"}}` || b != `dev/t:{"aps":{"alert":"2"}}` {
		t.Errorf("before and after the PATCH: %s, %s", a, b)
	}
}

func TestPayloadsAreCopies(t *testing.T) {
	e := newEmulator(t)
	templateDevices(t, e)
	e.do(templateSend(t, "sports && goal", templateProps)).expect(t, http.StatusCreated, "")
	first := e.Sends()[0].Payloads
	want := payloadSummary(first)
	first[0].Body[0] = 'X'
	first[0].ID = "changed"
	first[1] = nhtest.Payload{}
	if got := payloadSummary(e.Sends()[0].Payloads); got != want {
		t.Errorf("mutating the returned payloads changed the record:\n got %s\nwant %s", got, want)
	}
	if got := payloadSummary(e.Sends()[0].Payloads); got == payloadSummary(first) {
		t.Error("the test did not mutate anything")
	}
}
