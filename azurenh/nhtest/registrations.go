package nhtest

import (
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushwire/push"
)

// The XML namespaces of the management API.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsConnect = "http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"
)

// Headers of the registrations API.
const (
	headerIfMatch           = "If-Match"
	headerETag              = "ETag"
	headerContinuationToken = "X-MS-ContinuationToken"
	contentTypeAtom         = "application/atom+xml;type=entry;charset=utf-8"
)

// Limits of registration listings.
const (
	// MaxRegistrationPage is the most registrations one page of a listing holds,
	// and the page size when the request has no $top.
	MaxRegistrationPage = 100
	// MaxRegistrationTags is the most tags a registration may carry.
	MaxRegistrationTags = push.MaxDeviceTags
)

// descriptionSuffix ends the name of every registration description element.
const descriptionSuffix = "RegistrationDescription"

// Registration is a registration of the registrations API as the emulator keeps
// it: the description a client wrote in its Atom entry, read leniently, and
// what the emulator assigned. Registrations and Registration read them.
type Registration struct {
	// RegistrationID is the ID, from POST /registrationIDs or POST /registrations.
	RegistrationID string
	// Platform is the send format that reaches the registration: push.Apple
	// for an AppleRegistrationDescription or an
	// AppleTemplateRegistrationDescription, push.Windows for a
	// WindowsRegistrationDescription, ...
	Platform push.Platform
	// Template says it is a template registration (a ...TemplateRegistrationDescription).
	Template bool
	// ETag counts the writes of the registration, from "1".
	ETag string
	// ExpirationTime is when the service would delete it, as written.
	ExpirationTime string
	// Tags are the tags, without duplicates.
	Tags []string
	// Handle is the device handle: the DeviceToken, FcmV1RegistrationId,
	// GcmRegistrationId, ChannelUri, AdmRegistrationId, XiaomiRegistrationId,
	// the browser's Endpoint, or Baidu's "BaiduUserId-BaiduChannelId".
	Handle string
	// BodyTemplate and TemplateName are those of a template registration.
	BodyTemplate string
	TemplateName string
}

// Clone returns a deep copy of r.
func (r Registration) Clone() Registration {
	r.Tags = slices.Clone(r.Tags)
	return r
}

// kindSpec is what the emulator knows of a registration kind: its send format
// and, in the order of the service's data contract, the elements of its handle
// and of its template.
type kindSpec struct {
	format   push.Platform
	handle   []string
	template []string
}

// commonElements come first in every description, in this order.
var commonElements = []string{"ETag", "ExpirationTime", "RegistrationId", "Tags", "PushVariables"}

// registrationKinds are the native kinds; "Template" appended names the template
// kind of each.
var registrationKinds = map[string]kindSpec{
	"Apple":   {push.Apple, []string{"DeviceToken"}, []string{"BodyTemplate", "Expiry", "TemplateName", "Priority", "ApnsHeaders"}},
	"FcmV1":   {push.FCMV1, []string{"FcmV1RegistrationId"}, []string{"BodyTemplate", "TemplateName"}},
	"Gcm":     {"gcm", []string{"GcmRegistrationId"}, []string{"BodyTemplate", "TemplateName"}},
	"Windows": {push.Windows, []string{"ChannelUri", "SecondaryTileName"}, []string{"BodyTemplate", "WnsHeaders", "TemplateName"}},
	"Mpns":    {push.WindowsPhone, []string{"ChannelUri", "SecondaryTileName"}, []string{"BodyTemplate", "MpnsHeaders", "TemplateName"}},
	"Adm":     {push.ADM, []string{"AdmRegistrationId"}, []string{"BodyTemplate", "TemplateName"}},
	"Baidu":   {push.Baidu, []string{"BaiduUserId", "BaiduChannelId"}, []string{"BodyTemplate", "TemplateName", "MessageType"}},
	"Browser": {push.Browser, []string{"Endpoint", "P256DH", "Auth"}, []string{"BodyTemplate", "TemplateName"}},
	"Xiaomi":  {push.Xiaomi, []string{"XiaomiRegistrationId"}, []string{"BodyTemplate", "TemplateName"}},
}

