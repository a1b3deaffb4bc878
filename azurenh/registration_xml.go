package azurenh

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/pushwire/push"
)

// The XML namespaces of the management API.
const (
	nsAtom     = "http://www.w3.org/2005/Atom"
	nsConnect  = "http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"
	nsInstance = "http://www.w3.org/2001/XMLSchema-instance"
	nsArrays   = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
)

// opDecodeRegistration names registration decoding in errors.
const opDecodeRegistration = "azurenh: decode registration"

// encodeRegistrationRequest validates r and returns the body of a create or
// update request (POST /HUB/registrations, PUT /HUB/registrations/ID), an Atom
// entry:
//
//	<entry xmlns="http://www.w3.org/2005/Atom"><content type="application/xml">
//	  <AppleRegistrationDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"
//	      xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
//	    <Tags>a,b</Tags><DeviceToken>...</DeviceToken>
//	  </AppleRegistrationDescription>
//	</content></entry>
//
// The elements follow the order of the service's data contract, which it
// requires: Tags, PushVariables, then the handle (DeviceToken, ChannelUri and
// SecondaryTileName, BaiduUserId and BaiduChannelId, Endpoint, P256DH and Auth,
// or the platform's registration ID), then for a template BodyTemplate and the
// kind's own fields (AppleTemplate: Expiry, TemplateName, Priority, ApnsHeaders;
// WindowsTemplate: WnsHeaders, TemplateName; MpnsTemplate: MpnsHeaders,
// TemplateName; BaiduTemplate: TemplateName, MessageType; others: TemplateName).
// Empty fields are left out, and so are the ID (it is in the URL), the ETag (it
// travels in If-Match) and ExpirationTime, as the .NET SDK does. BodyTemplate is
// a CDATA section, as the SDKs write it (escaped text when it holds a carriage
// return, which CDATA cannot keep).
func encodeRegistrationRequest(r Registration) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return encodeEntry(func(w *xmlWriter) { w.registration(r, false) }, r.Kind.elementName())
}

// encodeRegistrationEntry returns r as the service answers a read, a create or
// an update: the Atom entry of encodeRegistrationRequest with ETag,
// ExpirationTime and RegistrationId first. It does not validate r; a kind it does
// not know is written with the common fields only. Tests that play the
// service answer with it.
func encodeRegistrationEntry(r Registration) ([]byte, error) {
	if err := checkKindName(r.Kind); err != nil {
		return nil, err
	}
	return encodeEntry(func(w *xmlWriter) { w.registration(r, true) }, r.Kind.elementName())
}

// encodeRegistrationFeed returns registrations as the service lists them: an
// Atom feed of the entries of encodeRegistrationEntry.
func encodeRegistrationFeed(rs []Registration) ([]byte, error) {
	for _, r := range rs {
		if err := checkKindName(r.Kind); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	w := newXMLWriter(&buf)
	feed := xml.Name{Space: nsAtom, Local: "feed"}
	w.start(feed)
	w.text("title", "Registrations")
	for _, r := range rs {
		w.entry(r.Kind.elementName(), func(w *xmlWriter) { w.registration(r, true) })
	}
	w.end(feed)
	if err := w.flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkKindName refuses a kind that cannot name an XML element.
func checkKindName(k RegistrationKind) error {
	if k.Valid() || isXMLName(string(k)) {
		return nil
	}
	return invalidRegistration("kind %q cannot name a registration description", string(k))
}

// isXMLName reports whether s can name an element without a prefix: a letter
// or '_', then letters, digits, '_', '-' or '.'.
func isXMLName(s string) bool {
	for i, r := range s {
		ok := unicode.IsLetter(r) || r == '_' || i > 0 && (unicode.IsDigit(r) || r == '-' || r == '.')
		if !ok {
			return false
		}
	}
	return s != ""
}

// encodeEntry writes an Atom entry around the description element desc.
func encodeEntry(fields func(*xmlWriter), desc string) ([]byte, error) {
	var buf bytes.Buffer
	w := newXMLWriter(&buf)
	w.entry(desc, fields)
	if err := w.flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xmlWriter writes XML with encoding/xml, keeping the first error.
type xmlWriter struct {
	enc *xml.Encoder
	err error
}

func newXMLWriter(out io.Writer) *xmlWriter { return &xmlWriter{enc: xml.NewEncoder(out)} }

func (w *xmlWriter) token(t xml.Token) {
	if w.err == nil {
		w.err = w.enc.EncodeToken(t)
	}
}

func (w *xmlWriter) element(v any, name string) {
	if w.err == nil {
		w.err = w.enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}})
	}
}

