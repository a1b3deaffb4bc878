package nhtest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push/pushtest"
)

// FuzzReadRegistration reads any body as a registration: it must not panic,
// and what it accepts must answer as an entry that reads back the same.
func FuzzReadRegistration(f *testing.F) {
	f.Add(`<entry xmlns="http://www.w3.org/2005/Atom"><content type="application/xml"><AppleRegistrationDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"><Tags>a, b</Tags><DeviceToken>AB</DeviceToken></AppleRegistrationDescription></content></entry>`)
	f.Add(`<entry><content><WindowsTemplateRegistrationDescription><ChannelUri>https://x/?a=1&amp;b=2</ChannelUri><BodyTemplate><![CDATA[<toast/>]]></BodyTemplate><WnsHeaders><WnsHeader><Header>X-WNS-Type</Header><Value>wns/toast</Value></WnsHeader></WnsHeaders></WindowsTemplateRegistrationDescription></content></entry>`)
	f.Add(`<BaiduTemplateRegistrationDescription><Tags i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/><BaiduUserId>u</BaiduUserId><BaiduChannelId>c</BaiduChannelId><BodyTemplate>{}</BodyTemplate><MessageType>1</MessageType></BaiduTemplateRegistrationDescription>`)
	f.Add(`<entry><content><BrowserRegistrationDescription><Endpoint>e</Endpoint><P256DH>k</P256DH><Auth>a</Auth><Extra><x/></Extra></BrowserRegistrationDescription></content></entry>`)
	f.Add(`<entry><content><AppleRegistrationDescription><DeviceToken>AB</DeviceToken><Tags>a</Tags></AppleRegistrationDescription></content></entry>`)
	f.Fuzz(func(t *testing.T, body string) {
		d, err := readDescription([]byte(body))
		if err != nil {
			return
		}
		st, _, err := newRegistration(d)
		if err != nil {
			return
		}
		st.reg.RegistrationID = "1-2-1"
		st.reg.ETag, st.reg.ExpirationTime = "1", noExpiry
		s := &Server{host: "h", hub: "hub", clock: pushtest.NewClock(time.Unix(0, 0))}
		var buf bytes.Buffer
		a := &atomWriter{enc: xml.NewEncoder(&buf)}
		a.registrationEntry(s, st, "2020-06")
		if a.err == nil {
			a.err = a.enc.Flush()
		}
		if a.err != nil {
			t.Fatalf("answering %q: %v", body, a.err)
		}
		d2, err := readDescription(buf.Bytes())
		if err != nil {
			t.Fatalf("re-reading %s: %v", buf.Bytes(), err)
		}
		again, warnings, err := newRegistration(d2)
		if err != nil {
			t.Fatalf("re-reading %s: %v", buf.Bytes(), err)
		}
		if len(warnings) > 0 {
			t.Fatalf("the answer %s is out of order: %q", buf.Bytes(), warnings)
		}
		again.reg.RegistrationID, again.reg.ETag, again.reg.ExpirationTime = st.reg.RegistrationID, st.reg.ETag, st.reg.ExpirationTime
		if strings.Join(again.reg.Tags, ",") != strings.Join(st.reg.Tags, ",") || again.reg.Handle != st.reg.Handle ||
			again.kind != st.kind || again.reg.Platform != st.reg.Platform || again.reg.Template != st.reg.Template || again.reg.BodyTemplate != st.reg.BodyTemplate || again.reg.TemplateName != st.reg.TemplateName {
			t.Fatalf("%+v read back as %+v", st.reg, again.reg)
		}
	})
}

// FuzzParseFilter reads any $filter: it must not panic, and each condition it
// accepts names a property of filterProperties.
func FuzzParseFilter(f *testing.F) {
	f.Add("DeviceToken eq 'AB'")
	f.Add("ChannelUri eq 'https%3A%2F%2Fx'")
	f.Add("BaiduUserId eq 'u' and BaiduChannelId eq 'it''s'")
	f.Add("Endpoint eq '%zz'")
	f.Add("DeviceToken eq 'ab")
	f.Add("Endpoint eq 'https%3A%2F%2Fpush.example%2F1' and P256DH eq 'BNcR-k_' and Auth eq 'tBHI'")
	f.Fuzz(func(t *testing.T, filter string) {
		conds, err := parseFilter(filter)
		if err != nil {
			return
		}
		if len(conds) == 0 {
			t.Fatalf("%q gave no condition", filter)
		}
		for _, c := range conds {
			found := false
			for _, p := range filterProperties {
				found = found || p == c.name
			}
			if !found {
				t.Fatalf("%q gave the condition %+v", filter, c)
			}
		}
	})
}

// FuzzParseContinuation reads any token: it must not panic, and the tokens the
// emulator writes read back.
func FuzzParseContinuation(f *testing.F) {
	f.Add("1!2!+nhtest=")
	f.Add("1!-1!+nhtest=")
	f.Add("")
	f.Add("!!")
	f.Fuzz(func(t *testing.T, token string) {
		seq, err := parseContinuation(token)
		if err != nil || token == "" {
			return
		}
		if again, err := parseContinuation(continuationToken(seq)); err != nil || again != seq {
			t.Fatalf("%q: seq %d does not read back: %d, %v", token, seq, again, err)
		}
	})
}

// FuzzServiceText checks that serviceText, given a document encoding/xml
// wrote, changes how it is written but not what it says: the same tokens, the
// same text and attributes.
func FuzzServiceText(f *testing.F) {
	f.Add(`say "hi" & 'bye'`, "a\tb\nc\rd", `<![CDATA[x]]>`)
	f.Add("", "&#34;", "<!-- &#39; -->")
	f.Fuzz(func(t *testing.T, text, attr, inner string) {
		type doc struct {
			XMLName xml.Name `xml:"Doc"`
			Attr    string   `xml:"a,attr"`
			Text    string   `xml:"Text"`
			Inner   struct {
				X string `xml:",innerxml"`
			} `xml:"Inner"`
		}
		in := doc{Attr: attr, Text: text}
		in.Inner.X = inner
		raw, err := xml.Marshal(in)
		if err != nil || !wellFormedXML(raw) {
			return
		}
		want := tokens(t, raw)
		got := tokens(t, serviceText(bytes.Clone(raw)))
		if want != got {
			t.Fatalf("%s\nreads as %s\nbut after serviceText as %s", raw, want, got)
		}
	})
}

// tokens returns the tokens of doc, printed, or "" when it does not parse.
func tokens(t *testing.T, doc []byte) string {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				return "error: " + err.Error()
			}
			return b.String()
		}
		fmt.Fprintf(&b, "%#v\n", xml.CopyToken(tok))
	}
}
