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

// outcomeElements pairs the name of each platform's outcome counts element,
// without "OutcomeCounts", with the send format whose deliveries it counts,
// in the order the service writes them. Legacy FCM is "Gcm", and sometimes
// "Fcm".
var outcomeElements = [...]struct {
	name string
	p    push.Platform
}{
	{"Apns", push.Apple}, {"Mpns", push.WindowsPhone}, {"Wns", push.Windows}, {"Gcm", formatGCM}, {"Fcm", formatGCM},
	{"Adm", push.ADM}, {"Baidu", push.Baidu}, {"Browser", push.Browser}, {"Xiaomi", push.Xiaomi}, {"FcmV1", push.FCMV1},
}

// outcomePlatform returns the send format whose counts the element name
// (without "OutcomeCounts") holds; a name this package does not know is kept
// as it is.
func outcomePlatform(name string) push.Platform {
	for _, e := range outcomeElements {
		if e.name == name {
			return e.p
		}
	}
	return push.Platform(name)
}

// outcomeElement returns the element name (without "OutcomeCounts") of p's
// counts: the reverse of outcomePlatform.
func outcomeElement(p push.Platform) string {
	for _, e := range outcomeElements {
		if e.p == p {
			return e.name
		}
	}
	return string(p)
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
	// TargetPlatforms lists the formats sent to (push.Windows; push.Apple and
	// push.GCM; ...), as the service lists them.
	TargetPlatforms []push.Platform
	// PnsErrorDetailsURI is the URL of a blob of PnsFeedback records, one per
	// failed delivery; read it with ParsePnsFeedback.
	PnsErrorDetailsURI string
	// Outcomes holds the outcome counts of each send format (push.Apple for
	// the service's <ApnsOutcomeCounts>, push.Windows for <WnsOutcomeCounts>,
	// ...), in the service's order. Counts of a platform the service adds
	// later are kept under the name of their element, without
	// "OutcomeCounts".
	Outcomes map[push.Platform][]OutcomeCount
}

// Count returns the count of outcome name (such as "Success", or a PnsError
// such as "InvalidToken") of the deliveries to platform p, 0 when the service
// reported none: how a back end learns, after a send, how many devices it
// reached and how many handles are dead.
func (d NotificationDetails) Count(p push.Platform, name string) int64 {
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

// parseNotificationDetails reads the <NotificationDetails> document of a
// notification's telemetry. Elements are matched by local name in any order;
// unknown ones are ignored; every element whose name ends in "OutcomeCounts"
// (ApnsOutcomeCounts, FcmV1OutcomeCounts, BrowserOutcomeCounts,
// XiaomiOutcomeCounts, ... and ones added later) becomes an entry of Outcomes. A
// state this package does not know is kept. Times are RFC 3339 (without a zone:
// UTC). The error is a *push.Error with Op "azurenh: decode notification
// details" and no Kind.
func parseNotificationDetails(data []byte) (NotificationDetails, error) {
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
		Tags: strings.TrimSpace(x.Tags), TargetPlatforms: platformList(x.TargetPlatforms),
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

// platformList reads the comma-separated formats of TargetPlatforms; nil
// when there is none.
func platformList(text string) []push.Platform {
	var out []push.Platform
	for f := range strings.SplitSeq(text, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, push.Platform(f))
		}
	}
	return out
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
func outcomeMap(counts []outcomeCountsXML) (map[push.Platform][]OutcomeCount, error) {
	var out map[push.Platform][]OutcomeCount
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
			out = make(map[push.Platform][]OutcomeCount)
		}
		p := outcomePlatform(name)
		out[p] = append(out[p], list...)
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

// encodeNotificationDetails returns d as the service writes it: a
// <NotificationDetails> document with NotificationId, Location, State, the
// times, NotificationBody, Tags, TargetPlatforms, the outcome counts of each
// platform (known platforms in a fixed order, then the others by name) and
// PnsErrorDetailsUri, empty fields left out. Tests that play the service
// answer with it.
func encodeNotificationDetails(d NotificationDetails) ([]byte, error) {
	for p := range d.Outcomes {
		if !isXMLName(outcomeElement(p)) {
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
	w.text("TargetPlatforms", strings.Join(platformStrings(d.TargetPlatforms), ","))
	for _, p := range d.outcomePlatforms() {
		w.outcomes(outcomeElement(p)+"OutcomeCounts", d.Outcomes[p])
	}
	w.text("PnsErrorDetailsUri", d.PnsErrorDetailsURI)
}

// outcomePlatforms returns the platforms of d.Outcomes: known ones in the
// order of outcomeElements, then the others sorted.
func (d NotificationDetails) outcomePlatforms() []push.Platform {
	var out []push.Platform
	for _, e := range outcomeElements {
		if _, ok := d.Outcomes[e.p]; ok && !slices.Contains(out, e.p) {
			out = append(out, e.p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(d.Outcomes)) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func platformStrings(ps []push.Platform) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
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
