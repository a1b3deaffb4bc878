package push

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CompiledTemplate is a device's template body (the JSON or XML a device
// registers in an installation or template registration), parsed once and
// ready to expand with the properties of a Template notification. It is what
// Notification Hubs does for every device a template send reaches, done
// locally: test doubles show the payload each device would get, and an app
// can check its templates before devices register them.
//
// The expression language is the service's:
//
//	$(prop)       the property's value; "" when the send does not have it
//	$(prop, n)    the value clipped to n characters
//	.(prop, n)    clipped to n characters, the last three of them "..."
//	%(prop)       the value URI-encoded (RFC 3986: all but A-Z a-z 0-9 - . _ ~)
//	#(prop)       as $(prop); in JSON, a string that is exactly "#(prop)"
//	              becomes a JSON number when the value is one
//	'text' "text" a literal
//	{a + b + ...} the concatenation of expressions and literals, in braces
//
// Property names are case-insensitive and made of ASCII letters, digits and _.
// An expression fills a whole value: a JSON string value, an XML attribute
// value or an XML text node, give or take surrounding white space. Text that
// merely contains an expression ("Hi $(name)") is not one and is left as it
// is: the documented language has no such form, and users report the service
// leaving it unexpanded; write {'Hi ' + $(name)}. A value that starts like an
// expression but is not one ("$(a) $(b)", "{$(a) +}") is an error.
//
// A number, for #(prop), is what the service's documentation gives:
// (0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? — without a sign. Characters
// are Unicode code points. Expanded values are escaped for where they land, so
// the output is well-formed JSON or XML whatever the properties hold.
//
// A CompiledTemplate is immutable and safe for concurrent use.
type CompiledTemplate struct {
	body  string
	xml   bool
	parts []templatePart
	props []string
	size  int // a first guess at an expansion's length: the body, plus 16 per hole
}

// templatePart is a piece of the output: source text copied as it is, or a
// hole where an expression's value goes.
type templatePart struct {
	lit  string
	hole *templateHole
}

type holeKind uint8

const (
	holeJSONString  holeKind = iota // a JSON string value, quotes included
	holeJSONNumeric                 // "#(prop)": a number when the value is one
	holeXMLText                     // an XML text node
	holeXMLAttr                     // an XML attribute value, quotes excluded
)

type templateHole struct {
	kind      holeKind
	pre, post string // white space around the expression, decoded
	terms     []templateTerm
}

// templateTerm is a function call on a property, or a literal when fn is 0.
type templateTerm struct {
	fn   byte // '$', '.', '%', '#', or 0
	name string
	n    int // the clip length; -1 when none
	lit  string
}

// maxClip bounds n in $(prop, n) and .(prop, n): no notification is larger.
const maxClip = 1 << 20

// CompileTemplate parses a template body: a JSON object or an XML document (a
// byte-order mark and leading white space are allowed). The error, an *Error
// of kind ErrInvalidNotification, says what is malformed and where.
func CompileTemplate(body string) (*CompiledTemplate, error) {
	t := &CompiledTemplate{body: body}
	s := strings.TrimLeft(strings.TrimPrefix(body, "\uFEFF"), " \t\r\n")
	var err error
	switch {
	case strings.HasPrefix(s, "{"):
		err = t.compileJSON()
	case strings.HasPrefix(s, "<"):
		t.xml = true
		err = t.compileXML()
	case s == "":
		err = templateError("the template is empty")
	default:
		err = templateError(fmt.Sprintf("the template starts with %q; want a JSON object or an XML document", firstRune(s)))
	}
	if err != nil {
		return nil, err
	}
	t.size = len(body)
	for _, p := range t.parts {
		if p.hole != nil {
			t.size += 16
		}
	}
	return t, nil
}

// ExpandTemplate compiles body and expands it with props: a shorthand for
// CompileTemplate followed by Expand, for one-off use.
func ExpandTemplate(body string, props map[string]string) ([]byte, error) {
	t, err := CompileTemplate(body)
	if err != nil {
		return nil, err
	}
	return t.Expand(props), nil
}