func (w *xmlWriter) start(name xml.Name, attrs ...xml.Attr) {
	w.token(xml.StartElement{Name: name, Attr: attrs})
}

func (w *xmlWriter) end(name xml.Name) { w.token(xml.EndElement{Name: name}) }

func (w *xmlWriter) flush() error {
	if w.err == nil {
		w.err = w.enc.Flush()
	}
	return w.err
}

// entry writes <entry><content type="application/xml"><DESC ...>fields</DESC>
// </content></entry>, DESC in the connect namespace.
func (w *xmlWriter) entry(desc string, fields func(*xmlWriter)) {
	entry := xml.Name{Space: nsAtom, Local: "entry"}
	content := xml.Name{Local: "content"}
	w.start(entry)
	w.start(content, xml.Attr{Name: xml.Name{Local: "type"}, Value: "application/xml"})
	w.description(desc, fields)
	w.end(content)
	w.end(entry)
}

// description writes <DESC xmlns=connect xmlns:i=instance>fields</DESC>.
func (w *xmlWriter) description(desc string, fields func(*xmlWriter)) {
	name := xml.Name{Space: nsConnect, Local: desc}
	w.start(name, xml.Attr{Name: xml.Name{Local: "xmlns:i"}, Value: nsInstance})
	fields(w)
	w.end(name)
}

// text writes <name>value</name>, or nothing when value is empty.
func (w *xmlWriter) text(name, value string) {
	if value != "" {
		w.element(value, name)
	}
}

// cdata writes <name><![CDATA[value]]></name>, or escaped text when value holds
// a carriage return (an XML reader turns one in CDATA into a line feed).
func (w *xmlWriter) cdata(name, value string) {
	if strings.ContainsRune(value, '\r') {
		w.text(name, value)
		return
	}
	w.element(struct {
		Text string `xml:",cdata"`
	}{value}, name)
}

// time writes a time in RFC 3339, or nothing for the zero time.
func (w *xmlWriter) time(name string, t time.Time) {
	if !t.IsZero() {
		w.text(name, t.Format(time.RFC3339Nano))
	}
}

// templateHeaderXML is one header of a template registration.
type templateHeaderXML struct {
	Header string `xml:"Header"`
	Value  string `xml:"Value"`
}

// headers writes <list><item><Header>k</Header><Value>v</Value></item>...</list>
// in key order, or nothing when h is empty.
func (w *xmlWriter) headers(list, item string, h map[string]string) {
	if len(h) == 0 {
		return
	}
	name := xml.Name{Local: list}
	w.start(name)
	for _, k := range slices.Sorted(maps.Keys(h)) {
		w.element(templateHeaderXML{Header: k, Value: h[k]}, item)
	}
	w.end(name)
}

// registration writes the fields of r in the order of the data contract; full
// adds the fields the service sets.
func (w *xmlWriter) registration(r Registration, full bool) {
	if full {
		w.text("ETag", r.ETag)
		w.time("ExpirationTime", r.ExpirationTime)
		w.text("RegistrationId", r.ID)
	}
	w.text("Tags", strings.Join(r.Tags, ","))
	w.text("PushVariables", pushVariablesText(r.PushVariables))
	w.handle(r)
	if r.Kind.IsTemplate() {
		w.template(r)
	}
}

// pushVariablesText returns the JSON text of vars, with characters XML cannot
// carry escaped, or "" when there is none.
func pushVariablesText(vars map[string]string) string {
	if len(vars) == 0 {
		return ""
	}
	b, err := marshalNoEscape(vars)
	if err != nil {
		return ""
	}
	return escapeNonXML(string(b))
}