// specOf returns the spec of a kind and whether it is a template kind.
func specOf(kind string) (kindSpec, bool, bool) {
	native, template := strings.CutSuffix(kind, "Template")
	spec, ok := registrationKinds[native]
	return spec, template, ok
}

// elementOrder returns the elements of a description of the kind, in order.
func (k kindSpec) elementOrder(template bool) []string {
	order := append(slices.Clone(commonElements), k.handle...)
	if template {
		order = append(order, k.template...)
	}
	return order
}

// storedRegistration is a registration as the emulator keeps it: never modified
// once stored.
type storedRegistration struct {
	reg    Registration
	kind   string  // the description type, without "RegistrationDescription": "Apple", "WindowsTemplate", ...
	seq    int64   // creation order, for listings
	etag   int64   // reg.ETag as a number
	fields []field // the elements to echo, in order, without ETag, ExpirationTime, RegistrationId and Tags
	format string  // the send format of its platform
	// templates holds, for a template registration, its BodyTemplate compiled
	// (one template); nil for a native registration.
	templates []namedTemplate
	// handle holds the text of each element of the handle (DeviceToken, or
	// Endpoint, P256DH and Auth, ...), trimmed, for $filter.
	handle map[string]string
}

// field is one element of a description, as sent.
type field struct {
	XMLName xml.Name
	Nil     string `xml:"http://www.w3.org/2001/XMLSchema-instance nil,attr"`
	Inner   string `xml:",innerxml"`
}

// descriptionIn is a registration description as a client writes it.
type descriptionIn struct {
	XMLName xml.Name
	Fields  []field `xml:",any"`
}

// entryIn is an Atom entry as a client writes it; a bare description is read too.
type entryIn struct {
	XMLName xml.Name
	Content struct {
		Description *descriptionIn `xml:",any"`
	} `xml:"content"`
	Fields []field `xml:",any"`
}

// readDescription reads the description element of an Atom entry.
func readDescription(body []byte) (descriptionIn, error) {
	var e entryIn
	if err := xml.Unmarshal(body, &e); err != nil {
		return descriptionIn{}, detailf("The request body is not an Atom entry: %v.", err)
	}
	switch {
	case e.XMLName.Local == "entry" && e.Content.Description != nil:
		return *e.Content.Description, nil
	case e.XMLName.Local == "entry":
		return descriptionIn{}, detailError("The Atom entry has no registration description in its <content>.")
	case strings.HasSuffix(e.XMLName.Local, descriptionSuffix):
		return descriptionIn{XMLName: e.XMLName, Fields: e.Fields}, nil
	}
	return descriptionIn{}, detailf("The request body is a <%s>, not an Atom entry.", e.XMLName.Local)
}

// newRegistration reads a description into a registration to store, checking it
// as the service does: a known kind; its elements in the order of the data
// contract, each once (the service's reader skips an element out of order, or
// repeated, so that the registration then lacks it: so does the emulator,
// returning a warning for each); the handle; at most 60 valid tags; a
// template's body, which must compile (push.CompileTemplate), and X-WNS-Type
// among a Windows template's headers.
func newRegistration(d descriptionIn) (*storedRegistration, []string, error) {
	kind, ok := strings.CutSuffix(d.XMLName.Local, descriptionSuffix)
	spec, template, known := specOf(kind)
	if !ok || !known {
		return nil, nil, detailf("The registration description <%s> is not supported.", d.XMLName.Local)
	}
	values, kept, warnings, err := orderedFields(d, spec.elementOrder(template))
	if err != nil {
		return nil, warnings, err
	}
	st := &storedRegistration{reg: Registration{Platform: spec.format, Template: template}, kind: kind,
		format: string(spec.format), handle: make(map[string]string, len(spec.handle))}
	for _, f := range kept {
		if !slices.Contains(commonElements[:4], f.XMLName.Local) {
			st.fields = append(st.fields, field{XMLName: xml.Name{Local: f.XMLName.Local}, Inner: f.Inner})
		}
	}
	if err := st.fill(spec, template, values); err != nil {
		return nil, warnings, err
	}
	return st, warnings, nil
}

