package azurenh

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// opDecodeDetails names telemetry decoding in errors.
const opDecodeDetails = "azurenh: decode notification details"

// NotificationState is the processing state of a sent notification, as
// NotificationDetails reports it. The service may add states: a value this
// package does not know is kept as is.
type NotificationState string

// The states the service reports.
const (
	NotificationEnqueued               NotificationState = "Enqueued"
	NotificationDetailedStateAvailable NotificationState = "DetailedStateAvailable"
	NotificationProcessing             NotificationState = "Processing"
	NotificationCompleted              NotificationState = "Completed"
	NotificationAbandoned              NotificationState = "Abandoned"
	NotificationUnknown                NotificationState = "Unknown"
	NotificationNoTargetFound          NotificationState = "NoTargetFound"
	NotificationCancelled              NotificationState = "Cancelled"
)

// Final reports whether s will not change any more: Completed, Abandoned,
// NoTargetFound or Cancelled.
func (s NotificationState) Final() bool {
	switch s {
	case NotificationCompleted, NotificationAbandoned, NotificationNoTargetFound, NotificationCancelled:
		return true
	}
	return false
}

// OutcomePlatform names a platform in per-platform outcome counts: the element
// <ApnsOutcomeCounts> gives OutcomeAPNS. A platform this package does not know
// is kept by its element name, without the "OutcomeCounts" suffix.
type OutcomePlatform string

// The platforms the service counts outcomes of.
const (
	OutcomeAPNS    OutcomePlatform = "Apns"
	OutcomeFCMV1   OutcomePlatform = "FcmV1"
	OutcomeGCM     OutcomePlatform = "Gcm" // legacy FCM; the service may also say "Fcm"
	OutcomeFCM     OutcomePlatform = "Fcm"
	OutcomeWNS     OutcomePlatform = "Wns"
	OutcomeMPNS    OutcomePlatform = "Mpns"
	OutcomeADM     OutcomePlatform = "Adm"
	OutcomeBaidu   OutcomePlatform = "Baidu"
	OutcomeBrowser OutcomePlatform = "Browser"
	OutcomeXiaomi  OutcomePlatform = "Xiaomi"
)

// outcomePlatformOrder is the order EncodeNotificationDetails writes counts in.
var outcomePlatformOrder = [...]OutcomePlatform{OutcomeAPNS, OutcomeMPNS, OutcomeWNS, OutcomeGCM, OutcomeFCM,
	OutcomeADM, OutcomeBaidu, OutcomeBrowser, OutcomeXiaomi, OutcomeFCMV1}

// Format returns the send format of p, or "" for a platform this package does
// not know.
func (p OutcomePlatform) Format() push.Platform {
	switch p {
	case OutcomeAPNS:
		return push.Apple
	case OutcomeFCMV1:
		return push.FCMV1
	case OutcomeGCM, OutcomeFCM:
		return formatGCM
	case OutcomeWNS:
		return push.Windows
	case OutcomeMPNS:
		return push.WindowsPhone
	case OutcomeADM:
		return push.ADM
	case OutcomeBaidu:
		return push.Baidu
	case OutcomeBrowser:
		return push.Browser
	case OutcomeXiaomi:
		return push.Xiaomi
	}
	return ""
}

// OutcomeCount says how many deliveries to one platform ended with one outcome:
// "Success", or a PnsError name such as "WrongToken" or "ExpiredChannel".
type OutcomeCount struct {
	Name  string
	Count int64
}

// NotificationDetails is the telemetry of one sent notification (GET
// /HUB/messages/ID, Standard tier): its state, its times, and how many
// deliveries ended how, per platform. The service fills it in as the send
// progresses; until the state is Final, counts may be partial.
type NotificationDetails struct {
	NotificationID string
	Location       string // the notification's URL
	State          NotificationState
	EnqueueTime    time.Time // zero when absent
	StartTime      time.Time
	EndTime        time.Time
	// NotificationBody is the body that was sent.
	NotificationBody string
	// Tags is the tag expression the notification was sent to.
	Tags string
	// TargetPlatforms lists the formats sent to, comma-separated ("windows", "apple,gcm").
	TargetPlatforms string
	// PnsErrorDetailsURI is the URL of a blob of PnsFeedback records, one per
	// failed delivery; read it with ParsePnsFeedback.
	PnsErrorDetailsURI string
	// Outcomes holds the outcome counts of each platform, in the service's order.
	Outcomes map[OutcomePlatform][]OutcomeCount
}

