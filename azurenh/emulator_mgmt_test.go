package azurenh_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// The tests here manage devices through the emulator, which reads the wire on
// its own, and check what sends then reach.

const (
	iphoneToken = "a591bde2720d89d4086beb6a51b6e58aa30e48b6295fa4e6e4beb5c3d8f3e0c1"
	ipadToken   = "b6e58aa30e48b6295fa4e6e4beb5c3d8f3e0c1a591bde2720d89d4086beb6a51"
	pixelToken  = "cRk3pW:APA91bH4zQ"
)

// outcomeIDs returns the registration IDs of a test send's outcome, sorted.
func outcomeIDs(t *testing.T, r push.Receipt) []string {
	t.Helper()
	require.NotNil(t, r.Outcome)
	var ids []string
	for _, d := range r.Outcome.Results {
		ids = append(ids, d.RegistrationID)
	}
	slices.Sort(ids)
	return ids
}

func TestEmulatorInstallations(t *testing.T) {
	srv, clock := newEmulated(t)
	c := emulatedClient(t, srv, srv.ConnectionString(), clock, azurenh.WithTestSend(true))
	ctx := context.Background()

	for _, in := range []azurenh.Installation{
		{ID: "iphone-1", Platform: azurenh.InstallationAPNS, PushChannel: azurenh.HandleChannel(iphoneToken), Tags: []string{"sports"}, UserID: "ada"},
		{ID: "ipad-1", Platform: azurenh.InstallationAPNS, PushChannel: azurenh.HandleChannel(ipadToken), Tags: []string{"news"}},
		{ID: "pixel-1", Platform: azurenh.InstallationFCMV1, PushChannel: azurenh.HandleChannel(pixelToken), Tags: []string{"sports"}},
	} {
		require.NoError(t, c.PutInstallation(ctx, in))
	}
	r, err := c.Send(ctx, hello(t), push.Tags("sports"))
	require.NoError(t, err)
	assert.Equal(t, []string{"iphone-1"}, outcomeIDs(t, r), "an apple send reaches the apns installations with the tag")

	require.NoError(t, c.PatchInstallation(ctx, "iphone-1", azurenh.AddTag("news"), azurenh.RemoveTag("sports")))
	r, err = c.Send(ctx, hello(t), push.Tags("sports"))
	require.NoError(t, err)
	assert.Empty(t, outcomeIDs(t, r), "the patch removed the tag")
	r, err = c.Send(ctx, hello(t), push.Tags("news"))
	require.NoError(t, err)
	assert.Equal(t, []string{"ipad-1", "iphone-1"}, outcomeIDs(t, r))
	r, err = c.Send(ctx, hello(t), push.User("ada"))
	require.NoError(t, err)
	assert.Equal(t, []string{"iphone-1"}, outcomeIDs(t, r))

	got, err := c.GetInstallation(ctx, "iphone-1")
	require.NoError(t, err)
	assert.Equal(t, []string{"news"}, got.Tags)
	assert.Equal(t, iphoneToken, got.PushChannel.Handle)
	require.NotNil(t, got.LastUpdate)
	assert.Equal(t, clock.Now(), *got.LastUpdate)

	require.NoError(t, c.DeleteInstallation(ctx, "iphone-1"))
	_, err = c.GetInstallation(ctx, "iphone-1")
	require.ErrorIs(t, err, push.ErrNotFound)
	require.NoError(t, c.DeleteInstallation(ctx, "iphone-1"), "the service answers 204 for a missing installation")
	require.ErrorIs(t, c.PatchInstallation(ctx, "iphone-1", azurenh.AddTag("x")), push.ErrNotFound)

	send := emulatedClient(t, srv, srv.SendConnectionString(), clock)
	_, err = send.GetInstallation(ctx, "ipad-1")
	require.ErrorIs(t, err, push.ErrUnauthorized, "the Send rule cannot read installations")
}