// orderedFields returns the text of each known element of d and the elements
// kept, in order. An element out of the order of the data contract, or there a
// second time, is skipped as the service's reader skips it, with a warning
// that says so. Unknown elements and elements of other kinds are ignored, as
// the service's reader does; elements with i:nil="true" are empty.
func orderedFields(d descriptionIn, order []string) (map[string]string, []field, []string, error) {
	values := make(map[string]string, len(d.Fields))
	var kept []field
	var warnings []string
	last, lastName := -1, ""
	for _, f := range d.Fields {
		i := slices.Index(order, f.XMLName.Local)
		if i < 0 {
			continue
		}
		name := f.XMLName.Local
		if _, dup := values[name]; dup || i < last {
			how := "after <" + lastName + ">"
			if dup {
				how = "a second time"
			}
			warnings = append(warnings, fmt.Sprintf("The %s has <%s> %s: the service's reader skips it, so the registration is stored without it (it reads the elements in the order %s).",
				d.XMLName.Local, name, how, strings.Join(order, ", ")))
			continue
		}
		last, lastName = i, name
		values[name] = ""
		if f.Nil != "true" {
			text, err := innerText(f.Inner)
			if err != nil {
				return nil, nil, warnings, detailf("The element <%s> does not parse: %v.", name, err)
			}
			values[name] = text
		}
		kept = append(kept, f)
	}
	return values, kept, warnings, nil
}

// innerText returns the character data of an element's content, entities and
// CDATA decoded.
func innerText(inner string) (string, error) {
	d := xml.NewDecoder(strings.NewReader(inner))
	var b strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}

// fill sets the registration's fields from the elements' text and checks them.
func (st *storedRegistration) fill(spec kindSpec, template bool, values map[string]string) error {
	r := &st.reg
	tags, err := registrationTags(values["Tags"])
	if err != nil {
		return err
	}
	r.Tags = tags
	if err := st.fillHandle(spec, values); err != nil {
		return err
	}
	if !template {
		return nil
	}
	r.BodyTemplate, r.TemplateName = values["BodyTemplate"], strings.TrimSpace(values["TemplateName"])
	if strings.TrimSpace(r.BodyTemplate) == "" {
		return detailf("The %s%s has no BodyTemplate.", st.kind, descriptionSuffix)
	}
	if spec.format == push.Windows && !st.hasHeader("WnsHeaders", "X-WNS-Type") {
		return detailError("A Windows template registration needs the WnsHeader X-WNS-Type (wns/toast, wns/tile, wns/badge or wns/raw).")
	}
	t, err := compileRegistrationTemplate(st.kind, *r)
	if err != nil {
		return err
	}
	st.templates = []namedTemplate{t}
	return nil
}

// fillHandle sets the handle and checks that every element of it is present.
func (st *storedRegistration) fillHandle(spec kindSpec, values map[string]string) error {
	for _, name := range spec.handle {
		v := strings.TrimSpace(values[name])
		switch {
		case name != "SecondaryTileName" && v == "":
			return detailf("The %s%s has no %s.", st.kind, descriptionSuffix, name)
		case !utf8.ValidString(v):
			return detailf("The %s of the %s%s is not valid UTF-8.", name, st.kind, descriptionSuffix)
		}
		st.handle[name] = v
	}
	switch spec.format {
	case push.Baidu:
		st.reg.Handle = strings.TrimSpace(values["BaiduUserId"]) + "-" + strings.TrimSpace(values["BaiduChannelId"])
	default:
		st.reg.Handle = strings.TrimSpace(values[spec.handle[0]])
	}
	return nil
}

// hasHeader reports whether the header list element list holds the header name.
func (st *storedRegistration) hasHeader(list, name string) bool {
	for _, f := range st.fields {
		if f.XMLName.Local != list {
			continue
		}
		var h struct {
			Items []struct {
				Header string `xml:"Header"`
			} `xml:",any"`
		}
		if xml.Unmarshal([]byte("<h>"+f.Inner+"</h>"), &h) != nil {
			return false
		}
		for _, item := range h.Items {
			if strings.EqualFold(strings.TrimSpace(item.Header), name) {
				return true
			}
		}
	}
	return false
}