// Count returns the count of outcome name (such as "Success") on platform p,
// 0 when the service reported none.
func (d NotificationDetails) Count(p OutcomePlatform, name string) int64 {
	var n int64
	for _, c := range d.Outcomes[p] {
		if c.Name == name {
			n += c.Count
		}
	}
	return n
}

// detailsXML is NotificationDetails on the wire, read by local names in any
// order; every *OutcomeCounts element lands in Counts.
type detailsXML struct {
	NotificationID     string             `xml:"NotificationId"`
	Location           string             `xml:"Location"`
	State              string             `xml:"State"`
	EnqueueTime        string             `xml:"EnqueueTime"`
	StartTime          string             `xml:"StartTime"`
	EndTime            string             `xml:"EndTime"`
	NotificationBody   innerText          `xml:"NotificationBody"`
	Tags               string             `xml:"Tags"`
	TargetPlatforms    string             `xml:"TargetPlatforms"`
	PnsErrorDetailsURI string             `xml:"PnsErrorDetailsUri"`
	Counts             []outcomeCountsXML `xml:",any"`
}

type outcomeCountsXML struct {
	XMLName  xml.Name
	Outcomes []outcomeCountXML `xml:"Outcome"`
}

type outcomeCountXML struct {
	Name  string `xml:"Name"`
	Count string `xml:"Count"`
}

// innerText is the text of an element; when the element holds elements rather
// than escaped text, their XML.
type innerText string

// UnmarshalXML reads the element's text, or its markup (see textOrMarkup).
func (t *innerText) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var v struct {
		Inner string `xml:",innerxml"`
	}
	if err := d.DecodeElement(&v, &start); err != nil {
		return err
	}
	*t = innerText(textOrMarkup(v.Inner))
	return nil
}

// textOrMarkup returns the character data of inner, the raw content of an
// element, or inner itself (line ends normalized) when it holds elements.
func textOrMarkup(inner string) string {
	d := xml.NewDecoder(strings.NewReader(inner))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return text.String()
		}
		if err != nil {
			return normalizeNewlines(inner)
		}
		switch tok := tok.(type) {
		case xml.CharData:
			text.Write(tok)
		case xml.StartElement:
			return normalizeNewlines(inner)
		}
	}
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// ParseNotificationDetails reads the <NotificationDetails> document of a
// notification's telemetry. Elements are matched by local name in any order;
// unknown ones are ignored; every element whose name ends in "OutcomeCounts"
// (ApnsOutcomeCounts, FcmV1OutcomeCounts, BrowserOutcomeCounts,
// XiaomiOutcomeCounts, ... and ones added later) becomes an entry of Outcomes. A
// state this package does not know is kept. Times are RFC 3339 (without a zone:
// UTC). The error is a *push.Error with Op "azurenh: decode notification
// details" and no Kind.
func ParseNotificationDetails(data []byte) (NotificationDetails, error) {
	root, d, err := rootElement(data)
	if err == nil && root.Name.Local != "NotificationDetails" {
		err = fmt.Errorf("the root element is <%s>, not <NotificationDetails>", root.Name.Local)
	}
	var doc detailsXML
	if err == nil {
		err = d.DecodeElement(&doc, &root)
	}
	if err != nil {
		return NotificationDetails{}, decodeError(opDecodeDetails, err)
	}
	out, err := doc.details()
	if err != nil {
		return NotificationDetails{}, decodeError(opDecodeDetails, err)
	}
	return out, nil
}

func (x detailsXML) details() (NotificationDetails, error) {
	d := NotificationDetails{
		NotificationID: strings.TrimSpace(x.NotificationID), Location: strings.TrimSpace(x.Location),
		State: NotificationState(strings.TrimSpace(x.State)), NotificationBody: string(x.NotificationBody),
		Tags: strings.TrimSpace(x.Tags), TargetPlatforms: strings.TrimSpace(x.TargetPlatforms),
		PnsErrorDetailsURI: strings.TrimSpace(x.PnsErrorDetailsURI),
	}
	times := []struct {
		name string
		text string
		dst  *time.Time
	}{{"EnqueueTime", x.EnqueueTime, &d.EnqueueTime}, {"StartTime", x.StartTime, &d.StartTime}, {"EndTime", x.EndTime, &d.EndTime}}
	for _, t := range times {
		if err := parseOptionalTime(t.name, t.text, t.dst); err != nil {
			return NotificationDetails{}, err
		}
	}
	outcomes, err := outcomeMap(x.Counts)
	d.Outcomes = outcomes
	return d, err
}