func TestEmulatorRegistrations(t *testing.T) {
	srv, clock := newEmulated(t)
	ctx := context.Background()
	device := emulatedClient(t, srv, srv.ListenConnectionString(), clock)
	backend := emulatedClient(t, srv, srv.ConnectionString(), clock, azurenh.WithTestSend(true))

	// The registration-ID flow, as a device runs it.
	id, err := device.NewRegistrationID(ctx)
	require.NoError(t, err)
	reg, err := device.CreateOrUpdateRegistration(ctx, azurenh.Registration{Kind: azurenh.AppleRegistration, ID: id,
		Handle: iphoneToken, Tags: []string{"sports", "city_Boston"}})
	require.NoError(t, err)
	assert.Equal(t, id, reg.ID)
	assert.Equal(t, "1", reg.ETag)

	reg.Tags = []string{"news"}
	updated, err := device.UpdateRegistration(ctx, reg)
	require.NoError(t, err)
	assert.Equal(t, "2", updated.ETag)
	_, err = device.UpdateRegistration(ctx, reg) // reg still has ETag 1
	var e *push.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusPreconditionFailed, e.StatusCode)
	assert.ErrorIs(t, err, push.ErrConflict)

	// More registrations, created directly.
	var ids []string
	for i, tok := range []string{ipadToken, strings.Repeat("c0", 32), strings.Repeat("d1", 32)} {
		r, err := device.CreateRegistration(ctx, azurenh.Registration{Kind: azurenh.AppleRegistration, Handle: tok, Tags: []string{"news", "n" + string(rune('0'+i))}})
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}
	tpl, err := device.CreateRegistration(ctx, azurenh.Registration{Kind: azurenh.FCMV1TemplateRegistration, Handle: pixelToken,
		Tags: []string{"sports"}, BodyTemplate: `{"message":{"notification":{"body":"$(msg)"}}}`, TemplateName: "msg"})
	require.NoError(t, err)

	// Listing in pages of 2.
	var all []string
	for r, err := range backend.Registrations(ctx, azurenh.Top(2)) {
		require.NoError(t, err)
		all = append(all, r.ID)
	}
	assert.Equal(t, append(append([]string{id}, ids...), tpl.ID), all)

	byTag := collectIDs(t, backend.RegistrationsByTag(ctx, "news", azurenh.Top(1)))
	assert.Equal(t, append([]string{id}, ids...), byTag)
	byChannel := collectIDs(t, device.RegistrationsByChannel(ctx, push.Apple, ipadToken))
	assert.Equal(t, ids[:1], byChannel, "the filter names the token in upper case")
	byChannel = collectIDs(t, device.RegistrationsByChannel(ctx, push.FCMV1, pixelToken))
	assert.Equal(t, []string{tpl.ID}, byChannel)
	for _, err := range device.RegistrationsByTag(ctx, "news") {
		require.ErrorIs(t, err, push.ErrUnauthorized, "listing by tag needs Manage")
	}

	// Sends reach registrations: native by format and tag, templates by tag.
	r, err := backend.Send(ctx, hello(t), push.Tags("n1"))
	require.NoError(t, err)
	assert.Equal(t, []string{ids[1]}, outcomeIDs(t, r))
	n, err := push.TemplateNotification(map[string]string{"msg": "Goal!"})
	require.NoError(t, err)
	r, err = backend.Send(ctx, n, push.Tags("sports"))
	require.NoError(t, err)
	assert.Equal(t, []string{tpl.ID}, outcomeIDs(t, r))

	// Delete with a stale ETag, then with the current one.
	err = device.DeleteRegistration(ctx, id, "1")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusPreconditionFailed, e.StatusCode)
	require.NoError(t, device.DeleteRegistration(ctx, id, updated.ETag))
	_, err = device.GetRegistration(ctx, id)
	require.ErrorIs(t, err, push.ErrNotFound)
	require.ErrorIs(t, device.DeleteRegistration(ctx, id, ""), push.ErrNotFound)
	got, err := device.GetRegistration(ctx, tpl.ID)
	require.NoError(t, err)
	assert.Equal(t, tpl, got)
}

func collectIDs(t *testing.T, seq func(func(azurenh.Registration, error) bool)) []string {
	t.Helper()
	var ids []string
	for r, err := range seq {
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}
	return ids
}

func TestEmulatorTelemetry(t *testing.T) {
	srv, clock := newEmulated(t)
	c := emulatedClient(t, srv, srv.ConnectionString(), clock)
	ctx := context.Background()
	require.NoError(t, c.PutInstallation(ctx, azurenh.Installation{ID: "iphone-1", Platform: azurenh.InstallationAPNS,
		PushChannel: azurenh.HandleChannel(iphoneToken), Tags: []string{"sports"}}))
	_, err := c.CreateRegistration(ctx, azurenh.Registration{Kind: azurenh.AppleRegistration, Handle: ipadToken, Tags: []string{"sports"}})
	require.NoError(t, err)

	r, err := c.Send(ctx, hello(t), push.Tags("sports"))
	require.NoError(t, err)
	d, err := c.NotificationDetails(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, azurenh.NotificationCompleted, d.State)
	assert.True(t, d.State.Final())
	assert.Equal(t, int64(2), d.Count(push.Apple, "Success"))
	assert.Equal(t, "sports", d.Tags)
	assert.Equal(t, clock.Now(), d.EnqueueTime)

	_, err = c.NotificationDetails(ctx, "unknown")
	require.ErrorIs(t, err, push.ErrNotFound)

	free, freeClock := newEmulated(t, nhtest.WithTier(nhtest.TierFree))
	_, err = emulatedClient(t, free, free.ConnectionString(), freeClock).NotificationDetails(ctx, "x")
	require.ErrorIs(t, err, push.ErrForbidden)
}

