package nhtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// feedbackPathPrefix starts the path of the emulated feedback container, outside
// every hub ('$' cannot start a hub name).
const feedbackPathPrefix = "/$feedback/"

// feedbackContainer is the name of the emulated feedback container, numeric as
// the service's are.
const feedbackContainer = "00000000000000000001"

// feedbackURLLifetime is how long a feedback container URL stays valid.
const feedbackURLLifetime = time.Hour

// blobNameLayout names a feedback blob after the day of its records, as the
// service does ("07272016").
const blobNameLayout = "01022006"

// Feedback is one PnsFeedback record: a delivery a push service refused, as the
// service writes them in the blobs of the feedback container.
type Feedback struct {
	// Time is when the push service answered; the zero time means now, on the
	// Server's clock. Records are grouped into one blob per UTC day.
	Time time.Time
	// Error is the NotificationSystemError: "ExpiredChannel", "WrongToken",
	// "BadChannel", "InvalidToken", "RefreshToken", ...
	Error string
	// Platform is the send format of the delivery: push.Apple, push.FCMV1,
	// push.Windows, ...
	Platform push.Platform
	// Handle is the device's PNS handle.
	Handle string
	// RegistrationID and InstallationID name the device at the hub; NotificationID
	// names the send; NewHandle is the handle that replaces Handle (RefreshToken).
	RegistrationID string
	InstallationID string
	NotificationID string
	NewHandle      string
}

// pnsFeedbackXML is a record on the wire, fields in the service's order.
type pnsFeedbackXML struct {
	XMLName                 xml.Name `xml:"http://schemas.microsoft.com/netservices/2010/10/servicebus/connect PnsFeedback"`
	XSI                     string   `xml:"xmlns:i,attr"`
	FeedbackTime            string   `xml:"FeedbackTime"`
	NotificationSystemError string   `xml:"NotificationSystemError"`
	Platform                string   `xml:"Platform"`
	PnsHandle               string   `xml:"PnsHandle"`
	RegistrationID          string   `xml:"RegistrationId,omitempty"`
	InstallationID          string   `xml:"InstallationId,omitempty"`
	NotificationID          string   `xml:"NotificationId,omitempty"`
	NewPnsHandle            string   `xml:"NewPnsHandle,omitempty"`
}

// AddFeedback adds records to the feedback container that GET
// /feedbackcontainer points to, so that a client's pruning of dead devices can
// be tested. Safe for concurrent use.
func (s *Server) AddFeedback(records ...Feedback) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, fb := range records {
		if fb.Time.IsZero() {
			fb.Time = now
		}
		name := fb.Time.UTC().Format(blobNameLayout)
		s.state.feedback[name] = append(s.state.feedback[name], fb)
	}
}

// FeedbackContainerURL returns what GET /feedbackcontainer answers: the URL of
// the emulated feedback container, signed for an hour from now on the Server's
// clock (sv, sr, sig, se, sp, as Azure Storage signs). List it with
// &restype=container&comp=list; read a blob by inserting "/NAME" before the
// query. The signature is a secret: the Server does not log it.
func (s *Server) FeedbackContainerURL() string {
	se := s.clock.Now().Add(feedbackURLLifetime).UTC().Format(time.RFC3339)
	q := "sv=2014-02-14&sr=c&sig=" + url.QueryEscape(s.feedbackSignature(se)) + "&se=" + url.QueryEscape(se) + "&sp=rl"
	return "https://" + s.host + feedbackPathPrefix + feedbackContainer + "?" + q
}

// feedbackSignature signs the expiry of a feedback container URL with the
// Server's feedback key, made on first use.
func (s *Server) feedbackSignature(se string) string {
	s.mu.Lock()
	if s.state.feedbackKey == nil {
		s.state.feedbackKey = make([]byte, keySize)
		s.random.read(s.state.feedbackKey)
	}
	key := s.state.feedbackKey
	s.mu.Unlock()
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(feedbackContainer + "\n" + se))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// serveFeedbackContainer answers GET /feedbackcontainer: the container's URL,
// as text (Standard tier only: 403 otherwise).
func (s *Server) serveFeedbackContainer(w http.ResponseWriter) *apiError {
	if !s.tier.allowsTelemetry() {
		return newError(http.StatusForbidden, errNotAvailable)
	}
	body := s.FeedbackContainerURL()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(body))
	return nil
}

// storageError is Azure Storage's error document.
type storageError struct {
	XMLName xml.Name `xml:"Error"`
	Code    string   `xml:"Code"`
	Message string   `xml:"Message"`
}