// parseOptionalTime parses text into dst unless it is blank.
func parseOptionalTime(name, text string, dst *time.Time) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	t, err := parseServiceTime(text)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	*dst = t
	return nil
}

// outcomeMap reads the *OutcomeCounts elements; nil when there is none.
func outcomeMap(counts []outcomeCountsXML) (map[OutcomePlatform][]OutcomeCount, error) {
	var out map[OutcomePlatform][]OutcomeCount
	for _, c := range counts {
		name, ok := strings.CutSuffix(c.XMLName.Local, "OutcomeCounts")
		if !ok || name == "" {
			continue
		}
		list, err := outcomeList(c.XMLName.Local, c.Outcomes)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = make(map[OutcomePlatform][]OutcomeCount)
		}
		out[OutcomePlatform(name)] = append(out[OutcomePlatform(name)], list...)
	}
	return out, nil
}

func outcomeList(element string, outcomes []outcomeCountXML) ([]OutcomeCount, error) {
	list := make([]OutcomeCount, 0, len(outcomes))
	for _, o := range outcomes {
		s := strings.TrimSpace(o.Count)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: count %q of %q is not a count", element, clipText(s, 20), clipText(o.Name, 40))
		}
		list = append(list, OutcomeCount{Name: strings.TrimSpace(o.Name), Count: n})
	}
	return list, nil
}

// EncodeNotificationDetails returns d as the service writes it: a
// <NotificationDetails> document with NotificationId, Location, State, the
// times, NotificationBody, Tags, TargetPlatforms, the outcome counts of each
// platform (known platforms in a fixed order, then the others by name) and
// PnsErrorDetailsUri, empty fields left out. Tests that play the service
// answer with it.
func EncodeNotificationDetails(d NotificationDetails) ([]byte, error) {
	for p := range d.Outcomes {
		if !isXMLName(string(p)) {
			return nil, &push.Error{Op: "azurenh: encode notification details", Detail: fmt.Sprintf("outcome platform %q cannot name an element", string(p))}
		}
	}
	var buf bytes.Buffer
	w := newXMLWriter(&buf)
	w.description("NotificationDetails", d.writeFields)
	if err := w.flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (d NotificationDetails) writeFields(w *xmlWriter) {
	w.text("NotificationId", d.NotificationID)
	w.text("Location", d.Location)
	w.text("State", string(d.State))
	w.time("EnqueueTime", d.EnqueueTime)
	w.time("StartTime", d.StartTime)
	w.time("EndTime", d.EndTime)
	w.text("NotificationBody", d.NotificationBody)
	w.text("Tags", d.Tags)
	w.text("TargetPlatforms", d.TargetPlatforms)
	for _, p := range d.outcomePlatforms() {
		w.outcomes(string(p)+"OutcomeCounts", d.Outcomes[p])
	}
	w.text("PnsErrorDetailsUri", d.PnsErrorDetailsURI)
}

// outcomePlatforms returns the platforms of d.Outcomes: known ones in
// outcomePlatformOrder, then the others sorted.
func (d NotificationDetails) outcomePlatforms() []OutcomePlatform {
	var out []OutcomePlatform
	for _, p := range outcomePlatformOrder {
		if _, ok := d.Outcomes[p]; ok {
			out = append(out, p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(d.Outcomes)) {
		if !slices.Contains(outcomePlatformOrder[:], p) {
			out = append(out, p)
		}
	}
	return out
}

// outcomes writes <name><Outcome><Name>..</Name><Count>..</Count></Outcome>...</name>.
func (w *xmlWriter) outcomes(name string, list []OutcomeCount) {
	el := xml.Name{Local: name}
	w.start(el)
	for _, c := range list {
		w.element(outcomeCountXML{Name: c.Name, Count: strconv.FormatInt(c.Count, 10)}, "Outcome")
	}
	w.end(el)
}
