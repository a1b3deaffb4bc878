package azurenh_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push/azurenh"
)

const (
	sampleContainer = "https://contosojobs.blob.core.windows.net/jobs?sv=2020-08-04&sr=c&sig=c2lnbmF0dXJl&sp=rwl"
	sampleImport    = "https://contosojobs.blob.core.windows.net/jobs/create.txt?sv=2020-08-04&sr=b&sig=c2ln&sp=r"
)

func sampleJob() azurenh.Job {
	return azurenh.Job{Type: azurenh.JobImportCreateRegistrations, OutputContainerURL: sampleContainer, ImportFileURL: sampleImport}
}

// servedJob is a job as the service reports it once done.
func servedJob() azurenh.Job {
	j := sampleJob()
	j.ID, j.Status, j.Progress, j.Failure = "17", azurenh.JobCompleted, 99.99, "3 lines failed"
	j.InputProperties = map[string]string{"Tag": "import"}
	j.OutputProperties = map[string]string{"OutputFilePath": "jobs/scores/17/Output.txt", "FailedFilePath": "jobs/scores/17/Failed.txt"}
	j.CreatedAt = time.Date(2031, 12, 6, 1, 48, 49, 987448400, time.UTC)
	j.UpdatedAt = time.Date(2031, 12, 6, 1, 48, 54, 450116500, time.UTC)
	return j
}

func TestEncodeJobGolden(t *testing.T) {
	req, err := azurenh.EncodeJobRequest(sampleJob())
	require.NoError(t, err)
	checkMgmtGolden(t, "job_request", req)
	entry, err := azurenh.EncodeJobEntry(servedJob())
	require.NoError(t, err)
	checkMgmtGolden(t, "job_entry", entry)
}

func TestJobRoundTrip(t *testing.T) {
	want := servedJob()
	entry, err := azurenh.EncodeJobEntry(want)
	require.NoError(t, err)
	got, err := azurenh.DecodeJob(entry)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	export := azurenh.Job{ID: "18", Type: azurenh.JobExportRegistrations, Status: azurenh.JobRunning, OutputContainerURL: sampleContainer}
	feed, err := azurenh.EncodeJobFeed([]azurenh.Job{want, export})
	require.NoError(t, err)
	jobs, err := azurenh.DecodeJobFeed(feed)
	require.NoError(t, err)
	assert.Equal(t, []azurenh.Job{want, export}, jobs)
}

// serviceJob is a job as the service answers, shaped like the SDKs' recorded
// answers with values of our own: CDATA with whitespace around it, the
// dictionaries under another prefix, elements out of order.
const serviceJob = `<entry xmlns="http://www.w3.org/2005/Atom">
<id>https://contoso.servicebus.windows.net/scores/jobs/5?api-version=2020-06</id>
<title type="text">5</title>
<content type="application/xml">
  <NotificationHubJob xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
    <Status>Failed</Status>
    <JobId>5</JobId>
    <Progress>42.5</Progress>
    <Type>ImportDeleteRegistrations</Type>
    <OutputContainerUri>
      <![CDATA[https://contosojobs.blob.core.windows.net/jobs]]>
    </OutputContainerUri>
    <ImportFileUri><![CDATA[https://contosojobs.blob.core.windows.net/jobs/delete.txt]]></ImportFileUri>
    <OutputProperties xmlns:kv="http://schemas.microsoft.com/2003/10/Serialization/Arrays">
      <kv:KeyValueOfstringstring><kv:Key>FailedFilePath</kv:Key><kv:Value>jobs/scores/5/Failed.txt</kv:Value></kv:KeyValueOfstringstring>
    </OutputProperties>
    <Failure>The import file has a bad line</Failure>
    <CreatedAt>2031-12-06T01:48:49.9874484Z</CreatedAt>
    <UpdatedAt>2031-12-06T01:48:54Z</UpdatedAt>
    <Cost>ignored</Cost>
  </NotificationHubJob>
</content>
</entry>`