// registrationTags splits comma-separated tags, drops duplicates and checks them.
func registrationTags(text string) ([]string, error) {
	var tags []string
	for t := range strings.SplitSeq(text, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if push.ValidateTag(t) != nil {
			return nil, detailf("An invalid tag(s) '%s' was supplied. Valid tag characters are alphanumeric, _, @, -, ., : and #.", t)
		}
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	if len(tags) > MaxRegistrationTags {
		return nil, detailf("The registration has %d tags; a registration carries at most %d.", len(tags), MaxRegistrationTags)
	}
	return tags, nil
}

// Registration returns a copy of the registration with the given ID.
func (s *Server) Registration(id string) (Registration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.state.registrations[id]
	if !ok {
		return Registration{}, false
	}
	return st.reg.Clone(), true
}

// Registrations returns a copy of every registration, in order of creation.
func (s *Server) Registrations() []Registration {
	s.mu.Lock()
	defer s.mu.Unlock()
	sts := s.sortedRegistrations(func(*storedRegistration) bool { return true })
	out := make([]Registration, len(sts))
	for i, st := range sts {
		out[i] = st.reg.Clone()
	}
	return out
}

// sortedRegistrations returns the registrations keep accepts, in order of
// creation. The caller holds s.mu.
func (s *Server) sortedRegistrations(keep func(*storedRegistration) bool) []*storedRegistration {
	var out []*storedRegistration
	for _, st := range s.state.registrations {
		if keep(st) {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b *storedRegistration) int { return int(a.seq - b.seq) })
	return out
}

// serveRegistrations serves the registrations API.
func (s *Server) serveRegistrations(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	switch {
	case x.target.op == opRegistrationID:
		return s.serveRegistrationID(w, x)
	case x.target.op == opRegistrationsByTag:
		return s.serveByTag(w, r, x)
	case x.target.op == opRegistrations && r.Method == http.MethodPost:
		return s.createRegistration(w, r, x)
	case x.target.op == opRegistrations:
		return s.serveList(w, r, x)
	case r.Method == http.MethodGet:
		return s.getRegistration(w, x)
	case r.Method == http.MethodPut:
		return s.putRegistration(w, r, x)
	}
	return s.deleteRegistration(w, r, x)
}

// serveRegistrationID answers POST /registrationIDs: 201 with a new ID in
// Location, which a PUT /registrations/{id} may then use.
func (s *Server) serveRegistrationID(w http.ResponseWriter, x *exchange) *apiError {
	id := s.newRegistrationID()
	s.mu.Lock()
	s.state.issued[id] = true
	s.mu.Unlock()
	w.Header().Set(headerLocation, s.registrationURL(id, x.apiVersion))
	w.WriteHeader(http.StatusCreated)
	return nil
}

// newRegistrationID returns an ID in the service's form: two random numbers and
// a sequence, "8247220326459738692-7051034435533335934-1".
func (s *Server) newRegistrationID() string {
	var b [16]byte
	s.random.read(b[:])
	a := binary.BigEndian.Uint64(b[:8]) >> 1
	c := binary.BigEndian.Uint64(b[8:]) >> 1
	return strconv.FormatUint(a, 10) + "-" + strconv.FormatUint(c, 10) + "-1"
}

func (s *Server) registrationURL(id, apiVersion string) string {
	return "https://" + s.host + "/" + s.hub + "/registrations/" + id + "?api-version=" + apiVersion
}

// readRegistration reads and checks the body of a create or update, recording
// a warning for each element the service would skip.
func (s *Server) readRegistration(r *http.Request) (*storedRegistration, *apiError) {
	ct := r.Header.Get("Content-Type")
	if !mediaTypeIs(ct, "application/atom+xml") && !mediaTypeIs(ct, "application/xml") {
		return nil, badRequest("A registration is written as Content-Type: application/atom+xml;type=entry;charset=utf-8, not '" + ct + "'.")
	}
	body, aerr := readBody(r, maxBodySize)
	if aerr != nil {
		return nil, aerr
	}
	d, err := readDescription(body)
	if err != nil {
		return nil, badRequest(err.Error())
	}
	st, warnings, err := newRegistration(d)
	for _, w := range warnings {
		s.warn(r, w)
	}
	if err != nil {
		return nil, badRequest(err.Error())
	}
	return st, nil
}

// createRegistration answers POST /registrations: 201 with the stored entry.
func (s *Server) createRegistration(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	st, aerr := s.readRegistration(r)
	if aerr != nil {
		return aerr
	}
	st.reg.RegistrationID = s.newRegistrationID()
	s.storeRegistration(st, 1)
	return s.writeRegistration(w, http.StatusCreated, st, x.apiVersion)
}

// storeRegistration stores st with the given ETag and its read-only fields set.
func (s *Server) storeRegistration(st *storedRegistration, etag int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storeLocked(st, etag)
}

// storeLocked is storeRegistration for a caller that holds s.mu.
func (s *Server) storeLocked(st *storedRegistration, etag int64) {
	st.etag = etag
	st.reg.ETag = strconv.FormatInt(etag, 10)
	st.reg.ExpirationTime = noExpiry
	s.state.regSeq++
	st.seq = s.state.regSeq
	if old, ok := s.state.registrations[st.reg.RegistrationID]; ok {
		st.seq = old.seq
	}
	s.state.registrations[st.reg.RegistrationID] = st
}

// getRegistration answers GET /registrations/{id}: 200 with the entry, or 404.
func (s *Server) getRegistration(w http.ResponseWriter, x *exchange) *apiError {
	st, ok := s.storedRegistration(x.target.id)
	if !ok {
		return registrationNotFound(x.target.id)
	}
	return s.writeRegistration(w, http.StatusOK, st, x.apiVersion)
}

func (s *Server) storedRegistration(id string) (*storedRegistration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.state.registrations[id]
	return st, ok
}

func registrationNotFound(id string) *apiError {
	return newError(http.StatusNotFound, "The registration '"+id+"' was not found.")
}

// putRegistration answers PUT /registrations/{id}. With If-Match, an update:
// 404 when the registration does not exist, 412 when the ETag differs, 200.
// Without, a create or overwrite: 201 when new (the ID must come from POST
// /registrationIDs, or the service answers 410), 200 when replaced.
func (s *Server) putRegistration(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	id := x.target.id
	st, aerr := s.readRegistration(r)
	if aerr != nil {
		return aerr
	}
	st.reg.RegistrationID = id
	status, aerr := s.replaceRegistration(st, r.Header)
	if aerr != nil {
		return aerr
	}
	return s.writeRegistration(w, status, st, x.apiVersion)
}

// replaceRegistration stores st in place of the registration of its ID, under
// the conditions of putRegistration, and returns the status to answer.
func (s *Server) replaceRegistration(st *storedRegistration, h http.Header) (int, *apiError) {
	id := st.reg.RegistrationID
	s.mu.Lock()
	defer s.mu.Unlock()
	old, exists := s.state.registrations[id]
	_, update := h[headerIfMatch]
	switch {
	case update && !exists:
		return 0, registrationNotFound(id)
	case update && !etagMatches(h.Get(headerIfMatch), old.etag):
		return 0, preconditionFailed(id, old.etag)
	case !exists && !s.state.issued[id]:
		return 0, newError(http.StatusGone, "Cannot use the registration ID '"+id+"': get one from POST /registrationIDs.")
	}
	if !exists {
		s.storeLocked(st, 1)
		return http.StatusCreated, nil
	}
	s.storeLocked(st, old.etag+1)
	return http.StatusOK, nil
}

// deleteRegistration answers DELETE /registrations/{id}: 200, 404 when it does
// not exist, 412 when If-Match names another ETag (no If-Match is "*").
func (s *Server) deleteRegistration(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	if aerr := s.removeRegistration(x.target.id, r.Header.Get(headerIfMatch)); aerr != nil {
		return aerr
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// removeRegistration deletes the registration id if ifMatch ("" for any) names
// its ETag.
func (s *Server) removeRegistration(id, ifMatch string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.state.registrations[id]
	switch {
	case !ok:
		return registrationNotFound(id)
	case ifMatch != "" && !etagMatches(ifMatch, st.etag):
		return preconditionFailed(id, st.etag)
	}
	delete(s.state.registrations, id)
	return nil
}

func preconditionFailed(id string, etag int64) *apiError {
	return newError(http.StatusPreconditionFailed, "The registration '"+id+"' has the ETag "+strconv.FormatInt(etag, 10)+", not the one of If-Match.")
}

// etagMatches reports whether an If-Match value names etag: "*", or a list of
// ETags, quoted or not, weak (W/"...") or not.
func etagMatches(ifMatch string, etag int64) bool {
	want := strconv.FormatInt(etag, 10)
	for v := range strings.SplitSeq(ifMatch, ",") {
		v = strings.TrimSpace(v)
		if v == "*" {
			return true
		}
		v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
		if v == want {
			return true
		}
	}
	return false
}

// serveByTag answers GET /tags/{tag}/registrations: the registrations that
// carry the tag, in pages.
func (s *Server) serveByTag(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	tag := x.target.id
	if push.ValidateTag(tag) != nil {
		return badRequest("An invalid tag(s) '" + tag + "' was supplied. Valid tag characters are alphanumeric, _, @, -, ., : and #.")
	}
	return s.writeList(w, r, x, func(st *storedRegistration) bool { return slices.Contains(st.reg.Tags, tag) })
}

// serveList answers GET /registrations: every registration, or those of one
// channel with $filter, in pages.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	keep := func(*storedRegistration) bool { return true }
	if f := r.URL.Query().Get("$filter"); f != "" {
		conds, err := parseFilter(f)
		if err != nil {
			return badRequest(err.Error())
		}
		keep = conds.match
	}
	return s.writeList(w, r, x, keep)
}

// writeList answers with the page of the registrations keep accepts that
// $top and continuationtoken ask for, and the token of the next page, if any,
// in X-MS-ContinuationToken.
func (s *Server) writeList(w http.ResponseWriter, r *http.Request, x *exchange, keep func(*storedRegistration) bool) *apiError {
	q := r.URL.Query()
	top, aerr := pageSize(q.Get("$top"))
	if aerr != nil {
		return aerr
	}
	from, aerr := parseContinuation(queryFold(q, "continuationtoken"))
	if aerr != nil {
		return aerr
	}
	s.mu.Lock()
	all := s.sortedRegistrations(func(st *storedRegistration) bool { return st.seq >= from && keep(st) })
	s.mu.Unlock()
	page := all[:min(top, len(all))]
	if len(all) > top {
		w.Header().Set(headerContinuationToken, continuationToken(all[top].seq))
	}
	return s.writeFeed(w, page, x.apiVersion)
}

// queryFold returns the first value of the parameter named name in any case.
func queryFold(q map[string][]string, name string) string {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// pageSize reads $top: 1 or more, at most MaxRegistrationPage; absent means
// MaxRegistrationPage.
func pageSize(v string) (int, *apiError) {
	if v == "" {
		return MaxRegistrationPage, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, badRequest("The $top query parameter '" + v + "' is not a positive number.")
	}
	return min(n, MaxRegistrationPage), nil
}

// continuationToken returns the token of a page that starts at the registration
// created seq-th. Like the service's, it holds characters that a query must
// escape ('!', '+', '='), so that a client that does not pass it back verbatim
// gets a 400.
func continuationToken(seq int64) string {
	return "1!" + strconv.FormatInt(seq, 10) + "!+nhtest="
}

// parseContinuation reads a continuation token; "" is the first page.
func parseContinuation(token string) (int64, *apiError) {
	if token == "" {
		return 0, nil
	}
	rest, ok := strings.CutPrefix(token, "1!")
	num, tail, ok2 := strings.Cut(rest, "!")
	seq, err := strconv.ParseInt(num, 10, 64)
	if !ok || !ok2 || tail != "+nhtest=" || err != nil || seq < 1 {
		return 0, badRequest("The continuation token '" + token + "' is not valid: pass back the X-MS-ContinuationToken of the previous page verbatim.")
	}
	return seq, nil
}

// filterCond is one condition of a $filter: an element of the description
// equal to a value.
type filterCond struct {
	name, value string
}

type filterConds []filterCond

// filterProperties are the properties a $filter may compare: the elements of
// the handles. The JavaScript SDK lists a browser's registrations by
// Endpoint, P256DH and Auth together.
var filterProperties = []string{"DeviceToken", "FcmV1RegistrationId", "GcmRegistrationId", "ChannelUri", "AdmRegistrationId",
	"XiaomiRegistrationId", "BaiduUserId", "BaiduChannelId", "Endpoint", "P256DH", "Auth"}

// parseFilter reads the $filter of a listing by channel: conditions
// "Property eq 'value'" joined by " and ", a quote in a value doubled. A
// ChannelUri or Endpoint value is URL-encoded, and decoded here; a DeviceToken
// must be in upper case, as the REST reference requires.
func parseFilter(f string) (filterConds, error) {
	var conds filterConds
	rest := strings.TrimSpace(f)
	for {
		c, tail, err := parseCondition(rest)
		if err != nil {
			return nil, detailf("Notification hubs do not support this query: $filter=%s (%v).", f, err)
		}
		conds = append(conds, c)
		if tail = strings.TrimSpace(tail); tail == "" {
			return conds, nil
		}
		var ok bool
		if rest, ok = strings.CutPrefix(tail, "and "); !ok {
			return nil, detailf("Notification hubs do not support this query: $filter=%s (conditions are joined by 'and').", f)
		}
	}
}

// parseCondition reads "Property eq 'value'" at the start of s.
func parseCondition(s string) (filterCond, string, error) {
	name, rest, ok := strings.Cut(strings.TrimSpace(s), " eq '")
	if !ok || !slices.Contains(filterProperties, strings.TrimSpace(name)) {
		return filterCond{}, "", errors.New("want Property eq 'value' with a property of " + strings.Join(filterProperties, ", "))
	}
	var value strings.Builder
	for i := 0; i < len(rest); i++ {
		if rest[i] != '\'' {
			value.WriteByte(rest[i])
			continue
		}
		if i+1 < len(rest) && rest[i+1] == '\'' {
			value.WriteByte('\'')
			i++
			continue
		}
		c, err := newCondition(strings.TrimSpace(name), value.String())
		return c, rest[i+1:], err
	}
	return filterCond{}, "", errors.New("the value has no closing quote")
}

// newCondition decodes the value of a condition.
func newCondition(name, value string) (filterCond, error) {
	switch name {
	case "ChannelUri", "Endpoint":
		decoded, err := url.PathUnescape(value)
		if err != nil {
			return filterCond{}, errors.New("the " + name + " is not URL-encoded")
		}
		value = decoded
	case "DeviceToken":
		if value != strings.ToUpper(value) {
			return filterCond{}, errors.New("the DeviceToken must be in upper case")
		}
	}
	return filterCond{name: name, value: value}, nil
}

// match reports whether a registration meets every condition.
func (cs filterConds) match(st *storedRegistration) bool {
	for _, c := range cs {
		if !c.match(st) {
			return false
		}
	}
	return true
}

// match compares the element of the condition with the registration's; a
// registration whose kind lacks the element does not match.
func (c filterCond) match(st *storedRegistration) bool {
	v, ok := st.handle[c.name]
	switch {
	case !ok:
		return false
	case c.name == "DeviceToken":
		return strings.EqualFold(v, c.value)
	}
	return v == c.value
}

// writeRegistration answers with one registration entry and its ETag.
func (s *Server) writeRegistration(w http.ResponseWriter, status int, st *storedRegistration, apiVersion string) *apiError {
	w.Header().Set(headerETag, `W/"`+st.reg.ETag+`"`)
	return s.writeAtom(w, status, func(a *atomWriter) { a.registrationEntry(s, st, apiVersion) })
}

// writeFeed answers with a feed of registration entries.
func (s *Server) writeFeed(w http.ResponseWriter, page []*storedRegistration, apiVersion string) *apiError {
	return s.writeAtom(w, http.StatusOK, func(a *atomWriter) {
		a.feed("Registrations", func() {
			for _, st := range page {
				a.registrationEntry(s, st, apiVersion)
			}
		})
	})
}

// atomWriter writes Atom documents with encoding/xml, keeping the first error.
type atomWriter struct {
	enc *xml.Encoder
	err error
	now string
}

func (a *atomWriter) token(t xml.Token) {
	if a.err == nil {
		a.err = a.enc.EncodeToken(t)
	}
}

func (a *atomWriter) element(v any, name string) {
	if a.err == nil {
		a.err = a.enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}})
	}
}

