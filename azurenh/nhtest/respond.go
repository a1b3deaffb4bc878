package nhtest

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"
)

// Response headers of the service.
const (
	headerTrackingID    = "TrackingId"
	headerCorrelationID = "X-Ms-Correlation-Request-Id"
	headerRetryAfter    = "Retry-After"
	headerLocation      = "Location"
	contentTypeXML      = "application/xml; charset=utf-8"
	contentTypeJSON     = "application/json; charset=utf-8"
)

// apiError is an answer that refuses a request: its status and the service's
// detail, without the tracking suffix.
type apiError struct {
	status     int
	detail     string
	retryAfter time.Duration
}

func (e *apiError) Error() string { return strconv.Itoa(e.status) + ": " + e.detail }

func newError(status int, detail string) *apiError { return &apiError{status: status, detail: detail} }

func badRequest(detail string) *apiError { return newError(http.StatusBadRequest, detail) }

// errorBody is the service's error document:
//
//	<Error><Code>400</Code><Detail>... TrackingId:...,TimeStamp:...</Detail></Error>
type errorBody struct {
	XMLName xml.Name `xml:"Error"`
	Code    int      `xml:"Code"`
	Detail  string   `xml:"Detail"`
}

// timestampLayout is how the service writes TimeStamp in error details
// ("6/27/2017 11:32:19 AM", UTC).
const timestampLayout = "1/2/2006 3:04:05 PM"

// writeError answers with e as the service does: the detail followed, with no
// space, by the tracking ID and the time, "The request is invalid.TrackingId:ID,TimeStamp:TIME".
func (s *Server) writeError(w http.ResponseWriter, x *exchange, e *apiError) {
	if e.retryAfter > 0 {
		w.Header().Set(headerRetryAfter, strconv.FormatInt(ceilSeconds(e.retryAfter), 10))
	}
	s.writeXML(w, e.status, errorBody{Code: e.status, Detail: serviceDetail(e.detail, x.trackingID, s.clock.Now())})
}

// serviceDetail is an error's Detail as the service writes it.
func serviceDetail(detail, trackingID string, now time.Time) string {
	return detail + "TrackingId:" + trackingID + ",TimeStamp:" + now.UTC().Format(timestampLayout)
}

// ceilSeconds rounds d up to whole seconds, at least 1: Retry-After counts seconds.
func ceilSeconds(d time.Duration) int64 {
	return max(int64((d+time.Second-1)/time.Second), 1)
}

// writeXML answers with v marshalled as XML, its text written as the
// service writes it (see serviceText).
func (s *Server) writeXML(w http.ResponseWriter, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil { // the documents are fixed structs of strings and ints
		panic("nhtest: marshalling a response: " + err.Error())
	}
	body = serviceText(body)
	w.Header().Set("Content-Type", contentTypeXML)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// serviceText returns an XML document written by encoding/xml with its
// character data escaped as the service's .NET writer escapes it: quotes
// (" and ') as they are, not &#34; and &#39;, and line feeds and tabs too, not
// &#xA; and &#x9; (the JavaScript SDK's parser shows numeric references
// literally, in notification bodies and error messages alike). '&', '<',
// '>' and carriage returns stay escaped, and so does everything inside tags,
// comments, CDATA sections and processing instructions. doc is modified in
// place; a document without a numeric reference is returned as it is.
func serviceText(doc []byte) []byte {
	if !bytes.Contains(doc, []byte("&#")) {
		return doc
	}
	out := doc[:0]
	for i := 0; i < len(doc); {
		switch {
		case doc[i] == '<':
			end := markupEnd(doc, i)
			out = append(out, doc[i:end]...)
			i = end
		case doc[i] == '&':
			r, n := textReference(doc[i:])
			if n == 0 {
				out = append(out, '&')
				i++
				continue
			}
			out = append(out, r)
			i += n
		default:
			out = append(out, doc[i])
			i++
		}
	}
	return out
}

// textReferences are the references encoding/xml writes that the service
// does not.
var textReferences = []struct {
	ref string
	r   byte
}{{"&#34;", '"'}, {"&#39;", '\''}, {"&#xA;", '\n'}, {"&#x9;", '\t'}}

// textReference returns the character that b starts referring to, and the
// length of the reference, or 0 for one to keep.
func textReference(b []byte) (byte, int) {
	for _, t := range textReferences {
		if bytes.HasPrefix(b, []byte(t.ref)) {
			return t.r, len(t.ref)
		}
	}
	return 0, 0
}

// markupEnd returns the index just after the markup that starts at doc[i]
// ('<'): a comment, a CDATA section, a processing instruction, a declaration
// or a tag, whose quoted attribute values may hold '>'.
func markupEnd(doc []byte, i int) int {
	rest := doc[i:]
	for _, m := range [...]struct{ open, close string }{{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}} {
		if bytes.HasPrefix(rest, []byte(m.open)) {
			if j := bytes.Index(rest[len(m.open):], []byte(m.close)); j >= 0 {
				return i + len(m.open) + j + len(m.close)
			}
			return len(doc)
		}
	}
	var quote byte
	for j := i + 1; j < len(doc); j++ {
		switch c := doc[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j + 1
		}
	}
	return len(doc)
}
