package push_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pushwire/push"
)

// checkRefusal fails unless err is a validation *push.Error.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	var pe *push.Error
	if !errors.As(err, &pe) || !errors.Is(err, push.ErrInvalidNotification) || pe.Op != "push" {
		t.Fatalf("refusal is not a push validation error: %#v", err)
	}
}

// rootOf returns the local name of the first element, independently of the code
// under test.
func rootOf(body []byte) string {
	d := xml.NewDecoder(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff")))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

func FuzzNewNotificationWindows(f *testing.F) {
	for _, s := range []string{
		wnsToastBody, `<toast launch="x"/>`, "\ufeff<?xml version=\"1.0\"?><badge value=\"7\"/>", " <tile/>",
		`<toast/><toast/>`, `<toast>`, `hello`, `<!-- c --><tile><a/></tile>`, `<?xml version="1.0" encoding="utf-16"?><toast/>`,
		`<!DOCTYPE toast><toast/>`, `<a:toast xmlns:a="urn:x"/>`,
	} {
		f.Add([]byte(s), "")
		f.Add([]byte(s), "wns/raw")
	}
	f.Fuzz(func(t *testing.T, body []byte, wnsType string) {
		var h http.Header
		if wnsType != "" {
			h = http.Header{"X-Wns-Type": {wnsType}}
		}
		n, err := push.NewNotification(push.Windows, body, h)
		if err != nil {
			checkRefusal(t, err)
			return
		}
		got := n.Header.Get("X-Wns-Type")
		if got != "wns/raw" && "wns/"+rootOf(body) != got {
			t.Fatalf("X-WNS-Type %q, but the root element is <%s>", got, rootOf(body))
		}
		if err := n.Validate(); err != nil {
			t.Fatalf("NewNotification accepted what Validate refuses: %v", err)
		}
		if _, err := push.Render(n, push.Broadcast()); err != nil {
			t.Fatalf("Render refused a valid notification: %v", err)
		}
	})
}

func FuzzNewNotificationWindowsPhone(f *testing.F) {
	for _, s := range []string{mpnsToast, mpnsTile, `<data/>`, `raw bytes`, `<wp:Notification xmlns:wp="WPNotification"><wp:Toast/>`} {
		f.Add([]byte(s), "", "")
		f.Add([]byte(s), "toast", "2")
		f.Add([]byte(s), "token", "11")
	}
	f.Fuzz(func(t *testing.T, body []byte, target, class string) {
		h := http.Header{}
		if target != "" {
			h.Set("X-WindowsPhone-Target", target)
		}
		if class != "" {
			h.Set("X-NotificationClass", class)
		}
		n, err := push.NewNotification(push.WindowsPhone, body, h)
		if err != nil {
			checkRefusal(t, err)
			return
		}
		switch tgt := n.Header.Get("X-WindowsPhone-Target"); tgt {
		case "", "toast", "token":
		default:
			t.Fatalf("accepted X-WindowsPhone-Target %q", tgt)
		}
		if n.Header.Get("X-NotificationClass") == "" {
			t.Fatal("no X-NotificationClass")
		}
		if err := n.Validate(); err != nil {
			t.Fatalf("NewNotification accepted what Validate refuses: %v", err)
		}
	})
}

func FuzzJSONShape(f *testing.F) {
	for _, s := range []string{
		`{"message":{"data":{"a":"b"}}}`, `{"message":{"android":{"data":{"n":1}}}}`, `{"message":[]}`, `{"message":{}, "x":1}`,
		`{"a":"b"}`, `{"a":1}`, `{"a":{"b":"c"}}`, `{"a-b":"c"}`, `[]`, `{`, `{"message":{"data":null}}`, ` {"a":"\u00e9"} `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, p := range []push.Platform{push.FCMV1, push.Template, push.Apple} {
			n, err := push.NewNotification(p, body, nil)
			if err != nil {
				checkRefusal(t, err)
				continue
			}
			if !json.Valid(body) {
				t.Fatalf("%s accepted invalid JSON", p)
			}
			checkAcceptedShape(t, p, body)
			if _, err := push.Render(n, push.Broadcast()); err != nil {
				t.Fatalf("Render refused a valid %s notification: %v", p, err)
			}
		}
	})
}

// checkAcceptedShape verifies, with encoding/json alone, the shape rules of an
// accepted body.
func checkAcceptedShape(t *testing.T, p push.Platform, body []byte) {
	t.Helper()
	switch p {
	case push.Template:
		var props map[string]string
		if err := json.Unmarshal(body, &props); err != nil {
			t.Fatalf("template accepted a body that is not a flat object of strings: %v", err)
		}
	case push.FCMV1:
		var m struct {
			Message struct {
				Data    map[string]string `json:"data"`
				Android struct {
					Data map[string]string `json:"data"`
				} `json:"android"`
			} `json:"message"`
		}
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("fcmv1 accepted a body whose data are not strings: %v", err)
		}
	}
}
