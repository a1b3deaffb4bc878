package push_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/pushwire/push"
)

// FuzzCompileTemplate checks that whatever the template and the properties,
// CompileTemplate returns a typed error or a template whose expansion is
// well-formed (JSON for a JSON template, one-rooted XML for an XML one), equal
// to the body when nothing is expanded, and the same on every call.
func FuzzCompileTemplate(f *testing.F) {
	f.Add(`{"aps":{"alert":"$(message)","badge":"#(badge)"}}`, "message", "hi")
	f.Add(`{"a":"{'Hi, ' + .(name, 5) + %(q)}","b":[1,"$(x, 2)"]}`, "NAME", "Ünïcode")
	f.Add(`<toast launch="%(q)"><visual><binding template="ToastText01"><text id="1">$(message)</text></binding></visual></toast>`, "q", "a&b<c>\"'")
	f.Add("\uFEFF<?xml version=\"1.0\"?><tile><text><![CDATA[#(n)]]></text></tile>", "n", "\x00\xff")
	f.Add(`{"a":"$(a) $(b)"}`, "a", "1")
	f.Add(`<a b='{$(x) + "y"}'/>`, "x", "\r\n\t")
	f.Fuzz(func(t *testing.T, body, key, value string) {
		ct, err := push.CompileTemplate(body)
		if err != nil {
			var pe *push.Error
			if !errors.As(err, &pe) || !errors.Is(err, push.ErrInvalidNotification) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		props := map[string]string{key: value}
		got := ct.Expand(props)
		if !bytes.Equal(got, ct.Expand(props)) {
			t.Fatal("two expansions differ")
		}
		if len(ct.Properties()) == 0 && string(ct.Expand(nil)) != body {
			t.Fatalf("a template without expressions expanded to %q, want the body %q", ct.Expand(nil), body)
		}
		if ct.IsXML() {
			if err := oneRootXML(got); err != nil {
				t.Fatalf("expansion %q of %q is not XML: %v", got, body, err)
			}
			return
		}
		if !json.Valid(got) {
			t.Fatalf("expansion %q of %q is not JSON", got, body)
		}
	})
}

// oneRootXML reports why b is not a well-formed XML document with one root.
func oneRootXML(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if roots != 1 {
				return errors.New(strings.Repeat("root ", roots))
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}
