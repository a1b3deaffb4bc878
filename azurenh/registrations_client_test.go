package azurenh

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

const (
	registrationID = "8247220326459738692-7051034435533335934-1"
	wnsChannel     = "https://db5p.notify.windows.com/?token=AwYAAAB+kf/u=="
)

// appleRegistration is a native registration as a client creates it.
func appleRegistration() Registration {
	return Registration{Kind: AppleRegistration, Tags: []string{"sports", "city_Boston"}, Handle: strings.ToUpper(apnsToken)}
}

// windowsTemplate is a template registration with headers.
func windowsTemplate() Registration {
	return Registration{Kind: WindowsTemplateRegistration, ID: registrationID, Tags: []string{"sports"}, Handle: wnsChannel,
		BodyTemplate: `<toast><visual><binding template="ToastText01"><text id="1">$(message)</text></binding></visual></toast>`,
		TemplateName: "goal", Headers: map[string]string{"X-WNS-Type": "wns/toast"}}
}

// stored returns r as the service answers it: with an ID, an ETag and an
// expiration time.
func stored(r Registration, etag int) Registration {
	if r.ID == "" {
		r.ID = registrationID
	}
	r.ETag = strconv.Itoa(etag)
	r.ExpirationTime = time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)
	return r
}

// answerEntry answers with r as a registration entry.
func answerEntry(status int, r Registration) func(int, captured) (*http.Response, error) {
	return answerStatus(status, string(must(encodeRegistrationEntry(r))), "Content-Type", contentTypeAtomEntry, "ETag", `W/"`+r.ETag+`"`)
}

// answerFeed answers with a page of registrations and the next page's token.
func answerFeed(token string, rs ...Registration) func(int, captured) (*http.Response, error) {
	var h []string
	if token != "" {
		h = []string{"X-MS-ContinuationToken", token}
	}
	return answerStatus(http.StatusOK, string(must(encodeRegistrationFeed(rs))), h...)
}

// collect runs an iteration of registrations to its end.
func collect(seq func(func(Registration, error) bool)) ([]Registration, error) {
	var out []Registration
	for r, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func TestRegistrationsWire(t *testing.T) {
	page1 := []Registration{stored(appleRegistration(), 1), stored(windowsTemplate(), 4)}
	page2 := []Registration{stored(Registration{Kind: FCMV1Registration, ID: "2-2-1", Handle: "cRk3pW:APA91bH4z"}, 2)}
	const token = "1!40!MjM3NTI1+MjQyMDgyNzU3/MjAwOA=="
	runMgmtWire(t, []mgmtCase{
		{name: "new_registration_id", answer: answerStatus(http.StatusCreated, "",
			"Location", clientAudience+"/registrations/"+registrationID+"?api-version=2020-06"),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				id, err := c.NewRegistrationID(ctx)
				require.NoError(t, err)
				assert.Equal(t, registrationID, id)
			}},
		{name: "create_registration", answer: answerEntry(http.StatusCreated, stored(appleRegistration(), 1)),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				r := appleRegistration()
				r.ETag, r.ID = "9", "ignored"
				got, err := c.CreateRegistration(ctx, r)
				require.NoError(t, err)
				assert.Equal(t, stored(appleRegistration(), 1), got)
			}},
		{name: "create_or_update_registration", answer: answerEntry(http.StatusCreated, stored(windowsTemplate(), 1)),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				got, err := c.CreateOrUpdateRegistration(ctx, windowsTemplate())
				require.NoError(t, err)
				assert.Equal(t, stored(windowsTemplate(), 1), got)
			}},
		{name: "update_registration", answer: answerEntry(http.StatusOK, stored(windowsTemplate(), 4)),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				got, err := c.UpdateRegistration(ctx, stored(windowsTemplate(), 3))
				require.NoError(t, err)
				assert.Equal(t, "4", got.ETag)
			}},
		{name: "update_registration_any_etag", answer: answerEntry(http.StatusOK, stored(windowsTemplate(), 4)),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				_, err := c.UpdateRegistration(ctx, windowsTemplate())
				require.NoError(t, err)
			}},
		{name: "get_registration", answer: answerEntry(http.StatusOK, stored(windowsTemplate(), 4)),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				got, err := c.GetRegistration(ctx, registrationID)
				require.NoError(t, err)
				assert.Equal(t, stored(windowsTemplate(), 4), got)
			}},
		{name: "delete_registration", call: func(t *testing.T, ctx context.Context, c *Client) {
			require.NoError(t, c.DeleteRegistration(ctx, registrationID, "4"))
		}},
		{name: "delete_registration_any_etag", call: func(t *testing.T, ctx context.Context, c *Client) {
			require.NoError(t, c.DeleteRegistration(ctx, registrationID, ""))
		}},
		{name: "list_registrations", answer: answers(answerFeed(token, page1...), answerFeed("", page2...)),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				got, err := collect(c.Registrations(ctx, Top(2)))
				require.NoError(t, err)
				assert.Equal(t, append(page1[:2:2], page2...), got)
			}},
		{name: "list_registrations_by_tag", answer: answerFeed("", page1...),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				got, err := collect(c.RegistrationsByTag(ctx, "city:Boston#1"))
				require.NoError(t, err)
				assert.Len(t, got, 2)
			}},
		{name: "list_registrations_by_reserved_tag", answer: answerFeed(""),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				got, err := collect(c.RegistrationsByTag(ctx, "$UserId:{ada@example.com}", Top(10)))
				require.NoError(t, err)
				assert.Empty(t, got)
			}},
		{name: "list_registrations_by_channel_apns", answer: answerFeed("", page1[0]),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				got, err := collect(c.RegistrationsByChannel(ctx, push.Apple, apnsToken))
				require.NoError(t, err)
				assert.Len(t, got, 1)
			}},
		{name: "list_registrations_by_channel_wns", answer: answerFeed(""),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				_, err := collect(c.RegistrationsByChannel(ctx, push.Windows, wnsChannel))
				require.NoError(t, err)
			}},
		{name: "list_registrations_by_channel_browser", answer: answerFeed(""),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				_, err := collect(c.RegistrationsByChannel(ctx, push.Browser, "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91"))
				require.NoError(t, err)
			}},
		{name: "list_registrations_by_channel_baidu", answer: answerFeed(""),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				_, err := collect(c.RegistrationsByChannel(ctx, push.Baidu, "user1-channel'2"))
				require.NoError(t, err)
			}},
		{name: "list_registrations_by_channel_fcmv1", answer: answerFeed(""),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				_, err := collect(c.RegistrationsByChannel(ctx, push.FCMV1, "cRk3pW:APA91bH4z", Top(5)))
				require.NoError(t, err)
			}},
	})
}