// text writes <name>value</name>, or nothing when value is empty.
func (a *atomWriter) text(name, value string) {
	if value != "" {
		a.element(value, name)
	}
}

// raw writes <name>inner</name> with inner as it is.
func (a *atomWriter) raw(name, inner string) {
	a.element(struct {
		Inner string `xml:",innerxml"`
	}{inner}, name)
}

func (a *atomWriter) start(name xml.Name, attrs ...xml.Attr) {
	a.token(xml.StartElement{Name: name, Attr: attrs})
}

func (a *atomWriter) end(name xml.Name) { a.token(xml.EndElement{Name: name}) }

// feed writes <feed><title>..</title><updated>..</updated>entries</feed>.
func (a *atomWriter) feed(title string, entries func()) {
	feed := xml.Name{Space: nsAtom, Local: "feed"}
	a.start(feed)
	a.text("title", title)
	a.text("updated", a.now)
	entries()
	a.end(feed)
}

// entry writes <entry><id>..</id><title>..</title><updated>..</updated>
// <content type="application/xml"><DESC xmlns=connect xmlns:i=instance>fields</DESC></content></entry>.
func (a *atomWriter) entry(id, title, desc string, fields func()) {
	entry, content := xml.Name{Space: nsAtom, Local: "entry"}, xml.Name{Local: "content"}
	a.start(entry)
	a.text("id", id)
	a.text("title", title)
	a.text("updated", a.now)
	a.start(content, xml.Attr{Name: xml.Name{Local: "type"}, Value: "application/xml"})
	name := xml.Name{Space: nsConnect, Local: desc}
	a.start(name, xml.Attr{Name: xml.Name{Local: "xmlns:i"}, Value: nsXSI})
	fields()
	a.end(name)
	a.end(content)
	a.end(entry)
}