// Body returns the template body as it was compiled.
func (t *CompiledTemplate) Body() string { return t.body }

// IsXML reports whether the template is an XML document (for windows and
// windowsphone devices) rather than a JSON object.
func (t *CompiledTemplate) IsXML() bool { return t.xml }

// Properties returns the names of the properties the template's expressions
// use, as first written, each once (compared case-insensitively), in order of
// appearance.
func (t *CompiledTemplate) Properties() []string {
	return append([]string(nil), t.props...)
}

// Expand returns the payload a device with this template receives for a
// Template notification with these properties. A property the template uses
// but props lacks expands to "". Property names match case-insensitively; when
// props holds several spellings of one name, the exact spelling wins, then the
// first in byte order.
func (t *CompiledTemplate) Expand(props map[string]string) []byte {
	return t.AppendExpand(make([]byte, 0, t.size), props)
}

// AppendExpand appends what Expand returns to dst and returns the extended
// buffer, for callers that expand many payloads into buffers of their own.
func (t *CompiledTemplate) AppendExpand(dst []byte, props map[string]string) []byte {
	out := dst
	for _, p := range t.parts {
		if p.hole == nil {
			out = append(out, p.lit...)
			continue
		}
		out = p.hole.append(out, props)
	}
	return out
}

func (h *templateHole) append(out []byte, props map[string]string) []byte {
	if h.kind == holeJSONNumeric {
		if v, _ := h.terms[0].eval(props); isTemplateNumber(v) {
			return append(out, v...)
		}
	}
	switch h.kind {
	case holeJSONString, holeJSONNumeric:
		out = append(out, '"')
		out = appendJSONEscaped(out, h.pre)
		for _, term := range h.terms {
			v, suffix := term.eval(props)
			out = appendJSONEscaped(appendJSONEscaped(out, v), suffix)
		}
		out = appendJSONEscaped(out, h.post)
		return append(out, '"')
	default:
		attr := h.kind == holeXMLAttr
		out = appendXMLEscaped(out, h.pre, attr)
		for _, term := range h.terms {
			v, suffix := term.eval(props)
			out = appendXMLEscaped(appendXMLEscaped(out, v, attr), suffix, attr)
		}
		return appendXMLEscaped(out, h.post, attr)
	}
}

// eval returns the term's value as two pieces to write one after the other,
// so that clipping with an ellipsis allocates nothing.
func (term templateTerm) eval(props map[string]string) (v, suffix string) {
	if term.fn == 0 {
		return term.lit, ""
	}
	v = lookupProperty(props, term.name)
	switch term.fn {
	case '$':
		if term.n >= 0 {
			v = clipRunes(v, term.n)
		}
	case '.':
		if utf8.RuneCountInString(v) > term.n {
			dots := min(term.n, 3)
			return clipRunes(v, term.n-dots), "..."[:dots]
		}
	case '%':
		v = uriEscape(v)
	}
	return v, ""
}

// lookupProperty finds name in props case-insensitively: the exact spelling
// first, then the smallest key in byte order that folds to it.
func lookupProperty(props map[string]string, name string) string {
	if v, ok := props[name]; ok {
		return v
	}
	var key, val string
	found := false
	for k, v := range props {
		if strings.EqualFold(k, name) && (!found || k < key) {
			key, val, found = k, v, true
		}
	}
	return val
}