func TestRegistrationPagesPassTheTokenVerbatim(t *testing.T) {
	const token = "1!40!a+b/c=d&e f%"
	rec, mock := newRecorder(answers(answerFeed(token, stored(appleRegistration(), 1)), answerFeed("")))
	c, _ := newTestClient(t, mock)
	_, err := collect(c.Registrations(context.Background()))
	require.NoError(t, err)
	reqs := rec.requests()
	require.Len(t, reqs, 2)
	u, err := url.Parse(reqs[1].url)
	require.NoError(t, err)
	assert.Equal(t, token, u.Query().Get("continuationtoken"))
	assert.False(t, u.Query().Has("$top"), "no Top: the service picks the page size")
}

func TestRegistrationErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("refused before any I/O", func(t *testing.T) {
		rec, mock := newRecorder(nil)
		c, _ := newTestClient(t, mock)
		_, err := c.CreateRegistration(ctx, Registration{Kind: AppleRegistration, Handle: "not hex"})
		require.ErrorIs(t, err, push.ErrInvalidTarget)
		_, err = c.CreateOrUpdateRegistration(ctx, appleRegistration())
		require.ErrorIs(t, err, push.ErrInvalidTarget, "no ID")
		assert.Equal(t, opCreateOrUpdateRegistration, pushError(t, err).Op)
		_, err = c.UpdateRegistration(ctx, Registration{ID: "x", Kind: "Pager"})
		require.ErrorIs(t, err, push.ErrInvalidTarget)
		_, err = c.GetRegistration(ctx, "")
		require.ErrorIs(t, err, push.ErrInvalidTarget)
		require.ErrorIs(t, c.DeleteRegistration(ctx, "a\nb", ""), push.ErrInvalidTarget)
		_, err = collect(c.RegistrationsByTag(ctx, "a b"))
		require.ErrorIs(t, err, push.ErrInvalidTarget)
		assert.Equal(t, opListRegistrationsByTag, pushError(t, err).Op)
		_, err = collect(c.RegistrationsByChannel(ctx, "apns", apnsToken))
		require.ErrorIs(t, err, push.ErrInvalidTarget, "an installation platform is not a send format")
		assert.Contains(t, err.Error(), "has no registrations")
		_, err = collect(c.RegistrationsByChannel(ctx, push.Template, apnsToken))
		require.ErrorIs(t, err, push.ErrInvalidTarget)
		_, err = collect(c.RegistrationsByChannel(ctx, push.Windows, ""))
		require.ErrorIs(t, err, push.ErrInvalidTarget)
		assert.Empty(t, rec.requests())
	})
	t.Run("a stale ETag is a 412, push.ErrConflict", func(t *testing.T) {
		_, mock := newRecorder(func(int, captured) (*http.Response, error) {
			return errorResponse(http.StatusPreconditionFailed, "Precondition failed.", nil)
		})
		c, _ := newTestClient(t, mock, WithRetry(steadyRetry))
		_, err := c.UpdateRegistration(ctx, stored(windowsTemplate(), 3))
		e := pushError(t, err)
		assert.ErrorIs(t, err, push.ErrConflict)
		assert.Equal(t, http.StatusPreconditionFailed, e.StatusCode)
		assert.Equal(t, "azurenh: update registration", e.Op)
		assert.Contains(t, e.Detail, "ETag in If-Match is no longer current")
		assert.NotErrorIs(t, err, push.ErrNotFound)
		assert.False(t, push.Retryable(err))
		err = c.DeleteRegistration(ctx, registrationID, "3")
		assert.Equal(t, http.StatusPreconditionFailed, pushError(t, err).StatusCode)
	})
	t.Run("409 is throttling, 410 has no kind", func(t *testing.T) {
		for status, kind := range map[int]error{http.StatusConflict: push.ErrThrottled, http.StatusGone: nil} {
			_, mock := newRecorder(func(int, captured) (*http.Response, error) { return errorResponse(status, "No.", nil) })
			c, _ := newTestClient(t, mock, WithRetry(push.RetryPolicy{}))
			_, err := c.CreateOrUpdateRegistration(ctx, windowsTemplate())
			e := pushError(t, err)
			assert.Equal(t, kind, e.Kind)
			assert.Equal(t, status, e.StatusCode)
			assert.NotContains(t, e.Detail, "unexpected status")
		}
	})
	t.Run("a missing registration is push.ErrNotFound", func(t *testing.T) {
		_, mock := newRecorder(func(int, captured) (*http.Response, error) {
			return errorResponse(http.StatusNotFound, "Not found.", nil)
		})
		c, _ := newTestClient(t, mock)
		_, err := c.GetRegistration(ctx, "x")
		require.ErrorIs(t, err, push.ErrNotFound)
		require.ErrorIs(t, c.DeleteRegistration(ctx, "x", ""), push.ErrNotFound)
	})
	t.Run("no Location", func(t *testing.T) {
		_, mock := newRecorder(answerStatus(http.StatusCreated, ""))
		c, _ := newTestClient(t, mock)
		_, err := c.NewRegistrationID(ctx)
		e := pushError(t, err)
		assert.Nil(t, e.Kind)
		assert.Contains(t, e.Detail, "Location")
	})
	t.Run("an entry that does not parse", func(t *testing.T) {
		_, mock := newRecorder(answerStatus(http.StatusOK, "<entry><content>"))
		c, _ := newTestClient(t, mock)
		_, err := c.GetRegistration(ctx, "x")
		e := pushError(t, err)
		assert.Nil(t, e.Kind)
		assert.Contains(t, e.Error(), "answer does not parse")
	})
	t.Run("only safe writes are retried after an unknown outcome", func(t *testing.T) {
		rec, mock := newRecorder(answers(answerStatus(http.StatusBadGateway, ""), answerEntry(http.StatusOK, stored(appleRegistration(), 1))))
		c, _ := newTestClient(t, mock, WithRetry(steadyRetry))
		_, err := c.CreateRegistration(ctx, appleRegistration())
		require.ErrorIs(t, err, push.ErrOutcomeUnknown, "a create is not repeated")
		_, err = c.UpdateRegistration(ctx, stored(windowsTemplate(), 3))
		require.NoError(t, err, "the first answer was used by the create")
		assert.Len(t, rec.requests(), 2)

		rec, mock = newRecorder(answers(answerStatus(http.StatusBadGateway, ""), answerEntry(http.StatusOK, stored(windowsTemplate(), 2))))
		c, _ = newTestClient(t, mock, WithRetry(steadyRetry))
		_, err = c.CreateOrUpdateRegistration(ctx, windowsTemplate())
		require.NoError(t, err)
		assert.Len(t, rec.requests(), 2, "a create-or-update is repeated")
	})
}

