package nhtest

import (
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

// writeError answers with e as the service does.
func (s *Server) writeError(w http.ResponseWriter, x *exchange, e *apiError) {
	if e.retryAfter > 0 {
		w.Header().Set(headerRetryAfter, strconv.FormatInt(ceilSeconds(e.retryAfter), 10))
	}
	detail := e.detail + " TrackingId:" + x.trackingID + ",TimeStamp:" + s.clock.Now().UTC().Format(timestampLayout)
	s.writeXML(w, e.status, errorBody{Code: e.status, Detail: detail})
}

// ceilSeconds rounds d up to whole seconds, at least 1: Retry-After counts seconds.
func ceilSeconds(d time.Duration) int64 {
	return max(int64((d+time.Second-1)/time.Second), 1)
}

// writeXML answers with v marshalled as XML.
func (s *Server) writeXML(w http.ResponseWriter, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil { // the documents are fixed structs of strings and ints
		panic("nhtest: marshalling a response: " + err.Error())
	}
	w.Header().Set("Content-Type", contentTypeXML)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