// escapeNonXML escapes as \uXXXX, inside JSON text, the characters XML cannot
// carry (U+FFFE and U+FFFF; JSON already escapes control characters).
func escapeNonXML(s string) string {
	if badXMLChar(s) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isXMLChar(r) {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// handle writes the device handle elements of r's kind.
func (w *xmlWriter) handle(r Registration) {
	switch f := r.Kind.PushPlatform(); f {
	case push.Windows, push.WindowsPhone:
		w.text("ChannelUri", r.Handle)
		w.text("SecondaryTileName", r.SecondaryTileName)
	case push.Baidu:
		w.text("BaiduUserId", r.BaiduUserID)
		w.text("BaiduChannelId", r.BaiduChannelID)
	case push.Browser:
		w.text("Endpoint", r.Browser.Endpoint)
		w.text("P256DH", r.Browser.P256DH)
		w.text("Auth", r.Browser.Auth)
	case "":
	default:
		w.text(handleElement(r.Kind), r.Handle)
	}
}

// template writes the template fields of r's kind.
func (w *xmlWriter) template(r Registration) {
	w.cdata("BodyTemplate", r.BodyTemplate)
	switch r.Kind.PushPlatform() {
	case push.Apple:
		w.text("Expiry", r.Expiry)
		w.text("TemplateName", r.TemplateName)
		w.text("Priority", r.Priority)
		w.headers("ApnsHeaders", "ApnsHeader", r.Headers)
	case push.Windows:
		w.headers("WnsHeaders", "WnsHeader", r.Headers)
		w.text("TemplateName", r.TemplateName)
	case push.WindowsPhone:
		w.headers("MpnsHeaders", "MpnsHeader", r.Headers)
		w.text("TemplateName", r.TemplateName)
	case push.Baidu:
		w.text("TemplateName", r.TemplateName)
		if r.BaiduMessageType != nil {
			w.text("MessageType", strconv.Itoa(*r.BaiduMessageType))
		}
	default:
		w.text("TemplateName", r.TemplateName)
	}
}

// descriptionXML is any registration description, read by local names in any
// order; unknown elements are ignored.
type descriptionXML struct {
	XMLName              xml.Name
	ETag                 string              `xml:"ETag"`
	ExpirationTime       string              `xml:"ExpirationTime"`
	RegistrationID       string              `xml:"RegistrationId"`
	Tags                 string              `xml:"Tags"`
	PushVariables        string              `xml:"PushVariables"`
	DeviceToken          string              `xml:"DeviceToken"`
	FcmV1RegistrationID  string              `xml:"FcmV1RegistrationId"`
	GcmRegistrationID    string              `xml:"GcmRegistrationId"`
	ChannelURI           string              `xml:"ChannelUri"`
	SecondaryTileName    string              `xml:"SecondaryTileName"`
	AdmRegistrationID    string              `xml:"AdmRegistrationId"`
	XiaomiRegistrationID string              `xml:"XiaomiRegistrationId"`
	BaiduUserID          string              `xml:"BaiduUserId"`
	BaiduChannelID       string              `xml:"BaiduChannelId"`
	Endpoint             string              `xml:"Endpoint"`
	P256DH               string              `xml:"P256DH"`
	Auth                 string              `xml:"Auth"`
	BodyTemplate         string              `xml:"BodyTemplate"`
	Expiry               string              `xml:"Expiry"`
	TemplateName         string              `xml:"TemplateName"`
	Priority             string              `xml:"Priority"`
	MessageType          string              `xml:"MessageType"`
	WnsHeaders           []templateHeaderXML `xml:"WnsHeaders>WnsHeader"`
	MpnsHeaders          []templateHeaderXML `xml:"MpnsHeaders>MpnsHeader"`
	ApnsHeaders          []templateHeaderXML `xml:"ApnsHeaders>ApnsHeader"`
}

// atomContentXML is the content of an Atom entry: one description of any name.
type atomContentXML struct {
	Description *descriptionXML `xml:",any"`
}

type atomEntryXML struct {
	Content atomContentXML `xml:"content"`
}

type atomFeedXML struct {
	Entries []atomEntryXML `xml:"entry"`
}

// decodeRegistration reads the answer to a read, a create or an update of a
// registration: an Atom entry whose content is a registration description (a
// bare description is accepted too). Elements are matched by local name in any
// order and namespace; unknown ones are ignored, missing ones left empty; text
// is trimmed (BodyTemplate excepted). A description of a kind this package does
// not know gives a Registration of that Kind with the common fields only. The
// error is a *push.Error with Op "azurenh: decode registration" and no Kind.
func decodeRegistration(data []byte) (Registration, error) {
	root, d, err := rootElement(data)
	if err != nil {
		return Registration{}, decodeError(opDecodeRegistration, err)
	}
	var desc *descriptionXML
	switch {
	case root.Name.Local == "entry":
		var e atomEntryXML
		err = d.DecodeElement(&e, &root)
		desc = e.Content.Description
	case strings.HasSuffix(root.Name.Local, descriptionSuffix):
		desc = new(descriptionXML)
		err = d.DecodeElement(desc, &root)
	default:
		err = fmt.Errorf("the root element is <%s>, not an Atom <entry>", root.Name.Local)
	}
	if err != nil {
		return Registration{}, decodeError(opDecodeRegistration, err)
	}
	return desc.registration()
}

// decodeRegistrationFeed reads a list of registrations: an Atom feed of entries,
// each read as decodeRegistration reads one. A feed without entries gives nil;
// an entry alone gives one registration.
func decodeRegistrationFeed(data []byte) ([]Registration, error) {
	root, d, err := rootElement(data)
	if err != nil {
		return nil, decodeError(opDecodeRegistration, err)
	}
	var feed atomFeedXML
	switch root.Name.Local {
	case "feed":
		err = d.DecodeElement(&feed, &root)
	case "entry":
		feed.Entries = make([]atomEntryXML, 1)
		err = d.DecodeElement(&feed.Entries[0], &root)
	default:
		err = fmt.Errorf("the root element is <%s>, not an Atom <feed>", root.Name.Local)
	}
	if err != nil {
		return nil, decodeError(opDecodeRegistration, err)
	}
	return feed.registrations()
}

func (f atomFeedXML) registrations() ([]Registration, error) {
	var out []Registration
	for i, e := range f.Entries {
		r, err := e.Content.Description.registration()
		if err != nil {
			return nil, decodeError(opDecodeRegistration, fmt.Errorf("entry %d: %w", i, decodeCause(err)))
		}
		out = append(out, r)
	}
	return out, nil
}

// decodeError wraps a decoding error. A document that does not parse has no
// sentinel of its own: the Kind is nil, the cause in Err.
func decodeError(op string, err error) error {
	var e *push.Error
	if errors.As(err, &e) && e.Op == op {
		return e
	}
	return &push.Error{Op: op, Detail: "the document does not parse", Err: err}
}

// decodeCause returns the cause of a decoding error made by decodeError.
func decodeCause(err error) error {
	var e *push.Error
	if errors.As(err, &e) && e.Err != nil {
		return e.Err
	}
	return err
}

// registration turns a decoded description into a Registration.
func (d *descriptionXML) registration() (Registration, error) {
	if d == nil {
		return Registration{}, decodeError(opDecodeRegistration, errors.New("the entry has no registration description in its <content>"))
	}
	local := d.XMLName.Local
	if !strings.HasSuffix(local, descriptionSuffix) || local == descriptionSuffix {
		return Registration{}, decodeError(opDecodeRegistration, fmt.Errorf("<%s> is not a registration description", local))
	}
	r := Registration{Kind: RegistrationKind(strings.TrimSuffix(local, descriptionSuffix))}
	if err := d.common(&r); err != nil {
		return Registration{}, decodeError(opDecodeRegistration, err)
	}
	d.handle(&r)
	if r.Kind.IsTemplate() {
		if err := d.template(&r); err != nil {
			return Registration{}, decodeError(opDecodeRegistration, err)
		}
	}
	return r, nil
}

// common reads the fields every description has.
func (d *descriptionXML) common(r *Registration) error {
	r.ETag, r.ID = strings.TrimSpace(d.ETag), strings.TrimSpace(d.RegistrationID)
	r.Tags = splitTags(d.Tags)
	if s := strings.TrimSpace(d.ExpirationTime); s != "" {
		t, err := parseServiceTime(s)
		if err != nil {
			return fmt.Errorf("ExpirationTime: %w", err)
		}
		r.ExpirationTime = t
	}
	if s := strings.TrimSpace(d.PushVariables); s != "" {
		if err := json.Unmarshal([]byte(s), &r.PushVariables); err != nil {
			return fmt.Errorf("PushVariables is not a JSON object of strings: %w", err)
		}
		if len(r.PushVariables) == 0 {
			r.PushVariables = nil
		}
	}
	return nil
}

// splitTags splits comma-separated tags, trimming each and dropping empty ones.
func splitTags(s string) []string {
	var tags []string
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// handle reads the handle elements of r's kind.
func (d *descriptionXML) handle(r *Registration) {
	switch r.Kind.PushPlatform() {
	case push.Apple:
		r.Handle = strings.TrimSpace(d.DeviceToken)
	case push.FCMV1:
		r.Handle = strings.TrimSpace(d.FcmV1RegistrationID)
	case formatGCM:
		r.Handle = strings.TrimSpace(d.GcmRegistrationID)
	case push.ADM:
		r.Handle = strings.TrimSpace(d.AdmRegistrationID)
	case push.Xiaomi:
		r.Handle = strings.TrimSpace(d.XiaomiRegistrationID)
	case push.Windows, push.WindowsPhone:
		r.Handle, r.SecondaryTileName = strings.TrimSpace(d.ChannelURI), strings.TrimSpace(d.SecondaryTileName)
	case push.Baidu:
		r.BaiduUserID, r.BaiduChannelID = strings.TrimSpace(d.BaiduUserID), strings.TrimSpace(d.BaiduChannelID)
	case push.Browser:
		r.Browser = push.BrowserSubscription{Endpoint: strings.TrimSpace(d.Endpoint),
			P256DH: strings.TrimSpace(d.P256DH), Auth: strings.TrimSpace(d.Auth)}
	}
}

// template reads the template fields of r's kind.
func (d *descriptionXML) template(r *Registration) error {
	r.BodyTemplate, r.TemplateName = d.BodyTemplate, strings.TrimSpace(d.TemplateName)
	switch r.Kind.PushPlatform() {
	case push.Apple:
		r.Expiry, r.Priority = strings.TrimSpace(d.Expiry), strings.TrimSpace(d.Priority)
		r.Headers = headerMap(d.ApnsHeaders)
	case push.Windows:
		r.Headers = headerMap(d.WnsHeaders)
	case push.WindowsPhone:
		r.Headers = headerMap(d.MpnsHeaders)
	case push.Baidu:
		return d.messageType(r)
	}
	return nil
}

func (d *descriptionXML) messageType(r *Registration) error {
	s := strings.TrimSpace(d.MessageType)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("<MessageType> %q is not a number", clipText(s, 20))
	}
	r.BaiduMessageType = &n
	return nil
}

// headerMap turns decoded headers into a map, trimming names and values; nil
// when there is none.
func headerMap(hs []templateHeaderXML) map[string]string {
	if len(hs) == 0 {
		return nil
	}
	m := make(map[string]string, len(hs))
	for _, h := range hs {
		m[strings.TrimSpace(h.Header)] = strings.TrimSpace(h.Value)
	}
	return m
}

// rootElement returns the first element of data and the decoder positioned
// after it.
func rootElement(data []byte) (xml.StartElement, *xml.Decoder, error) {
	d, err := newXMLDecoder(bytes.NewReader(data))
	if err != nil {
		return xml.StartElement{}, nil, err
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return xml.StartElement{}, nil, errors.New("the document has no element")
		}
		if err != nil {
			return xml.StartElement{}, nil, err
		}
		if start, ok := tok.(xml.StartElement); ok {
			return start, d, nil
		}
	}
}

// newXMLDecoder returns a decoder of r that reads UTF-8 and UTF-16 (with a
// byte-order mark), skips a UTF-8 byte-order mark, and accepts a declaration
// of encoding "utf-16" on UTF-8 text, which the service writes in feedback blobs.
func newXMLDecoder(r io.Reader) (*xml.Decoder, error) {
	r, err := utf8Reader(r)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(r)
	d.CharsetReader = passUnicode
	return d, nil
}

// passUnicode is a CharsetReader for text that is UTF-8 by now, whatever its
// declaration says, as long as the declaration names a Unicode encoding.
func passUnicode(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "utf-16", "utf16", "utf-16le", "utf-16be", "unicode", "us-ascii", "ascii":
		return r, nil
	}
	return nil, fmt.Errorf("the document declares encoding %q; want UTF-8 or UTF-16", clipText(label, 20))
}

// utf8Reader returns r as UTF-8: without a UTF-8 byte-order mark, or
// transcoded from UTF-16 when it starts with a UTF-16 byte-order mark.
func utf8Reader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	bom, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, nil
	case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}), bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
		return fromUTF16(br, bom[0] == 0xFF)
	}
	return br, nil
}

// fromUTF16 reads all of r, UTF-16 text after its byte-order mark, as UTF-8.
func fromUTF16(r io.Reader, little bool) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	b = b[2:]
	if len(b)%2 != 0 {
		return nil, errors.New("the UTF-16 text has an odd number of bytes")
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if little {
			units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		} else {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
	}
	return strings.NewReader(string(utf16.Decode(units))), nil
}