func TestRegistrationListing(t *testing.T) {
	ctx := context.Background()
	t.Run("breaking out stops the requests", func(t *testing.T) {
		rec, mock := newRecorder(answerFeed("next", stored(appleRegistration(), 1), stored(windowsTemplate(), 1)))
		c, _ := newTestClient(t, mock)
		for range c.Registrations(ctx) {
			break
		}
		assert.Len(t, rec.requests(), 1)
	})
	t.Run("a failed page ends the iteration with its error", func(t *testing.T) {
		rec, mock := newRecorder(answers(answerFeed("next", stored(appleRegistration(), 1)), func(int, captured) (*http.Response, error) {
			return errorResponse(http.StatusUnauthorized, "Manage claim is required for this operation.", nil)
		}))
		c, _ := newTestClient(t, mock)
		got, err := collect(c.Registrations(ctx))
		require.ErrorIs(t, err, push.ErrUnauthorized)
		assert.Equal(t, opListRegistrations, pushError(t, err).Op)
		assert.Len(t, got, 1)
		assert.Len(t, rec.requests(), 2)
	})
	t.Run("a token that repeats stops the loop", func(t *testing.T) {
		rec, mock := newRecorder(answerFeed("same", stored(appleRegistration(), 1)))
		c, _ := newTestClient(t, mock)
		got, err := collect(c.Registrations(ctx))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "same continuation token twice")
		assert.Len(t, got, 2)
		assert.Len(t, rec.requests(), 2)
	})
	t.Run("the iterator starts over", func(t *testing.T) {
		rec, mock := newRecorder(answerFeed("", stored(appleRegistration(), 1)))
		c, _ := newTestClient(t, mock)
		seq := c.RegistrationsByChannel(ctx, push.Apple, apnsToken)
		for range 2 {
			got, err := collect(seq)
			require.NoError(t, err)
			assert.Len(t, got, 1)
		}
		assert.Len(t, rec.requests(), 2)
	})
}

