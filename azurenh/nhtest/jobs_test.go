package nhtest_test

import (
	"encoding/xml"
	"net/http"
	"testing"
	"time"

	"github.com/pushwire/push/azurenh/nhtest"
)

const exportContainer = "https://contoso.blob.core.windows.net/export?sv=2020-08-04&sr=c&sig=c2lnbmF0dXJl&sp=rwl"

func jobEntry(elements string) req {
	body := `<?xml version="1.0" encoding="utf-8"?><entry xmlns="http://www.w3.org/2005/Atom"><content type="application/xml">` +
		`<NotificationHubJob xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect">` +
		elements + `</NotificationHubJob></content></entry>`
	return req{method: http.MethodPost, path: "/jobs", header: http.Header{"Content-Type": {atomType}}, body: []byte(body)}
}

// jobOut is a job entry, read by a test.
type jobOut struct {
	Content struct {
		Job struct {
			JobID              string `xml:"JobId"`
			Progress           string `xml:"Progress"`
			Type               string `xml:"Type"`
			Status             string `xml:"Status"`
			OutputContainerURI string `xml:"OutputContainerUri"`
			OutputProperties   []struct {
				Key   string `xml:"Key"`
				Value string `xml:"Value"`
			} `xml:"OutputProperties>KeyValueOfstringstring"`
		} `xml:"NotificationHubJob"`
	} `xml:"content"`
}

func readJobEntry(t *testing.T, body []byte) jobOut {
	t.Helper()
	var j jobOut
	if err := xml.Unmarshal(body, &j); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return j
}

func TestJobs(t *testing.T) {
	e := newEmulator(t)
	resp := e.do(jobEntry("<Type>ExportRegistrations</Type><OutputContainerUri><![CDATA[" + exportContainer + "]]></OutputContainerUri>"))
	resp.expect(t, http.StatusCreated, "")
	j := readJobEntry(t, resp.body).Content.Job
	if j.JobID != "1" || j.Status != "Started" || j.Type != "ExportRegistrations" || j.OutputContainerURI != exportContainer {
		t.Fatalf("submitted %+v", j)
	}
	get := func() jobOut {
		resp := e.do(req{method: http.MethodGet, path: "/jobs/1"})
		resp.expect(t, http.StatusOK, "")
		return readJobEntry(t, resp.body)
	}
	if j := get().Content.Job; j.Status != "Running" || j.Progress != "50" {
		t.Errorf("first read: %+v", j)
	}
	done := get().Content.Job
	if done.Status != "Completed" || done.Progress != "100" || len(done.OutputProperties) != 2 ||
		done.OutputProperties[1].Key != "OutputFilePath" || done.OutputProperties[1].Value != "1/Output.txt" {
		t.Errorf("second read: %+v", done)
	}
	if got := e.Jobs(); len(got) != 1 || got[0].Status != "Completed" {
		t.Errorf("Jobs() = %+v", got)
	}
	e.do(req{method: http.MethodGet, path: "/jobs/2"}).expect(t, http.StatusNotFound, "was not found")
}

func TestJobsCompleteOnTheClock(t *testing.T) {
	e := newEmulator(t)
	for range 2 {
		e.do(jobEntry("<Type>ImportUpsertRegistrations</Type><OutputContainerUri>"+"https://x.blob.core.windows.net/out"+
			"</OutputContainerUri><ImportFileUri>https://x.blob.core.windows.net/in/file.txt</ImportFileUri>")).expect(t, http.StatusCreated, "")
	}
	e.clock.Advance(nhtest.JobDuration)
	resp := e.do(req{method: http.MethodGet, path: "/jobs"})
	resp.expect(t, http.StatusOK, "")
	var feed struct {
		Entries []jobOut `xml:"entry"`
	}
	if err := xml.Unmarshal(resp.body, &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 2 || feed.Entries[0].Content.Job.Status != "Completed" || feed.Entries[1].Content.Job.JobID != "2" {
		t.Errorf("feed %+v", feed)
	}
	if got := e.Jobs(); !got[0].UpdatedAt.Equal(start.Add(time.Minute)) {
		t.Errorf("UpdatedAt = %v", got[0].UpdatedAt)
	}
}

func TestJobChecks(t *testing.T) {
	e := newEmulator(t)
	cases := []struct {
		name, elements, detail string
	}{
		{"unknown type", "<Type>ExportInstallations</Type><OutputContainerUri>https://x/y</OutputContainerUri>", "is not supported"},
		{"no output container", "<Type>ExportRegistrations</Type>", "needs an OutputContainerUri"},
		{"import without file", "<Type>ImportCreateRegistrations</Type><OutputContainerUri>https://x/y</OutputContainerUri>", "needs an ImportFileUri"},
		{"export with a file", "<Type>ExportRegistrations</Type><OutputContainerUri>https://x/y</OutputContainerUri><ImportFileUri>https://x/f</ImportFileUri>", "takes no ImportFileUri"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.do(jobEntry(c.elements)).expect(t, http.StatusBadRequest, c.detail) })
	}
	t.Run("no entry", func(t *testing.T) {
		r := jobEntry("")
		r.body = []byte("<NotificationHubJob/>")
		e.do(r).expect(t, http.StatusBadRequest, "not an Atom entry")
	})
	t.Run("Listen rule", func(t *testing.T) {
		r := jobEntry("<Type>ExportRegistrations</Type>")
		r.rule = nhtest.ListenRuleName
		e.do(r).expect(t, http.StatusUnauthorized, "Manage claim is required")
	})
}
