package azurenh

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// exportSAS is the signature of exportContainer: a secret.
const exportSAS = "c2lnbmF0dXJlLW9mLXRoZS1leHBvcnQ%3D"

const exportContainer = "https://contoso.blob.core.windows.net/export?sv=2020-08-04&sr=c&sig=" + exportSAS + "&sp=rwl"

func exportJob(status JobStatus, progress float64) Job {
	j := Job{ID: "1", Type: JobExportRegistrations, Status: status, Progress: progress, OutputContainerURL: exportContainer,
		CreatedAt: clientStart, UpdatedAt: clientStart}
	if status == JobCompleted {
		j.OutputProperties = map[string]string{"OutputFilePath": "1/Output.txt", "FailedFilePath": "1/Failed.txt"}
	}
	return j
}

func answerJob(status int, j Job) func(int, captured) (*http.Response, error) {
	return answerStatus(status, string(must(encodeJobEntry(j))), "Content-Type", contentTypeAtomEntry)
}

func TestJobsWire(t *testing.T) {
	runMgmtWire(t, []mgmtCase{
		{name: "submit_job", answer: answerJob(http.StatusCreated, exportJob(JobStarted, 0)),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				j, err := c.SubmitJob(ctx, Job{Type: JobExportRegistrations, OutputContainerURL: exportContainer})
				require.NoError(t, err)
				assert.Equal(t, exportJob(JobStarted, 0), j)
			}},
		{name: "submit_import_job_debug", answer: answerJob(http.StatusCreated, exportJob(JobStarted, 0)),
			debug: true, secret: exportSAS,
			call: func(t *testing.T, ctx context.Context, c *Client) {
				_, err := c.SubmitJob(ctx, Job{Type: JobImportUpsertRegistrations, OutputContainerURL: exportContainer,
					ImportFileURL: "https://contoso.blob.core.windows.net/import/devices.txt?sv=2020-08-04&sr=b&sig=" + exportSAS + "&sp=r"})
				require.NoError(t, err)
			}},
		{name: "get_job", answer: answerJob(http.StatusOK, exportJob(JobCompleted, 100)),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				j, err := c.Job(ctx, "1")
				require.NoError(t, err)
				assert.Equal(t, "1/Output.txt", j.OutputFile())
			}},
		{name: "list_jobs", answer: answerStatus(http.StatusOK, string(must(encodeJobFeed([]Job{exportJob(JobCompleted, 100), exportJob(JobRunning, 50)})))),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				jobs, err := c.Jobs(ctx)
				require.NoError(t, err)
				assert.Equal(t, []Job{exportJob(JobCompleted, 100), exportJob(JobRunning, 50)}, jobs)
			}},
		{name: "wait_job", answer: answers(answerJob(http.StatusOK, exportJob(JobStarted, 0)), answerJob(http.StatusOK, exportJob(JobRunning, 50)),
			answerJob(http.StatusOK, exportJob(JobCompleted, 100))),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				j, err := c.WaitJob(ctx, "1", 30*time.Second)
				require.NoError(t, err)
				assert.Equal(t, exportJob(JobCompleted, 100), j)
			}},
	})
}

func TestWaitJob(t *testing.T) {
	ctx := context.Background()
	t.Run("polls on the client's clock", func(t *testing.T) {
		_, mock := newRecorder(answers(answerJob(http.StatusOK, exportJob(JobRunning, 10)), answerJob(http.StatusOK, exportJob(JobCompleted, 100))))
		c, clock := newTestClient(t, mock)
		_, err := c.WaitJob(ctx, "1", 0)
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{DefaultJobPoll}, clock.Sleeps())
	})
	t.Run("a failed job", func(t *testing.T) {
		failed := exportJob(JobFailed, 100)
		failed.Failure = "Could not write to https://contoso.blob.core.windows.net/export?sig=" + exportSAS
		_, mock := newRecorder(answerJob(http.StatusOK, failed))
		c, _ := newTestClient(t, mock)
		j, err := c.WaitJob(ctx, "1", time.Second)
		assert.Equal(t, JobFailed, j.Status)
		e := pushError(t, err)
		assert.Nil(t, e.Kind)
		assert.Equal(t, "azurenh: wait job", e.Op)
		assert.Contains(t, e.Detail, "job 1 failed: Could not write to")
		assert.NotContains(t, err.Error(), exportSAS)
	})
	t.Run("the context ends", func(t *testing.T) {
		_, mock := newRecorder(answerJob(http.StatusOK, exportJob(JobRunning, 10)))
		c, clock := newTestClient(t, mock)
		ctx, cancel := context.WithCancel(ctx)
		clock.OnSleep(func(time.Duration) { cancel() })
		j, err := c.WaitJob(ctx, "1", time.Minute)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, JobRunning, j.Status, "the last state read")
		assert.Contains(t, err.Error(), "stopped waiting for job 1 (status Running)")
	})
	t.Run("a read fails", func(t *testing.T) {
		_, mock := newRecorder(func(int, captured) (*http.Response, error) {
			return errorResponse(http.StatusNotFound, "Job not found.", nil)
		})
		c, _ := newTestClient(t, mock)
		_, err := c.WaitJob(ctx, "9", time.Second)
		require.ErrorIs(t, err, push.ErrNotFound)
		assert.Equal(t, "azurenh: get job", pushError(t, err).Op)
	})
}

func TestJobErrors(t *testing.T) {
	ctx := context.Background()
	rec, mock := newRecorder(answerStatus(http.StatusBadGateway, ""))
	c, _ := newTestClient(t, mock, WithRetry(steadyRetry))
	_, err := c.SubmitJob(ctx, Job{Type: JobImportCreateRegistrations, OutputContainerURL: exportContainer})
	require.ErrorIs(t, err, push.ErrInvalidTarget, "an import without a file")
	_, err = c.Job(ctx, "")
	require.ErrorIs(t, err, push.ErrInvalidTarget)
	assert.Empty(t, rec.requests())

	_, err = c.SubmitJob(ctx, Job{Type: JobExportRegistrations, OutputContainerURL: exportContainer})
	require.ErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.Len(t, rec.requests(), 1, "a submission is not repeated: the job could run twice")

	_, mock = newRecorder(answerStatus(http.StatusOK, "<feed><entry><content/></entry></feed>"))
	c, _ = newTestClient(t, mock)
	_, err = c.Jobs(ctx)
	e := pushError(t, err)
	assert.Nil(t, e.Kind)
	assert.Equal(t, "azurenh: list jobs", e.Op)
}

// FuzzDecodeJob reads any answer of a job read or submission as the Client
// does: it must not panic, and what it reads writes out as an entry that reads
// back to the same entry.
func FuzzDecodeJob(f *testing.F) {
	f.Add(string(must(encodeJobEntry(exportJob(JobCompleted, 100)))))
	f.Add(`<NotificationHubJob><Progress> 12.5 </Progress><InputProperties><KeyValueOfstringstring><Key>a</Key><Value>b</Value></KeyValueOfstringstring></InputProperties><Failure>x]]&gt;y</Failure></NotificationHubJob>`)
	f.Add(`<entry><content><NotificationHubJob><Progress>NaN</Progress></NotificationHubJob></content></entry>`)
	f.Fuzz(func(t *testing.T, body string) {
		j, err := decodeJob([]byte(body))
		if err != nil {
			return
		}
		out, err := encodeJobEntry(j)
		require.NoError(t, err)
		again, err := decodeJob(out)
		require.NoError(t, err, "%s", out)
		out2, err := encodeJobEntry(again)
		require.NoError(t, err)
		require.Equal(t, string(out), string(out2))
	})
}
