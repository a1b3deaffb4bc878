package azurenh

import (
	"context"
	"net/http"
	"time"

	"github.com/pushwire/push"
)

// The Op of the errors of the job operations.
const (
	opSubmitJob = "azurenh: submit job"
	opGetJob    = "azurenh: get job"
	opListJobs  = "azurenh: list jobs"
	opWaitJob   = "azurenh: wait job"
)

// DefaultJobPoll is how often WaitJob asks for a job's status when given no
// interval. Jobs take minutes to hours; asking more often only spends quota.
const DefaultJobPoll = 10 * time.Second

// SubmitJob submits an import or export job with POST /HUB/jobs (201) and
// returns it as the service accepted it, with its ID and status (Started).
// Wait for it with WaitJob.
//
// j is checked with Job.Validate before any I/O; the error then matches
// push.ErrInvalidTarget. A submission repeated after an unknown outcome could
// run the job twice, so such an attempt is not retried. Jobs need the Manage
// right and the Standard tier (other tiers answer with an error matching
// push.ErrForbidden). The job's URLs carry signatures: the Client never logs
// them and the debug dump redacts them. SubmitJob is safe for concurrent use.
func (c *Client) SubmitJob(ctx context.Context, j Job) (Job, error) {
	body, err := encodeJobRequest(j)
	if err != nil {
		return Job{}, err
	}
	r := &hubRequest{op: opSubmitJob, method: http.MethodPost, url: c.hubURL("", "jobs"), body: body, keepBody: true}
	r.setString(headerContentType, contentTypeAtomEntry)
	return c.readJob(ctx, r)
}

// Job reads the job id with GET /HUB/jobs/ID: its status, progress and, once
// done, its output files or failure. A job that does not exist gives an error
// matching push.ErrNotFound. Job needs the Manage right; it is safe for
// concurrent use.
func (c *Client) Job(ctx context.Context, id string) (Job, error) {
	if err := checkResourceID(opGetJob, "job ID", id); err != nil {
		return Job{}, err
	}
	r := &hubRequest{op: opGetJob, method: http.MethodGet, url: c.hubURL("", "jobs", id), idempotent: true, keepBody: true}
	return c.readJob(ctx, r)
}

// readJob makes r and reads the job entry of its answer.
func (c *Client) readJob(ctx context.Context, r *hubRequest) (Job, error) {
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return Job{}, err
	}
	j, err := decodeJob(resp.body)
	if err != nil {
		return Job{}, answerError(r.op, resp, err)
	}
	return j, nil
}

// Jobs lists the hub's jobs with GET /HUB/jobs. The service answers them in
// one feed, not in pages (the SDKs ask once too), so Jobs returns a slice the
// caller owns, nil when there is none. Jobs needs the Manage right; it is safe
// for concurrent use.
func (c *Client) Jobs(ctx context.Context) ([]Job, error) {
	r := &hubRequest{op: opListJobs, method: http.MethodGet, url: c.hubURL("", "jobs"), idempotent: true, keepBody: true}
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	jobs, err := decodeJobFeed(resp.body)
	if err != nil {
		return nil, answerError(opListJobs, resp, err)
	}
	return jobs, nil
}

// WaitJob reads the job id every poll (DefaultJobPoll when poll is not
// positive), waiting on the Client's clock, until the job is Done or ctx ends,
// and returns its last state.
//
// A job that completed gives a nil error. A job that failed gives its state
// and a *push.Error without Kind whose Detail holds the service's Failure; the
// output properties (FailuresFile) say more. When ctx ends first, WaitJob
// returns the last state read and an error that matches ctx.Err(). A failed
// read ends the wait with its error (transient failures were retried under
// the Client's RetryPolicy first). WaitJob is safe for concurrent use.
func (c *Client) WaitJob(ctx context.Context, id string, poll time.Duration) (Job, error) {
	if poll <= 0 {
		poll = DefaultJobPoll
	}
	for {
		j, err := c.Job(ctx, id)
		switch {
		case err != nil:
			return j, err
		case j.Status == JobFailed:
			return j, &push.Error{Op: opWaitJob, Detail: "job " + id + " failed: " + failureText(j.Failure)}
		case j.Done():
			return j, nil
		}
		if err := c.cfg.clock.Sleep(ctx, poll); err != nil {
			return j, &push.Error{Op: opWaitJob, Detail: "stopped waiting for job " + id + " (status " + string(j.Status) + ")", Err: err}
		}
	}
}

// failureText returns the service's failure message of a job, shortened and
// with any URL signature redacted, or a note that it gave none.
func failureText(failure string) string {
	if failure == "" {
		return "the service gave no reason; see the job's failures file"
	}
	return clipText(string(redactSignatures([]byte(failure))), 512)
}
