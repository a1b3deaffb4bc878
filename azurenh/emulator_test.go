package azurenh_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
	"github.com/pushwire/push/pushtest"
)

// The tests here run a Client against the emulator, which checks tokens and
// requests on its own and answers as the service does.

func newEmulated(t *testing.T, opts ...nhtest.Option) (*nhtest.Server, *pushtest.Clock) {
	t.Helper()
	clock := pushtest.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := nhtest.NewServer(append([]nhtest.Option{nhtest.WithClock(clock)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, clock
}

func emulatedClient(t *testing.T, srv *nhtest.Server, conn string, clock push.Clock, opts ...azurenh.Option) *azurenh.Client {
	t.Helper()
	all := append([]azurenh.Option{azurenh.WithHTTPClient(srv.Client()), azurenh.WithClock(clock),
		azurenh.WithRetry(push.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second})}, opts...)
	c, err := azurenh.New(conn, srv.Hub(), all...)
	require.NoError(t, err)
	return c
}

func hello(t *testing.T) push.Notification {
	n, err := push.AppleNotification(`{"aps":{"alert":"Hello!"}}`)
	require.NoError(t, err)
	return n
}

func TestEmulatorTestSend(t *testing.T) {
	srv, clock := newEmulated(t)
	require.NoError(t, srv.PutInstallation(nhtest.Installation{
		InstallationID: "iphone-1", Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: "a591bde2720d89d4"}, Tags: []string{"sports"},
	}))
	c := emulatedClient(t, srv, srv.SendConnectionString(), clock, azurenh.WithTestSend(true))
	ctx := context.Background()

	r, err := c.Send(ctx, hello(t), push.Tags("sports"))
	require.NoError(t, err)
	require.NotNil(t, r.Outcome)
	assert.Equal(t, 1, r.Outcome.Success)
	require.Len(t, r.Outcome.Results, 1)
	assert.Equal(t, "a591bde2720d89d4", r.Outcome.Results[0].Handle)
	assert.NotEmpty(t, r.ID)
	assert.NotEmpty(t, r.TrackingID)
	assert.NotEmpty(t, r.CorrelationID)

	r, err = c.Send(ctx, hello(t), push.Tags("politics"))
	require.NoError(t, err)
	assert.Equal(t, &push.Outcome{}, r.Outcome, "no device matched")
}

func TestEmulatorScheduleAndCancel(t *testing.T) {
	srv, clock := newEmulated(t)
	c := emulatedClient(t, srv, srv.SendConnectionString(), clock)
	ctx := context.Background()

	r, err := c.Schedule(ctx, hello(t), push.Tags("sports"), clock.Now().Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, srv.Scheduled(), 1)
	assert.Equal(t, srv.Scheduled()[0].ID, r.ID)
	require.NoError(t, c.Cancel(ctx, r.ID))
	assert.Empty(t, srv.Scheduled())
	assert.ErrorIs(t, c.Cancel(ctx, r.ID), push.ErrNotFound)
}

func TestEmulatorTiers(t *testing.T) {
	srv, clock := newEmulated(t, nhtest.WithTier(nhtest.TierFree))
	c := emulatedClient(t, srv, srv.SendConnectionString(), clock)
	ctx := context.Background()

	r, err := c.Send(ctx, hello(t), push.Broadcast())
	require.NoError(t, err)
	assert.Empty(t, r.ID, "the Free tier returns no Location, which is not an error")

	_, err = c.Schedule(ctx, hello(t), push.Broadcast(), clock.Now().Add(time.Hour))
	require.ErrorIs(t, err, push.ErrForbidden)
	assert.Contains(t, err.Error(), "not available for your tier")
}

func TestEmulatorCredentials(t *testing.T) {
	srv, clock := newEmulated(t)
	ctx := context.Background()

	listen := emulatedClient(t, srv, srv.ListenConnectionString(), clock)
	_, err := listen.Send(ctx, hello(t), push.Broadcast())
	assert.ErrorIs(t, err, push.ErrUnauthorized, "a Listen rule cannot send: the service answers 401")

	wrong := emulatedClient(t, srv, "Endpoint=sb://"+srv.URL()[len("https://"):]+"/;SharedAccessKeyName="+nhtest.SendRuleName+";SharedAccessKey=bm90IHRoZSBrZXk=", clock)
	_, err = wrong.Send(ctx, hello(t), push.Broadcast())
	require.ErrorIs(t, err, push.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "bm90IHRoZSBrZXk=")
	assert.Empty(t, srv.Sends())
}

func TestEmulatorFaults(t *testing.T) {
	srv, clock := newEmulated(t)
	c := emulatedClient(t, srv, srv.SendConnectionString(), clock)
	ctx := context.Background()

	srv.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: 429, RetryAfter: 5 * time.Second, Times: 1})
	_, err := c.Send(ctx, hello(t), push.Broadcast())
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{5 * time.Second}, clock.Sleeps())

	srv.Fail(nhtest.Fault{Route: nhtest.RouteSend, Drop: true, Times: 1})
	_, err = c.Send(ctx, hello(t), push.Broadcast())
	require.ErrorIs(t, err, push.ErrOutcomeUnknown)
	assert.Len(t, srv.Sends(), 2, "the dropped send took effect, and was not repeated")
}