func TestIfMatch(t *testing.T) {
	for etag, want := range map[string]string{"": "*", "3": `"3"`, `"3"`: `"3"`, `W/"3"`: `W/"3"`, "*": "*"} {
		assert.Equal(t, want, ifMatch(etag), "ETag %q", etag)
	}
}

// FuzzDecodeRegistration reads any answer of a registration read or write as
// the Client does: it must not panic, and what it reads writes out as an entry
// that reads back to the same entry.
func FuzzDecodeRegistration(f *testing.F) {
	f.Add(string(must(encodeRegistrationEntry(stored(windowsTemplate(), 3)))))
	f.Add(string(must(encodeRegistrationEntry(stored(appleRegistration(), 1)))))
	f.Add(`<BaiduTemplateRegistrationDescription><BaiduUserId> u </BaiduUserId><BodyTemplate>a&#xD;b</BodyTemplate><MessageType>007</MessageType><PushVariables>{"a":"\ufffe"}</PushVariables></BaiduTemplateRegistrationDescription>`)
	f.Add(`<entry><content><PagerRegistrationDescription><Tags>a,,b</Tags><ExpirationTime>2030-01-02T03:04:05</ExpirationTime></PagerRegistrationDescription></content></entry>`)
	f.Fuzz(func(t *testing.T, body string) {
		r, err := decodeRegistration([]byte(body))
		if err != nil {
			return
		}
		out, err := encodeRegistrationEntry(r)
		if err != nil {
			return // a kind that cannot name an element
		}
		again, err := decodeRegistration(out)
		require.NoError(t, err, "%s", out)
		out2, err := encodeRegistrationEntry(again)
		require.NoError(t, err)
		require.Equal(t, string(out), string(out2))
	})
}

// BenchmarkRegistrationsPage lists a page of 100 registrations: the request,
// and the decoding of the feed. Listing a large hub costs one of these per
// 100 devices.
func BenchmarkRegistrationsPage(b *testing.B) {
	page := make([]Registration, 100)
	for i := range page {
		page[i] = stored(appleRegistration(), i+1)
	}
	feed := string(must(encodeRegistrationFeed(page)))
	mock := newCannedTransport(feed)
	c, _ := newTestClient(b, mock)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(feed)))
	for b.Loop() {
		n := 0
		for _, err := range c.Registrations(ctx, Top(100)) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100 {
			b.Fatalf("%d registrations", n)
		}
	}
}
