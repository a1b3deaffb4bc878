package nhtest_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push/azurenh/nhtest"
)

// detailsOut is a NotificationDetails document, read by a test.
type detailsOut struct {
	XMLName         xml.Name
	NotificationID  string `xml:"NotificationId"`
	State           string `xml:"State"`
	EnqueueTime     string `xml:"EnqueueTime"`
	EndTime         string `xml:"EndTime"`
	Tags            string `xml:"Tags"`
	TargetPlatforms string `xml:"TargetPlatforms"`
	Counts          []struct {
		XMLName  xml.Name
		Outcomes []struct {
			Name  string `xml:"Name"`
			Count int    `xml:"Count"`
		} `xml:"Outcome"`
	} `xml:",any"`
}

// counts renders the outcome counts as "ApnsOutcomeCounts:Success=2 ...".
func (d detailsOut) counts() string {
	var parts []string
	for _, c := range d.Counts {
		if !strings.HasSuffix(c.XMLName.Local, "OutcomeCounts") {
			continue
		}
		for _, o := range c.Outcomes {
			parts = append(parts, fmt.Sprintf("%s:%s=%d", c.XMLName.Local, o.Name, o.Count))
		}
	}
	return strings.Join(parts, " ")
}

func (e *emulator) details(t *testing.T, id string) detailsOut {
	t.Helper()
	resp := e.do(req{method: http.MethodGet, path: "/messages/" + id})
	resp.expect(t, http.StatusOK, "")
	var d detailsOut
	if err := xml.Unmarshal(resp.body, &d); err != nil {
		t.Fatalf("%s: %v", resp.body, err)
	}
	return d
}

func TestNotificationDetails(t *testing.T) {
	e := newEmulator(t)
	seed(t, e)
	seedRegistrations(t, e)
	cases := []struct {
		name                     string
		r                        req
		state, platforms, counts string
	}{
		{"apple to a tag", appleSend("sports"), "Completed", "apple", "ApnsOutcomeCounts:Success=3"},
		{"nobody", appleSend("nobody"), "NoTargetFound", "apple", ""},
		{"template broadcast", send("template", ctJS, `{"m":"hi"}`), "Completed", "windowstemplate,appletemplate",
			"ApnsOutcomeCounts:Success=1 WnsOutcomeCounts:Success=1"},
		{"fcmv1 broadcast", send("fcmv1", ctJS, `{"message":{}}`), "Completed", "fcmv1", "FcmV1OutcomeCounts:Success=1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.Reset()
			e.do(c.r).expect(t, http.StatusCreated, "")
			id := e.Sends()[0].ID
			d := e.details(t, id)
			if d.XMLName.Local != "NotificationDetails" || d.NotificationID != id || d.State != c.state ||
				d.TargetPlatforms != c.platforms || d.counts() != c.counts || d.EnqueueTime != "2030-01-02T03:04:05Z" {
				t.Errorf("details %+v (counts %q)", d, d.counts())
			}
		})
	}
	t.Run("scheduled, then cancelled", func(t *testing.T) {
		r := appleSend("sports")
		r.path = "/schedulednotifications"
		r.header.Set("ServiceBusNotification-ScheduleTime", start.Add(time.Hour).Format(time.RFC3339))
		e.do(r).expect(t, http.StatusCreated, "")
		id := e.Scheduled()[0].ID
		if d := e.details(t, id); d.State != "Scheduled" || d.counts() != "" {
			t.Errorf("pending: %+v", d)
		}
		e.do(req{method: http.MethodDelete, path: "/schedulednotifications/" + id}).expect(t, http.StatusOK, "")
		if d := e.details(t, id); d.State != "Cancelled" {
			t.Errorf("cancelled: %+v", d)
		}
	})
	t.Run("unknown ID", func(t *testing.T) {
		e.do(req{method: http.MethodGet, path: "/messages/nope"}).expect(t, http.StatusNotFound, "has no telemetry")
	})
	t.Run("POST", func(t *testing.T) {
		e.do(req{method: http.MethodPost, path: "/messages/nope"}).expect(t, http.StatusMethodNotAllowed, "")
	})
}

func TestStandardOnly(t *testing.T) {
	for _, tier := range []nhtest.Tier{nhtest.TierFree, nhtest.TierBasic} {
		t.Run(tier.String(), func(t *testing.T) {
			e := newEmulator(t, nhtest.WithTier(tier))
			for _, r := range []req{
				{method: http.MethodGet, path: "/messages/x"},
				{method: http.MethodGet, path: "/feedbackcontainer"},
				{method: http.MethodGet, path: "/jobs"},
				{method: http.MethodGet, path: "/jobs/1"},
			} {
				e.do(r).expect(t, http.StatusForbidden, "not available for your tier")
			}
		})
	}
}