func clipRunes(s string, n int) string {
	i := 0
	for range n {
		if i >= len(s) {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

func uriEscape(s string) string {
	const hex = "0123456789ABCDEF"
	clean := true
	for i := 0; i < len(s); i++ {
		if !unreservedURI(s[i]) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s)*3)
	for i := 0; i < len(s); i++ {
		if c := s[i]; unreservedURI(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func unreservedURI(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// isTemplateNumber matches (0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func isTemplateNumber(s string) bool {
	i := 0
	digits := func() int {
		start := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - start
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		digits()
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// appendJSONEscaped appends s escaped for the inside of a JSON string. Invalid
// UTF-8 becomes U+FFFD; <, > and & stay as they are.
func appendJSONEscaped(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				out = append(out, '\\', c)
			case c == '\n':
				out = append(out, '\\', 'n')
			case c == '\r':
				out = append(out, '\\', 'r')
			case c == '\t':
				out = append(out, '\\', 't')
			case c < 0x20:
				out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				out = append(out, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, "\ufffd"...)
		case r == '\u2028' || r == '\u2029':
			out = append(out, '\\', 'u', '2', '0', '2', hex[r&15])
		default:
			out = append(out, s[i:i+size]...)
		}
		i += size
	}
	return out
}

// appendXMLEscaped appends s escaped for XML text or, when attr is set, for an
// attribute value in either kind of quotes. A character XML cannot carry
// (most control characters, invalid UTF-8) becomes U+FFFD.
func appendXMLEscaped(out []byte, s string, attr bool) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			out = append(out, "&amp;"...)
		case r == '<':
			out = append(out, "&lt;"...)
		case r == '>':
			out = append(out, "&gt;"...)
		case attr && r == '"':
			out = append(out, "&quot;"...)
		case attr && r == '\'':
			out = append(out, "&apos;"...)
		case attr && r == '\t':
			out = append(out, "&#x9;"...)
		case attr && r == '\n':
			out = append(out, "&#xA;"...)
		case r == '\r':
			out = append(out, "&#xD;"...)
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			out = append(out, "\ufffd"...)
		default:
			out = utf8.AppendRune(out, r)
		}
	}
	return out
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// compileJSON splits a JSON template into literal source and holes: each
// string value (not a key) that is an expression becomes a hole.
func (t *CompiledTemplate) compileJSON() error {
	if !json.Valid([]byte(t.body)) {
		return templateError("the JSON template does not parse: " + jsonSyntax([]byte(t.body)))
	}
	dec := json.NewDecoder(strings.NewReader(t.body))
	dec.UseNumber()
	type frame struct{ object, wantKey bool }
	var stack []frame
	copied := 0 // t.body[:copied] is in t.parts
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil { // json.Valid accepted it
			return templateError("the JSON template does not parse: " + err.Error())
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		isKey := false
		if n := len(stack); n > 0 && stack[n-1].object {
			isKey = stack[n-1].wantKey
			stack[n-1].wantKey = !isKey
		}
		switch v := tok.(type) {
		case json.Delim:
			stack = append(stack, frame{object: v == '{', wantKey: true})
		case string:
			if isKey {
				continue
			}
			end := int(dec.InputOffset())
			start := before + strings.IndexByte(t.body[before:end], '"')
			hole, err := t.compileValue(v, holeJSONString)
			if err != nil {
				return err
			}
			if hole == nil {
				continue
			}
			t.parts = append(t.parts, templatePart{lit: t.body[copied:start]}, templatePart{hole: hole})
			copied = end
		}
	}
	t.parts = append(t.parts, templatePart{lit: t.body[copied:]})
	return nil
}

// compileXML splits an XML template into literal source and holes: each
// attribute value and each text node that is an expression becomes a hole.
func (t *CompiledTemplate) compileXML() error {
	dec := xml.NewDecoder(strings.NewReader(strings.TrimPrefix(t.body, "\uFEFF")))
	offset := len(t.body) - len(strings.TrimPrefix(t.body, "\uFEFF"))
	copied := 0
	roots := 0
	depth := 0
	for {
		before := offset + int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return templateError("the XML template does not parse: " + err.Error())
		}
		end := offset + int(dec.InputOffset())
		switch v := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
			positions := attrValuePositions(t.body[before:end])
			if len(positions) != len(v.Attr) {
				return templateError(fmt.Sprintf("the XML template's element <%s> at byte %d has attributes this parser cannot place", v.Name.Local, before+1))
			}
			for i, a := range v.Attr {
				hole, err := t.compileValue(a.Value, holeXMLAttr)
				if err != nil {
					return err
				}
				if hole == nil {
					continue
				}
				p := positions[i]
				t.parts = append(t.parts, templatePart{lit: t.body[copied : before+p[0]]}, templatePart{hole: hole})
				copied = before + p[1]
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			hole, err := t.compileValue(string(v), holeXMLText)
			if err != nil {
				return err
			}
			if hole == nil {
				continue
			}
			if depth == 0 {
				return templateError("the XML template has an expression outside its root element")
			}
			t.parts = append(t.parts, templatePart{lit: t.body[copied:before]}, templatePart{hole: hole})
			copied = end
		}
	}
	if roots != 1 {
		return templateError(fmt.Sprintf("the XML template has %d root elements; want 1", roots))
	}
	t.parts = append(t.parts, templatePart{lit: t.body[copied:]})
	return nil
}

// attrValuePositions returns, for a start tag the XML decoder accepted, the
// byte range of each attribute's value inside its quotes, in order.
func attrValuePositions(tag string) [][2]int {
	var out [][2]int
	i := 1
	for i < len(tag) && !xmlSpace(tag[i]) && tag[i] != '/' && tag[i] != '>' {
		i++
	}
	for i < len(tag) {
		for i < len(tag) && xmlSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] == '/' || tag[i] == '>' {
			break
		}
		eq := strings.IndexByte(tag[i:], '=')
		if eq < 0 {
			break
		}
		i += eq + 1
		for i < len(tag) && xmlSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] != '"' && tag[i] != '\'' {
			break
		}
		q := tag[i]
		closing := strings.IndexByte(tag[i+1:], q)
		if closing < 0 {
			break
		}
		out = append(out, [2]int{i + 1, i + 1 + closing})
		i += closing + 2
	}
	return out
}

func xmlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// compileValue parses one value (decoded) and returns its hole, or nil when
// the value is plain text.
func (t *CompiledTemplate) compileValue(v string, kind holeKind) (*templateHole, error) {
	core := strings.Trim(v, " \t\r\n")
	if core == "" {
		return nil, nil
	}
	lead := len(v) - len(strings.TrimLeft(v, " \t\r\n"))
	h := &templateHole{kind: kind, pre: v[:lead], post: v[lead+len(core):]}
	p := templateParser{value: v, s: core, base: lead}
	switch {
	case core[0] == '{' && core[len(core)-1] == '}':
		p.s, p.base = core[1:len(core)-1], lead+1
		terms, err := p.concat()
		if err != nil {
			if !mentionsExpression(p.s) {
				return nil, nil // text in braces, such as "{0}"
			}
			return nil, err
		}
		h.terms = terms
	case startsExpression(core):
		term, err := p.call()
		if err == nil && !p.atEnd() {
			err = p.errorf("an expression must fill the whole value; to add text, concatenate in braces: {%s + ' ...'}", core[:p.i])
		}
		if err != nil {
			return nil, err
		}
		h.terms = []templateTerm{term}
		if kind == holeJSONString && term.fn == '#' && h.pre == "" && h.post == "" {
			h.kind = holeJSONNumeric
		}
	default:
		return nil, nil
	}
	for _, term := range h.terms {
		t.addProperty(term)
	}
	return h, nil
}

func (t *CompiledTemplate) addProperty(term templateTerm) {
	if term.fn == 0 {
		return
	}
	for _, p := range t.props {
		if strings.EqualFold(p, term.name) {
			return
		}
	}
	t.props = append(t.props, term.name)
}

func startsExpression(s string) bool {
	return len(s) >= 2 && s[1] == '(' && strings.IndexByte("$.%#", s[0]) >= 0
}

func mentionsExpression(s string) bool {
	for _, open := range [...]string{"$(", ".(", "%(", "#(", "'", "\""} {
		if strings.Contains(s, open) {
			return true
		}
	}
	return false
}

// templateParser parses s, which sits at byte base of value.
type templateParser struct {
	value string
	s     string
	base  int
	i     int
}

