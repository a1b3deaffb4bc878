package azurenh

import (
	"encoding/xml"
	"errors"
	"strconv"
	"strings"

	"github.com/pushwire/push"
)

// outcomeXML is the answer to a test send:
//
//	<NotificationOutcome xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"
//	    xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
//	  <Success>1</Success><Failure>0</Failure>
//	  <Results><RegistrationResult>
//	    <ApplicationPlatform>apple</ApplicationPlatform><PnsHandle>...</PnsHandle>
//	    <RegistrationId>...</RegistrationId><Outcome>...</Outcome>
//	  </RegistrationResult></Results>
//	</NotificationOutcome>
//
// Elements are matched by local name, whatever their namespace. With no device,
// Results is <Results i:nil="true"/>.
type outcomeXML struct {
	XMLName xml.Name    `xml:"NotificationOutcome"`
	Success string      `xml:"Success"`
	Failure string      `xml:"Failure"`
	Results []resultXML `xml:"Results>RegistrationResult"`
}

type resultXML struct {
	ApplicationPlatform string `xml:"ApplicationPlatform"`
	PnsHandle           string `xml:"PnsHandle"`
	RegistrationID      string `xml:"RegistrationId"`
	Outcome             string `xml:"Outcome"`
}

// parseOutcome parses the NotificationOutcome document of a test send. Success
// and Failure must be non-negative integers (an absent one counts 0); Results is
// nil when the service reported no device. The error says what is wrong with the
// document.
func parseOutcome(body []byte) (*push.Outcome, error) {
	var doc outcomeXML
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	success, err := parseCount("Success", doc.Success)
	if err != nil {
		return nil, err
	}
	failure, err := parseCount("Failure", doc.Failure)
	if err != nil {
		return nil, err
	}
	o := &push.Outcome{Success: success, Failure: failure}
	for _, r := range doc.Results {
		o.Results = append(o.Results, push.DeviceResult{
			Platform:       r.ApplicationPlatform,
			Handle:         r.PnsHandle,
			RegistrationID: r.RegistrationID,
			Outcome:        r.Outcome,
		})
	}
	return o, nil
}

// parseCount reads a count of devices; "" is 0.
func parseCount(name, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, errors.New("<" + name + "> is " + strconv.Quote(shorten(s, 32)) + ", not a count of devices")
	}
	return n, nil
}

// shorten cuts s to at most n bytes, on a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
