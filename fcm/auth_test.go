package fcm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/fcm/fcmtest"
	"github.com/pushwire/push/pushtest"
)

// TestAccessTokenIsFetchedOnceUnder1000ConcurrentSends starts 1000 sends on
// a client without a token. They all share one HTTP/2 connection, opened
// before they start, with room for 1000 streams: otherwise each send that
// finds no free stream dials a connection of its own (net/http dialed about
// 2000 for these 1000 sends at 100 streams a connection), and on a loaded
// machine the server drops a connection whose first frames it has not read
// within 2 seconds, failing sends that have nothing to do with the token.
func TestAccessTokenIsFetchedOnceUnder1000ConcurrentSends(t *testing.T) {
	srv := newServer(t, fcmtest.WithMaxConcurrentStreams(1000))
	resp, err := srv.Client().Get(srv.URL()) // opens the connection: the emulator's 404 page
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	c := newClient(t, srv)
	tok := srv.NewToken()
	var wg sync.WaitGroup
	errs := make([]error, 1000)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.Send(t.Context(), alert(), push.Device(tok)) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.AccessTokensIssued())
	assert.Len(t, srv.Messages(), 1000)
}

// TestAccessTokenIsReplacedBeforeItExpires runs on a manual clock shared by
// the client and the emulator, started at the system time (x/oauth2 dates
// its assertions on it).
func TestAccessTokenIsReplacedBeforeItExpires(t *testing.T) {
	clock := pushtest.NewClock(time.Now())
	srv := newServer(t, fcmtest.WithClock(clock))
	c := newClient(t, srv, fcm.WithClock(clock))
	tok := srv.NewToken()
	send := func() {
		t.Helper()
		_, err := c.Send(t.Context(), alert(), push.Device(tok))
		require.NoError(t, err)
	}
	send()
	require.Equal(t, 1, srv.AccessTokensIssued())

	clock.Advance(54 * time.Minute) // the token lasts 59:59; it is replaced 5 minutes ahead
	send()
	fcm.WaitForTokenFetch(c)
	assert.Equal(t, 1, srv.AccessTokensIssued(), "more than 5 minutes left: no fetch")

	clock.Advance(90 * time.Second) // 55:30: due for replacement, still valid
	send()
	fcm.WaitForTokenFetch(c)
	assert.Equal(t, 2, srv.AccessTokensIssued(), "the send that found the token due started one fetch")

	clock.Advance(5 * time.Minute) // 60:30: the first token has expired at the emulator
	send()
	assert.Equal(t, 2, srv.AccessTokensIssued(), "the send carried the new token: no 401, no other fetch")
	for _, r := range srv.Requests() {
		assert.True(t, r.Accepted(), "no send waited for, or failed on, an expired token: %s", r.Error)
	}
}

func TestExpiredAccessTokenIsRefreshedOnce(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv)
	tok := srv.NewToken()
	_, err := c.Send(t.Context(), alert(), push.Device(tok))
	require.NoError(t, err)

	srv.ExpireAccessTokens() // FCM says 401 before the client's clock says so
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := c.Send(t.Context(), alert(), push.Device(tok))
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 2, srv.AccessTokensIssued(), "the 401s of 50 sends made one fetch")
	refused := 0
	for _, r := range srv.Requests() {
		if r.Code == "UNAUTHENTICATED" {
			refused++
		}
	}
	assert.LessOrEqual(t, refused, 50, "each send was repeated at most once")
	assert.Len(t, srv.Messages(), 51)
}

func TestAccessTokenRefusedTwiceIsUnauthorized(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, fcm.WithConcurrency(1))
	srv.Fail(fcmtest.Fault{Status: 401})
	rec, err := c.Send(t.Context(), alert(), push.Devices(srv.NewToken(), srv.NewToken(), srv.NewToken()))
	require.ErrorIs(t, err, push.ErrUnauthorized)
	assert.Equal(t, 2, srv.AccessTokensIssued(), "one fetch, one refresh")
	assert.Len(t, srv.Requests(), 2, "the first token's request, once more with a fresh token; the others are not sent")
	notAttempted := 0
	for _, r := range rec.Results {
		if errors.Is(r.Err, push.ErrNotAttempted) {
			notAttempted++
		}
	}
	assert.Equal(t, 2, notAttempted, "refused credentials stop the send")
}

func TestTokenEndpointRefusalIsUnauthorizedWithoutSecrets(t *testing.T) {
	srv := newServer(t)
	other := newServer(t, fcmtest.WithProject("other-project"))
	// A key the emulator does not know: "Invalid grant: account not found".
	c, err := fcm.New(t.Context(), srv.Project(), fcm.WithCredentialsJSON(withTokenURI(t, other.ServiceAccountJSON(), srv.TokenURL())),
		fcm.WithEndpoint(srv.URL()), fcm.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Send(t.Context(), alert(), push.Device(srv.NewToken()))
	require.ErrorIs(t, err, push.ErrUnauthorized)
	var e *push.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "invalid_grant", e.Code)
	assert.Contains(t, err.Error(), "account not found")
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), "eyJ", "no assertion in the error")
	assert.Empty(t, srv.Requests(), "nothing was sent without a token")
}

func TestTokenSourceFailureIsUnavailable(t *testing.T) {
	failing, err := fcm.New(t.Context(), "p", fcm.WithTokenSource(tokenSourceFunc(func() (*oauth2.Token, error) {
		return nil, errors.New("metadata server unreachable")
	})), fcm.WithRetry(push.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	defer failing.Close()
	_, err = failing.Send(t.Context(), alert(), push.Device("t1"))
	require.ErrorIs(t, err, push.ErrUnavailable)
	assert.Contains(t, err.Error(), "metadata server unreachable")
}

func TestCachedAccessTokenAllocatesNothing(t *testing.T) {
	c, _ := mockClient(t, accept)
	_, err := c.Send(t.Context(), alert(), push.Device("t1"))
	require.NoError(t, err)
	h, ok := fcm.CachedAuthorization(c)
	require.True(t, ok)
	assert.Equal(t, []string{"Bearer " + testAccessToken}, h)
	allocs := testing.AllocsPerRun(1000, func() { fcm.CachedAuthorization(c) })
	assert.Zero(t, allocs)
}

func TestWaitForATokenEndsWithTheContext(t *testing.T) {
	block := make(chan struct{})
	c, err := fcm.New(t.Context(), "p", fcm.WithTokenSource(tokenSourceFunc(func() (*oauth2.Token, error) {
		<-block
		return &oauth2.Token{AccessToken: "x"}, nil
	})))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.Send(ctx, alert(), push.Device("t1"))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	close(block)
	require.NoError(t, c.Close())
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

// withTokenURI returns a key file with another token_uri.
func withTokenURI(t *testing.T, key []byte, uri string) []byte {
	var m map[string]any
	require.NoError(t, json.Unmarshal(key, &m))
	m["token_uri"] = uri
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}