func TestEmulatorJobs(t *testing.T) {
	srv, clock := newEmulated(t)
	c := emulatedClient(t, srv, srv.ConnectionString(), clock)
	ctx := context.Background()
	const container = "https://contoso.blob.core.windows.net/export?sv=2020-08-04&sr=c&sig=c2ln&sp=rwl"

	j, err := c.SubmitJob(ctx, azurenh.Job{Type: azurenh.JobExportRegistrations, OutputContainerURL: container})
	require.NoError(t, err)
	assert.Equal(t, azurenh.JobStarted, j.Status)
	assert.Equal(t, container, j.OutputContainerURL)

	done, err := c.WaitJob(ctx, j.ID, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, azurenh.JobCompleted, done.Status)
	assert.Equal(t, float64(100), done.Progress)
	assert.NotEmpty(t, done.OutputFile())
	assert.Equal(t, []time.Duration{10 * time.Second}, clock.Sleeps(), "one wait between Running and Completed")

	jobs, err := c.Jobs(ctx)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	assert.Equal(t, j.ID, jobs[0].ID)

	_, err = emulatedClient(t, srv, srv.ListenConnectionString(), clock).Jobs(ctx)
	require.ErrorIs(t, err, push.ErrUnauthorized, "jobs need Manage")
}

func TestEmulatorFeedback(t *testing.T) {
	srv, clock := newEmulated(t)
	c := emulatedClient(t, srv, srv.ConnectionString(), clock)
	ctx := context.Background()
	require.NoError(t, c.PutInstallation(ctx, azurenh.Installation{ID: "tablet", Platform: azurenh.InstallationWNS,
		PushChannel: azurenh.HandleChannel("https://db5p.notify.windows.com/?token=AwY")}))
	srv.AddFeedback(
		nhtest.Feedback{Error: "ExpiredChannel", Platform: "windows", Handle: "https://db5p.notify.windows.com/?token=AwY", InstallationID: "tablet"},
		nhtest.Feedback{Error: "RefreshToken", Platform: push.FCMV1, Handle: "old", NewHandle: "new", InstallationID: "pixel"},
	)

	container, err := c.FeedbackContainerURL(ctx)
	require.NoError(t, err)
	var pruned []string
	for _, blob := range listBlobs(t, srv.Client(), container) {
		for fb, err := range azurenh.ParsePnsFeedback(readBlob(t, srv.Client(), container, blob)) {
			require.NoError(t, err)
			if fb.NotificationSystemError.DeadHandle() {
				require.NoError(t, c.DeleteInstallation(ctx, fb.InstallationID))
				pruned = append(pruned, fb.InstallationID)
			}
		}
	}
	assert.Equal(t, []string{"tablet"}, pruned)
	_, err = c.GetInstallation(ctx, "tablet")
	require.ErrorIs(t, err, push.ErrNotFound)
}

// listBlobs lists a feedback container, as the Azure Storage REST API does.
func listBlobs(t *testing.T, hc *http.Client, container string) []string {
	t.Helper()
	body, err := io.ReadAll(get(t, hc, container+"&restype=container&comp=list"))
	require.NoError(t, err)
	var list struct {
		Names []string `xml:"Blobs>Blob>Name"`
	}
	require.NoError(t, xml.Unmarshal(body, &list))
	return list.Names
}

// readBlob reads a blob of a feedback container.
func readBlob(t *testing.T, hc *http.Client, container, name string) io.Reader {
	t.Helper()
	base, query, _ := strings.Cut(container, "?")
	return get(t, hc, base+"/"+name+"?"+query)
}

func get(t *testing.T, hc *http.Client, u string) io.Reader {
	t.Helper()
	resp, err := hc.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	return strings.NewReader(string(body))
}