// registrationEntry writes the entry of a registration: ETag, ExpirationTime,
// RegistrationId and Tags, then the other elements as the client sent them.
func (a *atomWriter) registrationEntry(s *Server, st *storedRegistration, apiVersion string) {
	r := st.reg
	url := s.registrationURL(r.RegistrationID, apiVersion)
	a.entry(url, r.RegistrationID, st.kind+descriptionSuffix, func() {
		a.text("ETag", r.ETag)
		a.text("ExpirationTime", r.ExpirationTime)
		a.text("RegistrationId", r.RegistrationID)
		a.text("Tags", strings.Join(r.Tags, ","))
		for _, f := range st.fields {
			a.raw(f.XMLName.Local, f.Inner)
		}
	})
}

// writeAtom answers with the Atom document body writes.
func (s *Server) writeAtom(w http.ResponseWriter, status int, body func(*atomWriter)) *apiError {
	var buf strings.Builder
	a := &atomWriter{enc: xml.NewEncoder(&buf), now: s.clock.Now().UTC().Format(time.RFC3339)}
	body(a)
	if a.err == nil {
		a.err = a.enc.Flush()
	}
	if a.err != nil {
		return newError(http.StatusInternalServerError, "nhtest: writing the answer: "+a.err.Error())
	}
	doc := serviceText([]byte(buf.String()))
	w.Header().Set("Content-Type", contentTypeAtom)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(status)
	w.Write(doc)
	return nil
}