func (p *templateParser) atEnd() bool { return p.i >= len(p.s) }

func (p *templateParser) skipSpace() {
	for p.i < len(p.s) && xmlSpace(p.s[p.i]) {
		p.i++
	}
}

func (p *templateParser) errorf(format string, args ...any) error {
	return templateError(fmt.Sprintf("value %.60q: column %d: %s", p.value, p.base+p.i+1, fmt.Sprintf(format, args...)))
}

// concat parses term (+ term)* up to the end of s.
func (p *templateParser) concat() ([]templateTerm, error) {
	var terms []templateTerm
	for {
		p.skipSpace()
		term, err := p.term()
		if err != nil {
			return nil, err
		}
		terms = append(terms, term)
		p.skipSpace()
		if p.atEnd() {
			return terms, nil
		}
		if p.s[p.i] != '+' {
			return nil, p.errorf("want + between expressions, found %q", firstRune(p.s[p.i:]))
		}
		p.i++
	}
}

func (p *templateParser) term() (templateTerm, error) {
	if p.atEnd() {
		return templateTerm{}, p.errorf("want an expression or a quoted literal, found the end")
	}
	if q := p.s[p.i]; q == '\'' || q == '"' {
		closing := strings.IndexByte(p.s[p.i+1:], q)
		if closing < 0 {
			return templateTerm{}, p.errorf("the literal has no closing %c", q)
		}
		lit := p.s[p.i+1 : p.i+1+closing]
		p.i += closing + 2
		return templateTerm{lit: lit, n: -1}, nil
	}
	if !startsExpression(p.s[p.i:]) {
		return templateTerm{}, p.errorf("want $(, .(, %%(, #( or a quoted literal, found %q", firstRune(p.s[p.i:]))
	}
	return p.call()
}

// call parses $(name), $(name, n), .(name, n), %(name) or #(name).
func (p *templateParser) call() (templateTerm, error) {
	fn := p.s[p.i]
	p.i += 2
	p.skipSpace()
	start := p.i
	for p.i < len(p.s) && propertyNameByte(p.s[p.i]) {
		p.i++
	}
	name := p.s[start:p.i]
	if name == "" {
		return templateTerm{}, p.errorf("want a property name of ASCII letters, digits and _")
	}
	if len(name) > MaxPropertyNameLength {
		return templateTerm{}, p.errorf("the property name has %d characters; the most is %d", len(name), MaxPropertyNameLength)
	}
	term := templateTerm{fn: fn, name: name, n: -1}
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ',' {
		if fn != '$' && fn != '.' {
			return templateTerm{}, p.errorf("%c(...) takes no length; only $(prop, n) and .(prop, n) do", fn)
		}
		p.i++
		p.skipSpace()
		start := p.i
		for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
			p.i++
		}
		n, err := strconv.Atoi(p.s[start:p.i])
		if err != nil || n > maxClip {
			p.i = start
			return templateTerm{}, p.errorf("want a length from 0 to %d", maxClip)
		}
		term.n = n
		p.skipSpace()
	} else if fn == '.' {
		return templateTerm{}, p.errorf(".(%s) needs a length: .(%s, n)", name, name)
	}
	if p.i >= len(p.s) || p.s[p.i] != ')' {
		if p.i >= len(p.s) {
			return templateTerm{}, p.errorf("want ), found the end")
		}
		return templateTerm{}, p.errorf("want ), found %q", firstRune(p.s[p.i:]))
	}
	p.i++
	return term, nil
}

// propertyNameByte reports whether c may appear in a template property name:
// the one home of the [A-Za-z0-9_] rule, for notifications and templates.
func propertyNameByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func firstRune(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	return string(r)
}

// templateError is a compile error. Op names the template, so that callers
// can quote Detail after their own words ("template "x" does not compile: ").
func templateError(detail string) error {
	return &Error{Op: "push: template", Kind: ErrInvalidNotification, Detail: detail}
}
