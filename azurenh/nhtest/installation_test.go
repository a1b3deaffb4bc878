package nhtest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

func putInstallation(body string) req {
	var in struct {
		ID string `json:"installationId"`
	}
	json.Unmarshal([]byte(body), &in)
	return req{method: http.MethodPut, path: "/installations/" + in.ID,
		header: http.Header{"Content-Type": {"application/json"}}, body: []byte(body)}
}

func patchInstallation(id, ops string) req {
	return req{method: http.MethodPatch, path: "/installations/" + id,
		header: http.Header{"Content-Type": {"application/json-patch+json"}}, body: []byte(ops)}
}

func TestInstallationRoundTrip(t *testing.T) {
	e := newEmulator(t)
	listen := nhtest.ListenRuleName
	put := putInstallation(`{"installationId":"dev1","platform":"apns","pushChannel":"tok1","tags":["sports","sports","news"],"userId":"bob",
		"templates":{"t1":{"body":"{\"aps\":{\"alert\":\"$(msg)\"}}","tags":["tpl"]}}}`)
	put.rule = listen
	e.do(put).expect(t, http.StatusOK, "")

	get := req{method: http.MethodGet, path: "/installations/dev1", rule: listen}
	resp := e.do(get)
	resp.expect(t, http.StatusOK, "")
	var got nhtest.Installation
	if err := json.Unmarshal(resp.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.InstallationID != "dev1" || got.PushChannel.Handle != "tok1" || fmt.Sprint(got.Tags) != "[sports news]" ||
		got.UserID != "bob" || got.Templates["t1"].Tags[0] != "tpl" || got.LastUpdate != "2030-01-02T03:04:05Z" {
		t.Errorf("GET = %+v", got)
	}
	if want := []string{"sports", "news", "$InstallationId:{dev1}", "$UserId:{bob}"}; !reflect.DeepEqual(got.MatchTags(), want) {
		t.Errorf("MatchTags = %v, want %v", got.MatchTags(), want)
	}

	// The implicit tags reach the installation.
	e.do(appleSend("$InstallationId:{dev1}")).expect(t, http.StatusCreated, "")
	e.do(appleSend("$UserId:{bob} && news")).expect(t, http.StatusCreated, "")
	for i, s := range e.Sends() {
		if fmt.Sprint(s.Matched) != "[dev1]" {
			t.Errorf("send %d matched %v", i, s.Matched)
		}
	}

	patch := patchInstallation("dev1", `[{"op":"add","path":"/tags","value":"weather"},{"op":"remove","path":"/tags/sports"},
		{"op":"replace","path":"/userId","value":"carol"},{"op":"add","path":"/pushChannel","value":"tok2"}]`)
	patch.rule = listen
	e.do(patch).expect(t, http.StatusOK, "")
	in, _ := e.Installation("dev1")
	if fmt.Sprint(in.Tags) != "[news weather]" || in.UserID != "carol" || in.PushChannel.Handle != "tok2" {
		t.Errorf("after PATCH: %+v", in)
	}

	del := req{method: http.MethodDelete, path: "/installations/dev1", rule: listen}
	e.do(del).expect(t, http.StatusNoContent, "")
	e.do(get).expect(t, http.StatusNotFound, "Installation not found")
	e.do(del).expect(t, http.StatusNoContent, "")
	e.do(patch).expect(t, http.StatusNotFound, "Installation not found")
}

func TestInstallationChecks(t *testing.T) {
	e := newEmulator(t)
	tags61 := `["` + strings.Join(handles(61), `","`) + `"]`
	cases := []struct {
		name   string
		r      req
		status int
		detail string
	}{
		{"browser", putInstallation(`{"installationId":"b","platform":"browser","pushChannel":{"endpoint":"https://p/1","p256dh":"k","auth":"a"}}`), http.StatusOK, ""},
		{"platform in any case", putInstallation(`{"installationId":"c","platform":"Wns","pushChannel":"https://wns/1"}`), http.StatusOK, ""},
		{"id from the URL", req{method: http.MethodPut, path: "/installations/u", header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"platform":"gcm","pushChannel":"x"}`)}, http.StatusOK, ""},
		{"id differs from the URL", req{method: http.MethodPut, path: "/installations/u", header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"installationId":"v","platform":"gcm","pushChannel":"x"}`)}, http.StatusBadRequest, "differs from 'u'"},
		{"unknown platform", putInstallation(`{"installationId":"d","platform":"apple","pushChannel":"x"}`), http.StatusBadRequest, "platform \"apple\" is not supported"},
		{"no push channel", putInstallation(`{"installationId":"d","platform":"apns"}`), http.StatusBadRequest, "no pushChannel"},
		{"browser channel as a string", putInstallation(`{"installationId":"d","platform":"browser","pushChannel":"https://p/1"}`), http.StatusBadRequest, "browser installation's pushChannel"},
		{"61 tags", putInstallation(`{"installationId":"d","platform":"apns","pushChannel":"x","tags":` + tags61 + `}`), http.StatusBadRequest, "61 tags; a device carries at most 60"},
		{"reserved tag", putInstallation(`{"installationId":"d","platform":"apns","pushChannel":"x","tags":["$InstallationId:{d}"]}`), http.StatusBadRequest, "Tags can not start with $."},
		{"bad tag", putInstallation(`{"installationId":"d","platform":"apns","pushChannel":"x","tags":["a b"]}`), http.StatusBadRequest, "An invalid tag(s) 'a b' was supplied"},
		{"bad user ID", putInstallation(`{"installationId":"d","platform":"apns","pushChannel":"x","userId":"a b"}`), http.StatusBadRequest, "userId \"a b\""},
		{"not JSON", req{method: http.MethodPut, path: "/installations/d", header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"installationId":`)}, http.StatusBadRequest, "not valid JSON"},
		{"XML content type", req{method: http.MethodPut, path: "/installations/d", header: http.Header{"Content-Type": {"application/xml"}}, body: []byte(`{}`)}, http.StatusBadRequest, "application/json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.do(c.r).expect(t, c.status, c.detail) })
	}
	t.Run("PutInstallation", func(t *testing.T) {
		err := e.PutInstallation(nhtest.Installation{InstallationID: "x", Platform: push.Apple})
		if !errors.Is(err, push.ErrInvalidTarget) || !strings.Contains(err.Error(), "no pushChannel") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestInstallationPatch(t *testing.T) {
	base := nhtest.Installation{InstallationID: "p", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "tok"},
		Tags: []string{"a", "b"}, Templates: map[string]nhtest.InstallationTemplate{"t": {Body: "{}", Tags: []string{"x"}}}}
	cases := []struct {
		name   string
		ops    string
		status int
		check  func(nhtest.Installation) bool
	}{
		{"add a tag", `[{"op":"add","path":"/tags","value":"c"}]`, 200, func(in nhtest.Installation) bool { return fmt.Sprint(in.Tags) == "[a b c]" }},
		{"add tags as JSON text", `[{"op":"add","path":"/tags","value":"[\"c\",\"a\"]"}]`, 200, func(in nhtest.Installation) bool { return fmt.Sprint(in.Tags) == "[a b c]" }},
		{"add tags as an array", `[{"op":"add","path":"/tags","value":["d"]}]`, 200, func(in nhtest.Installation) bool { return fmt.Sprint(in.Tags) == "[a b d]" }},
		{"replace the tags", `[{"op":"replace","path":"/tags","value":"z"}]`, 200, func(in nhtest.Installation) bool { return fmt.Sprint(in.Tags) == "[z]" }},
		{"remove the last tags", `[{"op":"remove","path":"/tags/a"},{"op":"remove","path":"/tags/b"}]`, 200, func(in nhtest.Installation) bool { return in.Tags == nil }},
		{"remove the tags", `[{"op":"remove","path":"/tags"}]`, 200, func(in nhtest.Installation) bool { return in.Tags == nil }},
		{"add a template as JSON text", `[{"op":"add","path":"/templates/n","value":"{\"body\":\"<b/>\",\"tags\":[\"y\"]}"}]`, 200, func(in nhtest.Installation) bool { return in.Templates["n"].Body == "<b/>" }},
		{"template body", `[{"op":"replace","path":"/templates/t/body","value":"{\"new\":1}"}]`, 200, func(in nhtest.Installation) bool { return in.Templates["t"].Body == `{"new":1}` }},
		{"template headers", `[{"op":"add","path":"/templates/t/headers","value":"{\"X-WNS-Type\":\"wns/toast\"}"}]`, 200, func(in nhtest.Installation) bool { return in.Templates["t"].Headers["X-WNS-Type"] == "wns/toast" }},
		{"remove a template", `[{"op":"remove","path":"/templates/t"}]`, 200, func(in nhtest.Installation) bool { return in.Templates == nil }},
		{"push variable", `[{"op":"add","path":"/pushVariables/lang","value":"fr"}]`, 200, func(in nhtest.Installation) bool { return in.PushVariables["lang"] == "fr" }},
		{"op in capitals", `[{"op":"Remove","path":"/tags/a"}]`, 200, func(in nhtest.Installation) bool { return fmt.Sprint(in.Tags) == "[b]" }},
		{"move", `[{"op":"move","path":"/tags","from":"/userId"}]`, 400, nil},
		{"bad tag", `[{"op":"add","path":"/tags","value":"a b"}]`, 400, nil},
		{"remove the channel", `[{"op":"remove","path":"/pushChannel"}]`, 400, nil},
		{"change the platform", `[{"op":"replace","path":"/platform","value":"gcm"}]`, 400, nil},
		{"unknown path", `[{"op":"add","path":"/color","value":"red"}]`, 400, nil},
		{"part of a missing template", `[{"op":"add","path":"/templates/none/body","value":"b"}]`, 400, nil},
		{"no value", `[{"op":"add","path":"/userId"}]`, 400, nil},
		{"not an array", `{"op":"add"}`, 400, nil},
		{"atomic", `[{"op":"add","path":"/tags","value":"c"},{"op":"add","path":"/tags","value":"$bad"}]`, 400, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEmulator(t)
			if err := e.PutInstallation(base); err != nil {
				t.Fatal(err)
			}
			resp := e.do(patchInstallation("p", c.ops))
			resp.expect(t, c.status, "")
			in, _ := e.Installation("p")
			if c.check != nil && !c.check(in) {
				t.Errorf("after the patch: %+v", in)
			}
			if c.status != 200 && fmt.Sprint(in.Tags) != "[a b]" {
				t.Errorf("a refused patch changed the installation: %+v", in)
			}
		})
	}
}

func TestInstallationJSON(t *testing.T) {
	in := nhtest.Installation{InstallationID: "b", Platform: push.Browser,
		PushChannel: nhtest.PushChannel{Handle: "https://p/1", P256DH: "k", Auth: "a"}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"installationId":"b","platform":"browser","pushChannel":{"endpoint":"https://p/1","p256dh":"k","auth":"a"}}`
	if string(b) != want {
		t.Errorf("marshal = %s, want %s", b, want)
	}
	var back nhtest.Installation
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, in) {
		t.Errorf("unmarshal = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"pushChannel":3}`), &back); err == nil {
		t.Error("a number was accepted as a push channel")
	}
}
