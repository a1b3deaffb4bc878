package nhtest

import (
	"encoding/xml"
)

// MaxTestSendResults is the most devices a test send reports, as the service.
const MaxTestSendResults = 10

// nsXSI is the XML Schema instance namespace, bound to the prefix i.
const nsXSI = "http://www.w3.org/2001/XMLSchema-instance"

// outcomeSent is the Outcome of a device a test send reached.
const outcomeSent = "The Notification was successfully sent to the Push Notification System"

// notificationOutcome is the answer to a test send:
//
//	<NotificationOutcome xmlns="...servicebus/connect" xmlns:i="...XMLSchema-instance">
//	  <Success>1</Success><Failure>0</Failure>
//	  <Results><RegistrationResult>...</RegistrationResult></Results>
//	</NotificationOutcome>
//
// With no device, Results is <Results i:nil="true"></Results>.
type notificationOutcome struct {
	XMLName xml.Name       `xml:"http://schemas.microsoft.com/netservices/2010/10/servicebus/connect NotificationOutcome"`
	XSI     string         `xml:"xmlns:i,attr"`
	Success int            `xml:"Success"`
	Failure int            `xml:"Failure"`
	Results outcomeResults `xml:"Results"`
}

type outcomeResults struct {
	Nil   string               `xml:"i:nil,attr,omitempty"`
	Items []registrationResult `xml:"RegistrationResult"`
}

type registrationResult struct {
	ApplicationPlatform string `xml:"ApplicationPlatform"`
	PnsHandle           string `xml:"PnsHandle"`
	RegistrationID      string `xml:"RegistrationId"`
	Outcome             string `xml:"Outcome"`
}

// newOutcome reports a test send that reached rs (the first MaxTestSendResults
// of them count, as the service tries no more).
func newOutcome(rs []reached) notificationOutcome {
	o := notificationOutcome{XSI: nsXSI}
	rs = rs[:min(len(rs), MaxTestSendResults)]
	if len(rs) == 0 {
		o.Results.Nil = "true"
		return o
	}
	o.Success = len(rs)
	for _, r := range rs {
		o.Results.Items = append(o.Results.Items, registrationResult{
			ApplicationPlatform: r.format,
			PnsHandle:           r.handle,
			RegistrationID:      r.id,
			Outcome:             outcomeSent,
		})
	}
	return o
}
