package nhtest

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// The states NotificationDetails reports for a recorded send.
const (
	stateCompleted     = "Completed"
	stateNoTargetFound = "NoTargetFound"
	stateScheduled     = "Scheduled"
	stateCancelled     = "Cancelled"
)

// notificationDetails is the answer to GET /messages/{id}:
//
//	<NotificationDetails xmlns="...servicebus/connect" xmlns:i="...XMLSchema-instance">
//	  <NotificationId>..</NotificationId><Location>..</Location><State>Completed</State>
//	  <EnqueueTime>..</EnqueueTime><StartTime>..</StartTime><EndTime>..</EndTime>
//	  <NotificationBody>..</NotificationBody><Tags>..</Tags><TargetPlatforms>apple</TargetPlatforms>
//	  <ApnsOutcomeCounts><Outcome><Name>Success</Name><Count>2</Count></Outcome></ApnsOutcomeCounts>
//	</NotificationDetails>
type notificationDetails struct {
	XMLName          xml.Name        `xml:"http://schemas.microsoft.com/netservices/2010/10/servicebus/connect NotificationDetails"`
	XSI              string          `xml:"xmlns:i,attr"`
	NotificationID   string          `xml:"NotificationId"`
	Location         string          `xml:"Location"`
	State            string          `xml:"State"`
	EnqueueTime      string          `xml:"EnqueueTime"`
	StartTime        string          `xml:"StartTime,omitempty"`
	EndTime          string          `xml:"EndTime,omitempty"`
	NotificationBody string          `xml:"NotificationBody"`
	Tags             string          `xml:"Tags,omitempty"`
	TargetPlatforms  string          `xml:"TargetPlatforms"`
	Counts           []outcomeCounts // named by their XMLName: ApnsOutcomeCounts, ...
}

type outcomeCounts struct {
	XMLName  xml.Name
	Outcomes []outcomeCount `xml:"Outcome"`
}

type outcomeCount struct {
	Name  string `xml:"Name"`
	Count int    `xml:"Count"`
}

// outcomeElements names the outcome counts of each send format, in the order
// the emulator writes them.
var outcomeElements = []struct {
	format push.Platform
	name   string
}{
	{push.Apple, "Apns"}, {push.WindowsPhone, "Mpns"}, {push.Windows, "Wns"}, {"gcm", "Gcm"}, {push.ADM, "Adm"},
	{push.Baidu, "Baidu"}, {push.Browser, "Browser"}, {push.Xiaomi, "Xiaomi"}, {push.FCMV1, "FcmV1"},
}

// serveDetails answers GET /messages/{id} with the NotificationDetails of a
// recorded send (Standard tier only: 403 otherwise; 404 for an unknown ID).
//
// The emulator delivers nothing, so the details are what a send that worked
// would report: state Completed with one Success per device it reached, counted
// per platform (NoTargetFound when it reached none), and the times it was
// received. A pending scheduled send is Scheduled, a cancelled one Cancelled,
// both without counts.
func (s *Server) serveDetails(w http.ResponseWriter, x *exchange) *apiError {
	if !s.tier.allowsTelemetry() {
		return newError(http.StatusForbidden, errNotAvailable)
	}
	send, pending, ok := s.findSend(x.target.id)
	if !ok {
		return newError(http.StatusNotFound, "The notification '"+x.target.id+"' has no telemetry: the ID is unknown, or the message has not progressed far enough in processing.")
	}
	s.writeXML(w, http.StatusOK, s.details(send, pending, x.apiVersion))
	return nil
}

// findSend returns the recorded send of the given ID and whether it is a
// pending scheduled send.
func (s *Server) findSend(id string) (Send, bool, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.state.sends, func(send Send) bool { return send.ID == id })
	if i < 0 {
		return Send{}, false, false
	}
	pending := slices.ContainsFunc(s.state.scheduled, func(send Send) bool { return send.ID == id })
	return s.state.sends[i].clone(), pending, true
}

// details builds the NotificationDetails of a send.
func (s *Server) details(send Send, pending bool, apiVersion string) notificationDetails {
	at := send.Time.UTC().Format(time.RFC3339Nano)
	d := notificationDetails{
		XSI: nsXSI, NotificationID: send.ID, EnqueueTime: at,
		Location:         "sb://" + s.host + "/" + s.hub + "/messages/" + send.ID + "?api-version=" + apiVersion,
		NotificationBody: string(send.Envelope.Body), Tags: send.Envelope.Tags,
		TargetPlatforms: targetPlatforms(send),
	}
	switch {
	case send.Kind == KindScheduled && pending:
		d.State = stateScheduled
	case send.Kind == KindScheduled:
		d.State = stateCancelled
	case len(send.devices) == 0:
		d.State, d.StartTime, d.EndTime = stateNoTargetFound, at, at
	default:
		d.State, d.StartTime, d.EndTime = stateCompleted, at, at
		d.Counts = countOutcomes(send.devices)
	}
	return d
}

// targetPlatforms lists the formats a send went to: its own, or for a template
// send the formats of the devices it reached, each followed by "template".
func targetPlatforms(send Send) string {
	p := send.Envelope.Platform
	if p != "" && p != push.Template {
		return string(p)
	}
	var formats []string
	for _, d := range send.devices {
		if f := d.format + "template"; !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	if len(formats) == 0 {
		return "template"
	}
	return strings.Join(formats, ",")
}

// countOutcomes counts one Success per device, per platform.
func countOutcomes(devices []reached) []outcomeCounts {
	var out []outcomeCounts
	for _, e := range outcomeElements {
		n := 0
		for _, d := range devices {
			if d.format == string(e.format) {
				n++
			}
		}
		if n > 0 {
			out = append(out, outcomeCounts{XMLName: xml.Name{Local: e.name + "OutcomeCounts"},
				Outcomes: []outcomeCount{{Name: "Success", Count: n}}})
		}
	}
	return out
}
