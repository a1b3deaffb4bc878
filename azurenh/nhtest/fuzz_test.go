package nhtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/textproto"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/pushwire/push"
)

func FuzzParseSAS(f *testing.F) {
	f.Add("SharedAccessSignature sr=https%3a%2f%2fns.servicebus.windows.net%2f&sig=abc%3d&se=1893456000&skn=RootManageSharedAccessKey")
	f.Add("SharedAccessSignature skn=a&se=1&sig=b&sr=c")
	f.Add("sharedaccesssignature   sr=a&sig=b&se=1&skn=c&extra=1")
	f.Add("SharedAccessSignature sr=a&sr=b&sig=b&se=1&skn=c")
	f.Add("SharedAccessSignature sr&sig=&se==&skn===")
	f.Add("SharedAccessSignature")
	f.Add("Bearer x")
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := parseSAS(header)
		if err != nil {
			return
		}
		if tok.sr == "" || tok.sig == "" || tok.se == "" || tok.skn == "" {
			t.Fatalf("parsed %q into a token with an empty field: %+v", header, tok)
		}
		validSignature("key", tok) // must not panic on any input
		if strings.ContainsRune(tok.sr+tok.sig+tok.se+tok.skn, '&') || strings.TrimRightFunc(tok.skn, unicode.IsSpace) != tok.skn {
			return // not representable in a canonical header, whose end is trimmed
		}
		again, err := parseSAS("SharedAccessSignature sr=" + tok.sr + "&sig=" + tok.sig + "&se=" + tok.se + "&skn=" + tok.skn)
		if err != nil || again != tok {
			t.Fatalf("re-parsing %+v gave %+v, %v", tok, again, err)
		}
	})
}

func FuzzReadBatch(f *testing.F) {
	body := "--B\r\nContent-type: application/json\r\nContent-Disposition: inline; name=notification\r\n\r\n{\"aps\":{}}\r\n" +
		"--B\r\nContent-Disposition: inline; name=devices\r\n\r\n[\"a\",\"b\"]\r\n--B--"
	f.Add(`multipart/mixed; boundary="B"`, []byte(body))
	f.Add(`multipart/mixed; boundary = "B"`, []byte(body))
	f.Add("multipart/form-data; boundary=B", []byte(body))
	f.Add("multipart/mixed; boundary=B", []byte("--B\r\n\r\n--B--"))
	f.Add("multipart/mixed; boundary=B", []byte("--B\r\nContent-Disposition: inline; name=devices\r\n\r\nnull\r\n--B--"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		b, err := readBatch(contentType, body)
		if err != nil {
			return
		}
		if b.devices == nil {
			t.Fatal("accepted a batch without devices")
		}
		ct, again := writeBatch(t, b)
		b2, err := readBatch(ct, again)
		if err != nil {
			t.Fatalf("re-reading %+v: %v", b, err)
		}
		if !reflect.DeepEqual(b, b2) && !(len(b.notification) == 0 && len(b2.notification) == 0) {
			t.Fatalf("round trip changed the batch:\n%+v\n%+v", b, b2)
		}
	})
}

// writeBatch encodes a batch as multipart/mixed.
func writeBatch(t *testing.T, b batchBody) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{"Content-Disposition": {"inline; name=notification"}}
	if b.contentType != "" && !strings.ContainsAny(b.contentType, "\r\n") {
		h.Set("Content-Type", b.contentType)
	}
	p, _ := w.CreatePart(h)
	p.Write(b.notification)
	p, _ = w.CreatePart(textproto.MIMEHeader{"Content-Disposition": {"inline; name=devices"}})
	devices, err := json.Marshal(b.devices)
	if err != nil {
		t.Fatal(err)
	}
	p.Write(devices)
	w.Close()
	return "multipart/mixed; boundary=" + w.Boundary(), buf.Bytes()
}

func FuzzApplyPatch(f *testing.F) {
	f.Add([]byte(`[{"op":"add","path":"/tags","value":"c"},{"op":"remove","path":"/tags/a"}]`))
	f.Add([]byte(`[{"op":"replace","path":"/templates/t/tags","value":"[\"x\",\"y\"]"}]`))
	f.Add([]byte(`[{"op":"add","path":"/pushVariables","value":"{\"a\":\"b\"}"},{"op":"remove","path":"/userId"}]`))
	f.Add([]byte(`[{"op":"add","path":"/templates/n","value":{"body":"b","headers":{"h":"v"}}}]`))
	f.Add([]byte(`[{"op":"remove","path":"/tags~1a"},{"op":"add","path":"/pushChannel","value":"new"}]`))
	f.Add([]byte(`[{"op":"add","path":"/tags","value":["a","$b"]}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		base := Installation{InstallationID: "i", Platform: push.Apple, PushChannel: PushChannel{Handle: "h"}, UserID: "u",
			Tags: []string{"a", "b"}, Templates: map[string]InstallationTemplate{"t": {Body: "{}", Tags: []string{"x"}}}}
		keep := base.Clone()
		out, err := applyPatch(base, body)
		if !reflect.DeepEqual(base, keep) {
			t.Fatal("applyPatch changed its input")
		}
		if err != nil {
			if !reflect.DeepEqual(out, keep) {
				t.Fatal("a refused patch returned a changed installation")
			}
			return
		}
		check := out.Clone()
		if err := check.validate(); err != nil || !reflect.DeepEqual(check, out) {
			t.Fatalf("a patch produced an installation that does not validate as is: %+v: %v", out, err)
		}
	})
}

// FuzzTemplatePayload stores any template body as the emulator does and, when
// it is accepted, expands it with any property value: the payload must be
// valid JSON, or well-formed XML for an XML template, as the device's platform
// needs it.
func FuzzTemplatePayload(f *testing.F) {
	f.Add(`{"aps":{"alert":"$(m)","badge":"#(n)"}}`, `a "quoted" \ value`)
	f.Add(`{"aps":{"alert":"{'Hi ' + .(m, 5) + %(m)}"}}`, "1e5")
	f.Add(`<toast launch="$(m)"><visual><binding template="ToastText01"><text id="1">$(m, 3)</text></binding></visual></toast>`, "<&'\">\x00")
	f.Add(`<?xml version="1.0"?><badge value="#(n)"/>`, "\xff\u2028")
	f.Fuzz(func(t *testing.T, body, value string) {
		templates, err := compileInstallationTemplates(map[string]InstallationTemplate{"t": {Body: body}})
		if err != nil {
			return
		}
		devices := []reached{{id: "i", format: "apple", handle: "h", templates: templates}}
		ps := expandPayloads(devices, map[string]string{"m": value, "n": value})
		if len(ps) != 1 || ps[0].ID != "i" || ps[0].Template != "t" {
			t.Fatalf("payloads %+v", ps)
		}
		if isXML := templates[0].body.IsXML(); isXML && !wellFormedXML(ps[0].Body) || !isXML && !json.Valid(ps[0].Body) {
			t.Fatalf("template %q with %q expanded to %q, which is not well-formed", body, value, ps[0].Body)
		}
	})
}