// serveFeedbackBlob serves the feedback container as Azure Storage would: the
// listing (?restype=container&comp=list) or a blob, once admit has checked
// the URL's signature and expiry (403 AuthenticationFailed) on the Server's
// clock. rest is the path after feedbackPathPrefix.
func (s *Server) serveFeedbackBlob(w http.ResponseWriter, r *http.Request, rest string) {
	container, blob, _ := strings.Cut(rest, "/")
	q := r.URL.Query()
	switch { // the signature was checked before any fault (see admit)
	case r.Method != http.MethodGet:
		s.writeStorageError(w, http.StatusMethodNotAllowed, "UnsupportedHttpVerb", "The feedback container is read-only.")
	case container != feedbackContainer:
		s.writeStorageError(w, http.StatusNotFound, "ContainerNotFound", "The specified container does not exist.")
	case blob == "" && q.Get("restype") == "container" && q.Get("comp") == "list":
		s.writeBlobList(w)
	case blob == "":
		s.writeStorageError(w, http.StatusBadRequest, "InvalidQueryParameterValue", "List the container with restype=container&comp=list.")
	default:
		s.writeBlob(w, blob)
	}
}

// validFeedbackSAS checks the sig and se of a feedback container URL.
func (s *Server) validFeedbackSAS(q url.Values) bool {
	se, sig := q.Get("se"), q.Get("sig")
	expiry, err := time.Parse(time.RFC3339, se)
	if err != nil || !expiry.After(s.clock.Now()) {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(s.feedbackSignature(se)))
}

func (s *Server) writeStorageError(w http.ResponseWriter, status int, code, message string) {
	body, _ := xml.Marshal(storageError{Code: code, Message: message})
	body = serviceText(body)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write(append([]byte(xml.Header), body...))
}

// blobListXML is Azure Storage's listing of a container.
type blobListXML struct {
	XMLName         xml.Name  `xml:"EnumerationResults"`
	ServiceEndpoint string    `xml:"ServiceEndpoint,attr"`
	ContainerName   string    `xml:"ContainerName,attr"`
	Blobs           []blobXML `xml:"Blobs>Blob"`
	NextMarker      string    `xml:"NextMarker"`
}

type blobXML struct {
	Name          string `xml:"Name"`
	LastModified  string `xml:"Properties>Last-Modified"`
	ContentLength int    `xml:"Properties>Content-Length"`
	ContentType   string `xml:"Properties>Content-Type"`
	BlobType      string `xml:"Properties>BlobType"`
}

// writeBlobList answers with the listing of the container: one blob per day
// that has records, by name.
func (s *Server) writeBlobList(w http.ResponseWriter) {
	list := blobListXML{ServiceEndpoint: "https://" + s.host + "/", ContainerName: feedbackContainer}
	s.mu.Lock()
	blobs := maps.Clone(s.state.feedback)
	s.mu.Unlock()
	for _, name := range slices.Sorted(maps.Keys(blobs)) {
		recs := blobs[name]
		list.Blobs = append(list.Blobs, blobXML{Name: name, ContentLength: len(feedbackBlob(recs)),
			LastModified: recs[len(recs)-1].Time.UTC().Format(http.TimeFormat),
			ContentType:  "application/octet-stream", BlobType: "BlockBlob"})
	}
	body, err := xml.Marshal(list)
	if err != nil { // a fixed struct of strings
		panic("nhtest: marshalling a blob list: " + err.Error())
	}
	body = serviceText(body)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	w.Write(append([]byte(xml.Header), body...))
}

// writeBlob answers with the blob of the given name.
func (s *Server) writeBlob(w http.ResponseWriter, name string) {
	s.mu.Lock()
	recs, ok := s.state.feedback[name]
	recs = slices.Clone(recs)
	s.mu.Unlock()
	if !ok {
		s.writeStorageError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.")
		return
	}
	body := feedbackBlob(recs)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// feedbackBlob writes records as the service writes a blob: PnsFeedback
// documents one after the other, each with the declaration encoding="utf-16"
// the service writes on UTF-8 text.
func feedbackBlob(recs []Feedback) []byte {
	var buf bytes.Buffer
	for _, fb := range recs {
		buf.WriteString(`<?xml version="1.0" encoding="utf-16"?>` + "\n")
		doc := pnsFeedbackXML{XSI: nsXSI, FeedbackTime: fb.Time.UTC().Format(time.RFC3339Nano),
			NotificationSystemError: fb.Error, Platform: string(fb.Platform), PnsHandle: fb.Handle,
			RegistrationID: fb.RegistrationID, InstallationID: fb.InstallationID,
			NotificationID: fb.NotificationID, NewPnsHandle: fb.NewHandle}
		enc := xml.NewEncoder(&buf)
		enc.Indent("", "  ")
		if err := enc.Encode(doc); err != nil { // a fixed struct of strings
			panic("nhtest: marshalling feedback: " + err.Error())
		}
		buf.WriteString("\n")
	}
	return serviceText(buf.Bytes())
}
