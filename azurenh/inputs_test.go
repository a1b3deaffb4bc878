package azurenh

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// call is one exported method of the Client that takes a context and does
// I/O, with valid arguments but for what the test varies.
type call struct {
	name string
	do   func(ctx context.Context, c *Client, id string) error
}

// first returns the error of the first item of an iterator.
func first(seq func(func(Registration, error) bool)) error {
	var err error
	seq(func(_ Registration, e error) bool { err = e; return false })
	return err
}

// idCalls are the methods that put an ID, or a tag, in the URL path.
var idCalls = []call{
	{"GetInstallation", func(ctx context.Context, c *Client, id string) error {
		_, err := c.GetInstallation(ctx, id)
		return err
	}},
	{"DeleteInstallation", func(ctx context.Context, c *Client, id string) error { return c.DeleteInstallation(ctx, id) }},
	{"PatchInstallation", func(ctx context.Context, c *Client, id string) error {
		return c.PatchInstallation(ctx, id, AddTag("t"))
	}},
	{"PutInstallation", func(ctx context.Context, c *Client, id string) error {
		return c.PutInstallation(ctx, Installation{ID: id, Platform: InstallationAPNS, PushChannel: HandleChannel("ab12")})
	}},
	{"GetRegistration", func(ctx context.Context, c *Client, id string) error {
		_, err := c.GetRegistration(ctx, id)
		return err
	}},
	{"DeleteRegistration", func(ctx context.Context, c *Client, id string) error { return c.DeleteRegistration(ctx, id, "") }},
	{"CreateOrUpdateRegistration", func(ctx context.Context, c *Client, id string) error {
		_, err := c.CreateOrUpdateRegistration(ctx, Registration{ID: id, Kind: AppleRegistration, Handle: "AB12"})
		return err
	}},
	{"UpdateRegistration", func(ctx context.Context, c *Client, id string) error {
		_, err := c.UpdateRegistration(ctx, Registration{ID: id, Kind: AppleRegistration, Handle: "AB12"})
		return err
	}},
	{"Job", func(ctx context.Context, c *Client, id string) error { _, err := c.Job(ctx, id); return err }},
	{"WaitJob", func(ctx context.Context, c *Client, id string) error {
		_, err := c.WaitJob(ctx, id, time.Second)
		return err
	}},
	{"NotificationDetails", func(ctx context.Context, c *Client, id string) error {
		_, err := c.NotificationDetails(ctx, id)
		return err
	}},
	{"Cancel", func(ctx context.Context, c *Client, id string) error { return c.Cancel(ctx, id) }},
	{"RegistrationsByTag", func(ctx context.Context, c *Client, id string) error { return first(c.RegistrationsByTag(ctx, id)) }},
}

// otherCalls are the rest of the methods that take a context.
var otherCalls = []call{
	{"Send", func(ctx context.Context, c *Client, _ string) error {
		_, err := c.Send(ctx, appleNote(), push.Tags("a"))
		return err
	}},
	{"Schedule", func(ctx context.Context, c *Client, _ string) error {
		_, err := c.Schedule(ctx, appleNote(), push.Tags("a"), clientStart.Add(time.Hour))
		return err
	}},
	{"NewRegistrationID", func(ctx context.Context, c *Client, _ string) error { _, err := c.NewRegistrationID(ctx); return err }},
	{"CreateRegistration", func(ctx context.Context, c *Client, _ string) error {
		_, err := c.CreateRegistration(ctx, Registration{Kind: AppleRegistration, Handle: "AB12"})
		return err
	}},
	{"Registrations", func(ctx context.Context, c *Client, _ string) error { return first(c.Registrations(ctx)) }},
	{"RegistrationsByChannel", func(ctx context.Context, c *Client, _ string) error {
		return first(c.RegistrationsByChannel(ctx, push.Apple, "ab12"))
	}},
	{"SubmitJob", func(ctx context.Context, c *Client, _ string) error {
		_, err := c.SubmitJob(ctx, Job{Type: JobExportRegistrations, OutputContainerURL: "https://a.blob.core.windows.net/c?sig=x"})
		return err
	}},
	{"Jobs", func(ctx context.Context, c *Client, _ string) error { _, err := c.Jobs(ctx); return err }},
	{"FeedbackContainerURL", func(ctx context.Context, c *Client, _ string) error {
		_, err := c.FeedbackContainerURL(ctx)
		return err
	}},
}

// TestNilContextIsRefused checks that every method that takes a context
// answers a nil one with push.CheckContext's error, before any I/O.
func TestNilContextIsRefused(t *testing.T) {
	for _, tc := range append(append([]call(nil), idCalls...), otherCalls...) {
		t.Run(tc.name, func(t *testing.T) {
			rec, mock := newRecorder(nil)
			c, _ := newTestClient(t, mock)
			var err error
			require.NotPanics(t, func() { err = tc.do(nil, c, "id-1") })
			require.Error(t, err)
			assert.Contains(t, err.Error(), "the context is nil")
			assert.Empty(t, rec.requests())
		})
	}
}

// TestIDsStayInTheirPathSegment checks that an ID or a tag that would
// address another path of the hub is refused before any I/O.
func TestIDsStayInTheirPathSegment(t *testing.T) {
	for _, tc := range idCalls {
		for _, id := range []string{"..", ".", "a/b", "../installations", `a\b`, "a\x00b", "a\tb", "a\xffb"} {
			t.Run(tc.name+" "+strconv.Quote(id), func(t *testing.T) {
				rec, mock := newRecorder(nil)
				c, _ := newTestClient(t, mock)
				err := tc.do(context.Background(), c, id)
				require.ErrorIs(t, err, push.ErrInvalidTarget)
				assert.Empty(t, rec.requests(), "nothing was sent")
			})
		}
	}
}

func TestHubNamesThatArePaths(t *testing.T) {
	for _, hub := range []string{".", "..", ".hub", "hub.", "-hub", "hub_"} {
		_, err := New(clientConn, hub)
		assert.Error(t, err, "%q", hub)
	}
	for _, hub := range []string{"h", "my.hub", "my-hub_2", "A1"} {
		_, err := New(clientConn, hub)
		assert.NoError(t, err, "%q", hub)
	}
}

// TestRegistrationPagingAlwaysEnds checks that a service answering empty
// pages with ever-new continuation tokens makes the listing end with an
// error, though the caller, seeing no registration, never gets to break.
func TestRegistrationPagingAlwaysEnds(t *testing.T) {
	rec, mock := newRecorder(func(n int, _ captured) (*http.Response, error) {
		return respond(http.StatusOK, `<feed xmlns="http://www.w3.org/2005/Atom"><title>Registrations</title></feed>`,
			map[string]string{"X-MS-ContinuationToken": fmt.Sprintf("token-%d", n)})
	})
	c, _ := newTestClient(t, mock)
	var errs []error
	for _, err := range c.Registrations(context.Background()) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "empty pages in a row")
	assert.Len(t, rec.requests(), maxEmptyPages)
}