func TestDecodeServiceJob(t *testing.T) {
	got, err := azurenh.DecodeJob([]byte(serviceJob))
	require.NoError(t, err)
	assert.Equal(t, azurenh.Job{ID: "5", Type: azurenh.JobImportDeleteRegistrations, Status: azurenh.JobFailed, Progress: 42.5,
		OutputContainerURL: "https://contosojobs.blob.core.windows.net/jobs", ImportFileURL: "https://contosojobs.blob.core.windows.net/jobs/delete.txt",
		OutputProperties: map[string]string{"FailedFilePath": "jobs/scores/5/Failed.txt"}, Failure: "The import file has a bad line",
		CreatedAt: time.Date(2031, 12, 6, 1, 48, 49, 987448400, time.UTC), UpdatedAt: time.Date(2031, 12, 6, 1, 48, 54, 0, time.UTC)}, got)
	assert.True(t, got.Done())
	assert.Equal(t, "jobs/scores/5/Failed.txt", got.FailuresFile())
	assert.Equal(t, "", got.OutputFile())

	empty, err := azurenh.DecodeJobFeed([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">jobs</title></feed>`))
	require.NoError(t, err)
	assert.Nil(t, empty)
}

func TestJobDone(t *testing.T) {
	for status, done := range map[azurenh.JobStatus]bool{azurenh.JobStarted: false, azurenh.JobRunning: false,
		azurenh.JobCompleted: true, azurenh.JobFailed: true, "Paused": false} {
		assert.Equal(t, done, azurenh.Job{Status: status}.Done(), status)
	}
}

func TestJobValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*azurenh.Job)
		want string
	}{
		{"type", func(j *azurenh.Job) { j.Type = "Import" }, `type "Import" is not a job type; want ExportRegistrations, ImportCreateRegistrations, ImportUpdateRegistrations, ImportDeleteRegistrations or ImportUpsertRegistrations`},
		{"output", func(j *azurenh.Job) { j.OutputContainerURL = "jobs?sig=s3cr3t" }, "the output container URL is not an absolute URL"},
		{"import file", func(j *azurenh.Job) { j.ImportFileURL = "" }, "ImportCreateRegistrations needs an import file URL, an absolute URL"},
		{"export file", func(j *azurenh.Job) { j.Type = azurenh.JobExportRegistrations }, "ExportRegistrations takes no import file URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := sampleJob()
			c.edit(&j)
			requireInvalid(t, j.Validate(), "azurenh: job", c.want)
			_, err := azurenh.EncodeJobRequest(j)
			requireInvalid(t, err, "azurenh: job", c.want)
			assert.NotContains(t, err.Error(), "s3cr3t")
		})
	}
}

func TestDecodeJobErrors(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"no job", `<entry><content/></entry>`, "the entry has no NotificationHubJob in its <content>"},
		{"root", `<NotificationDetails/>`, "the root element is <NotificationDetails>, not an Atom <entry>"},
		{"progress", `<NotificationHubJob><Progress>NaN</Progress></NotificationHubJob>`, `<Progress> "NaN" is not a number`},
		{"time", `<NotificationHubJob><CreatedAt>now</CreatedAt></NotificationHubJob>`, `CreatedAt: time "now" is not in RFC 3339 form`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := azurenh.DecodeJob([]byte(c.doc))
			require.Error(t, err)
			e := mgmtError(t, err)
			assert.Equal(t, "azurenh: decode job", e.Op)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	_, err := azurenh.DecodeJobFeed([]byte(`<feed><entry><content><NotificationHubJob><Progress>x</Progress></NotificationHubJob></content></entry></feed>`))
	assert.EqualError(t, err, `azurenh: decode job: the document does not parse: entry 0: <Progress> "x" is not a number`)
	_, err = azurenh.DecodeJobFeed([]byte(`<entry/>`))
	assert.ErrorContains(t, err, "the root element is <entry>, not an Atom <feed>")
}
