package push_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// forecast is the property set of the tests: a Template notification's body.
var forecast = map[string]string{
	"title":   "This is the title line",
	"message": `Rain & "wind" <tonight>`,
	"badge":   "40",
	"temp":    "-3",
	"ratio":   "0.5e+3",
	"query":   "a b&c/é~",
	"empty":   "",
	"Day1":    "Mon",
}

func TestExpandTemplate(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		// JSON: string values only, escaped for JSON.
		{"json property", `{"aps":{"alert":"$(message)"}}`, `{"aps":{"alert":"Rain & \"wind\" <tonight>"}}`},
		{"json keys stay", `{"$(title)":"x"}`, `{"$(title)":"x"}`},
		{"json formatting kept", "{ \"a\" :\n\t\"$(badge)\" , \"n\": 1.50, \"b\": [true, null, \"$(day1)\"] }",
			"{ \"a\" :\n\t\"40\" , \"n\": 1.50, \"b\": [true, null, \"Mon\"] }"},
		{"json number from #", `{"aps":{"badge":"#(badge)"}}`, `{"aps":{"badge":40}}`},
		{"json exponent is a number", `{"r":"#(ratio)"}`, `{"r":0.5e+3}`},
		{"json signed is no number", `{"t":"#(temp)"}`, `{"t":"-3"}`},
		{"json text is no number", `{"t":"#(title)"}`, `{"t":"This is the title line"}`},
		{"json empty is no number", `{"t":"#(empty)"}`, `{"t":""}`},
		{"json # in braces stays a string", `{"b":"{#(badge)}"}`, `{"b":"40"}`},
		{"json # with spaces stays a string", `{"b":" #(badge)"}`, `{"b":" 40"}`},
		{"json in arrays", `{"a":["$(badge)",{"b":"$(day1)"}]}`, `{"a":["40",{"b":"Mon"}]}`},
		{"json escapes in the template", `{"a":"\u0024(badge)"}`, `{"a":"40"}`},

		// The functions.
		{"missing property", `{"a":"$(nothing)"}`, `{"a":""}`},
		{"case-insensitive names", `{"a":"$(TITLE)","b":"$(day1)"}`, `{"a":"This is the title line","b":"Mon"}`},
		{"clip", `{"a":"$(title, 7)"}`, `{"a":"This is"}`},
		{"clip longer than value", `{"a":"$(badge,10)"}`, `{"a":"40"}`},
		{"clip to zero", `{"a":"$(title, 0)"}`, `{"a":""}`},
		{"ellipsis, the service's example", `{"a":".(title, 20)"}`, `{"a":"This is the title..."}`},
		{"ellipsis not needed", `{"a":".(badge, 2)"}`, `{"a":"40"}`},
		{"ellipsis shorter than dots", `{"a":".(title, 2)"}`, `{"a":".."}`},
		{"uri", `{"u":"%(query)"}`, `{"u":"a%20b%26c%2F%C3%A9~"}`},
		{"concatenation", `{"a":"{'Hi, ' + $(day1) + \" - \" + .(title, 9)}"}`, `{"a":"Hi, Mon - This i..."}`},
		{"concatenation without spaces", `{"a":"{$(badge)+$(badge)}"}`, `{"a":"4040"}`},
		{"a literal alone", `{"a":"{'x'}"}`, `{"a":"x"}`},
		{"white space around kept", `{"a":"  $(badge)\t"}`, `{"a":"  40\t"}`},
		{"spaces inside the call", `{"a":"$( title , 4 )"}`, `{"a":"This"}`},

		// Plain text is not an expression.
		{"embedded is text", `{"a":"Hi $(day1)"}`, `{"a":"Hi $(day1)"}`},
		{"braces as text", `{"a":"{0}","b":"{}"}`, `{"a":"{0}","b":"{}"}`},
		{"dollar text", `{"a":"$5","b":"#1"}`, `{"a":"$5","b":"#1"}`},

		// XML: attribute values and text nodes, escaped for XML.
		{"xml text", `<toast><visual><binding template="ToastText01"><text id="1">$(message)</text></binding></visual></toast>`,
			`<toast><visual><binding template="ToastText01"><text id="1">Rain &amp; "wind" &lt;tonight&gt;</text></binding></visual></toast>`},
		{"xml attribute", `<toast launch="$(message)"/>`, `<toast launch="Rain &amp; &quot;wind&quot; &lt;tonight&gt;"/>`},
		{"xml attribute in single quotes", `<toast launch='{"page=" + %(query)}'/>`, `<toast launch='page=a%20b%26c%2F%C3%A9~'/>`},
		{"xml several attributes", `<image id="1" src="$(day1)" alt="x"/>`, `<image id="1" src="Mon" alt="x"/>`},
		{"xml # is text", `<badge value="#(badge)"/>`, `<badge value="40"/>`},
		{"xml text with white space", "<text>\n  .(title, 10)\n</text>", "<text>\n  This is...\n</text>"},
		{"xml declaration and bom kept", "\uFEFF<?xml version=\"1.0\"?>\n<tile><text>$(day1)</text></tile>",
			"\uFEFF<?xml version=\"1.0\"?>\n<tile><text>Mon</text></tile>"},
		{"xml cdata", `<text><![CDATA[$(message)]]></text>`, `<text>Rain &amp; "wind" &lt;tonight&gt;</text>`},
		{"xml entity in template", `<text>&#36;(day1)</text>`, `<text>Mon</text>`},
		{"xml namespaces kept", `<wp:Notification xmlns:wp="WPNotification"><wp:Text1>$(day1)</wp:Text1></wp:Notification>`,
			`<wp:Notification xmlns:wp="WPNotification"><wp:Text1>Mon</wp:Text1></wp:Notification>`},
		{"xml comment untouched", `<t><!-- $(day1) --><x>$(day1)</x></t>`, `<t><!-- $(day1) --><x>Mon</x></t>`},
		{"xml embedded is text", `<text>Hi $(day1)</text>`, `<text>Hi $(day1)</text>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := push.ExpandTemplate(tt.body, forecast)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			assertWellFormed(t, tt.body, got)
		})
	}
}

// assertWellFormed checks that an expansion parses as its template does.
func assertWellFormed(t *testing.T, body string, got []byte) {
	t.Helper()
	if strings.HasPrefix(strings.TrimLeft(strings.TrimPrefix(body, "\uFEFF"), " \t\r\n"), "{") {
		assert.True(t, json.Valid(got), "not JSON: %s", got)
		return
	}
	dec := xml.NewDecoder(strings.NewReader(strings.TrimPrefix(string(got), "\uFEFF")))
	for {
		_, err := dec.Token()
		if err != nil {
			assert.ErrorIs(t, err, errEOF, "not XML: %s", got)
			return
		}
	}
}

// The payload a device gets is escaped for where it lands, whatever the
// property holds: quotes, control characters, invalid UTF-8.
func TestExpandTemplateEscapesHostileValues(t *testing.T) {
	props := map[string]string{"v": "\"\\\x00\x1f\u2028</text>]]>\xff'\r\n\t"}
	got, err := push.ExpandTemplate(`{"a":"$(v)"}`, props)
	require.NoError(t, err)
	assert.Equal(t, `{"a":"\"\\\u0000\u001f\u2028</text>]]>`+"\uFFFD"+`'\r\n\t"}`, string(got))
	var back map[string]string
	require.NoError(t, json.Unmarshal(got, &back))

	got, err = push.ExpandTemplate(`<t a="$(v)">$(v)</t>`, props)
	require.NoError(t, err)
	assert.Equal(t, "<t a=\"&quot;\\\uFFFD\uFFFD\u2028&lt;/text&gt;]]&gt;\uFFFD&apos;&#xD;&#xA;&#x9;\">"+
		"\"\\\uFFFD\uFFFD\u2028&lt;/text&gt;]]&gt;\uFFFD'&#xD;\n\t</t>", string(got))
	var parsed struct {
		A    string `xml:"a,attr"`
		Text string `xml:",chardata"`
	}
	require.NoError(t, xml.Unmarshal(got, &parsed))
	assert.Equal(t, "\"\\\uFFFD\uFFFD\u2028</text>]]>\uFFFD'\r\n\t", parsed.A, "the attribute reads back as the value")
}

func TestCompileTemplateErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "  ", "the template is empty"},
		{"neither", "hello", `the template starts with "h"; want a JSON object or an XML document`},
		{"json array", `[{"a":"$(x)"}]`, `the template starts with "["`},
		{"json syntax", `{"a":}`, "the JSON template does not parse: invalid character '}' looking for beginning of value (at byte 6)"},
		{"json cut", `{"a":"$(x)"`, "the JSON template does not parse: unexpected end of JSON input"},
		{"json after the object", `{"a":1} {}`, "the JSON template does not parse: invalid character '{' after top-level value"},
		{"xml syntax", `<toast><text>$(x)</toast>`, "the XML template does not parse"},
		{"xml two roots", `<a/><b/>`, "the XML template has 2 root elements; want 1"},
		{"unclosed call", `{"a":"$(title"}`, `value "$(title": column 8: want ), found the end`},
		{"bad name", `{"a":"$(ti-tle)"}`, `value "$(ti-tle)": column 5: want ), found "-"`},
		{"no name", `{"a":"$( )"}`, `value "$( )": column 4: want a property name of ASCII letters, digits and _`},
		{"long name", `{"a":"$(` + strings.Repeat("n", 121) + `)"}`, "the property name has 121 characters; the most is 120"},
		{"ellipsis without length", `{"a":".(title)"}`, ".(title) needs a length: .(title, n)"},
		{"length on %", `{"a":"%(title, 3)"}`, "%(...) takes no length; only $(prop, n) and .(prop, n) do"},
		{"length not a number", `{"a":"$(title, x)"}`, `column 10: want a length from 0 to 1048576`},
		{"length too large", `{"a":"$(title, 99999999999999999999)"}`, "want a length from 0 to 1048576"},
		{"two expressions", `{"a":"$(a) $(b)"}`, "column 5: an expression must fill the whole value; to add text, concatenate in braces: {$(a) + ' ...'}"},
		{"dangling plus", `{"a":"{$(a) +}"}`, `value "{$(a) +}": column 8: want an expression or a quoted literal, found the end`},
		{"missing plus", `{"a":"{$(a) 'b'}"}`, `want + between expressions, found "'"`},
		{"unclosed literal", `{"a":"{'abc}"}`, "the literal has no closing '"},
		{"bare word in braces", `{"a":"{$(a) + b}"}`, `want $(, .(, %(, #( or a quoted literal, found "b"`},
		{"xml attribute", `<a b="$(x"/>`, `value "$(x": column 4: want ), found the end`},
		{"xml text", `<a>{$(x) +}</a>`, `want an expression or a quoted literal`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, err := push.CompileTemplate(tt.body)
			require.Error(t, err)
			assert.Nil(t, ct)
			assert.ErrorIs(t, err, push.ErrInvalidNotification)
			var pe *push.Error
			require.True(t, errors.As(err, &pe))
			assert.Contains(t, pe.Detail, tt.want)
			assert.Equal(t, "push: template", pe.Op, "the error says it is about a template")
		})
	}
}

func TestCompiledTemplateProperties(t *testing.T) {
	ct, err := push.CompileTemplate(`{"a":"{$(Title) + ' ' + .(title, 3) + 'x'}","b":"#(badge)","c":"%(q)","$(key)":"Hi $(no)"}`)
	require.NoError(t, err)
	assert.Equal(t, []string{"Title", "badge", "q"}, ct.Properties(), "each once, case-insensitively, as first written; keys and text are not expressions")
	ct.Properties()[0] = "changed"
	assert.Equal(t, "Title", ct.Properties()[0], "Properties returns a copy")
	assert.False(t, ct.IsXML())

	ct, err = push.CompileTemplate(`<toast launch="%(q)"><text>$(q)</text></toast>`)
	require.NoError(t, err)
	assert.Equal(t, []string{"q"}, ct.Properties())
	assert.True(t, ct.IsXML())
	assert.Equal(t, `<toast launch="%(q)"><text>$(q)</text></toast>`, ct.Body())
}

func TestCompiledTemplateWithoutExpressions(t *testing.T) {
	for _, body := range []string{`{"aps":{"alert":"static"}}`, `<toast><visual/></toast>`} {
		ct, err := push.CompileTemplate(body)
		require.NoError(t, err)
		assert.Empty(t, ct.Properties())
		assert.Equal(t, body, string(ct.Expand(nil)))
	}
}

func TestExpandPropertySpellings(t *testing.T) {
	ct, err := push.CompileTemplate(`{"a":"$(Name)"}`)
	require.NoError(t, err)
	assert.Equal(t, `{"a":"exact"}`, string(ct.Expand(map[string]string{"NAME": "upper", "Name": "exact", "name": "lower"})))
	assert.Equal(t, `{"a":"upper"}`, string(ct.Expand(map[string]string{"NAME": "upper", "name": "lower"})), "the first in byte order")
}

func TestCompiledTemplateConcurrentExpand(t *testing.T) {
	ct, err := push.CompileTemplate(`{"aps":{"alert":".(title, 12)","badge":"#(badge)"}}`)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := string(ct.Expand(forecast)); got != `{"aps":{"alert":"This is t...","badge":40}}` {
					t.Errorf("got %s", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

// A Template notification built from an Alert reaches a device whose template
// uses the Alert's property names.
func TestExpandAlertTemplateProperties(t *testing.T) {
	badge := 3
	a := push.Alert{Title: "Order shipped", Body: "#42 is on its way", Badge: &badge, Data: map[string]string{"orderID": "42"}}
	got, err := push.ExpandTemplate(`{"aps":{"alert":{"title":"$(title)","body":"$(body)"},"badge":"#(badge)"},"order":"$(data_orderID)"}`, a.TemplateProperties())
	require.NoError(t, err)
	assert.JSONEq(t, `{"aps":{"alert":{"title":"Order shipped","body":"#42 is on its way"},"badge":3},"order":"42"}`, string(got))
}

var errEOF = io.EOF

func TestAppendExpand(t *testing.T) {
	ct, err := push.CompileTemplate(`{"a":".(title, 9)"}`)
	require.NoError(t, err)
	buf := []byte("prefix:")
	buf = ct.AppendExpand(buf, forecast)
	assert.Equal(t, `prefix:{"a":"This i..."}`, string(buf))
	allocs := testing.AllocsPerRun(100, func() { buf = ct.AppendExpand(buf[:0], forecast) })
	assert.Zero(t, allocs, "expanding into a buffer with room, clipping included, allocates nothing")
}