// matchRegistrations returns, sorted by ID, the registrations a send reaches:
//
//   - a direct or batch send: the native registrations of the send's format
//     whose handle is one of the handles;
//   - a template send: the template registrations whose tags match the
//     expression (all of them, for a broadcast);
//   - any other send: the native registrations of the send's format whose tags
//     match the expression (all of them, for a broadcast).
func (s *Server) matchRegistrations(platform push.Platform, kind Kind, expr *push.Expr, handles []string) []reached {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []reached
	for _, st := range s.state.registrations {
		if st.reachedBy(platform, kind, expr, handles) {
			r := reached{id: st.reg.RegistrationID, format: st.format, handle: st.reg.Handle}
			if platform == push.Template {
				r.templates = st.templates
			}
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b reached) int { return strings.Compare(a.id, b.id) })
	return out
}

// reachedBy reports whether a send reaches the registration.
func (st *storedRegistration) reachedBy(platform push.Platform, kind Kind, expr *push.Expr, handles []string) bool {
	template := st.reg.Template
	switch {
	case kind == KindDirect || kind == KindBatch:
		return !template && st.format == string(platform) && slices.Contains(handles, st.reg.Handle)
	case platform == push.Template:
		return template && (expr == nil || expr.Match(st.reg.Tags))
	}
	return !template && st.format == string(platform) && (expr == nil || expr.Match(st.reg.Tags))
}
