package azurenh

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestTestSendOutcome(t *testing.T) {
	tests := []struct {
		name string
		body string
		want *push.Outcome
	}{
		{name: "one device", body: testOutcome, want: &push.Outcome{Success: 1, Results: []push.DeviceResult{{
			Platform: "windows", Handle: "https://db5.notify.windows.com/?token=AwYAAAB", RegistrationID: "7340112823498751234-1",
			Outcome: "The Notification was successfully sent to the Push Notification System",
		}}}},
		{name: "no device", body: `<NotificationOutcome xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Success>0</Success><Failure>0</Failure><Results i:nil="true"/></NotificationOutcome>`,
			want: &push.Outcome{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
				return respond(http.StatusCreated, tt.body, createdHeader(n, c))
			})
			c, _ := newTestClient(t, mock, WithTestSend(true))
			r, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Outcome)
			assert.Equal(t, "1001", r.ID)
			assert.True(t, strings.HasSuffix(rec.requests()[0].url, "?api-version=2020-06&test"))
		})
	}
}

func TestTestSendBadOutcome(t *testing.T) {
	_, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
		return respond(http.StatusCreated, "<NotificationOutcome><Success>many</Success></NotificationOutcome>", createdHeader(n, c))
	})
	c, _ := newTestClient(t, mock, WithTestSend(true))
	r, err := c.Send(context.Background(), appleNote(), push.Tags("sports"))
	require.Error(t, err)
	assert.Equal(t, "1001", r.ID, "the service accepted the send: the receipt comes with the error")
	assert.Contains(t, err.Error(), "NotificationOutcome does not parse")
	assert.False(t, push.Retryable(err))
}

func TestTestSendToDevicesRefusedBeforeIO(t *testing.T) {
	for name, to := range map[string]push.Target{
		"direct": push.Device(apnsToken),
		"batch":  push.Devices("a", "b"),
	} {
		t.Run(name, func(t *testing.T) {
			rec, mock := newRecorder(nil)
			c, _ := newTestClient(t, mock, WithTestSend(true))
			_, err := c.Send(context.Background(), appleNote(), to)
			require.ErrorIs(t, err, push.ErrInvalidTarget)
			assert.Contains(t, err.Error(), "test send")
			assert.Empty(t, rec.requests())
		})
	}
}

func TestBadInputRefusedBeforeIO(t *testing.T) {
	rec, mock := newRecorder(nil)
	c, _ := newTestClient(t, mock)
	ctx := context.Background()

	_, err := c.Send(ctx, push.Notification{Platform: push.Apple, Body: []byte("not json")}, push.Broadcast())
	assert.ErrorIs(t, err, push.ErrInvalidNotification)
	_, err = c.Send(ctx, appleNote(), push.Expression("a &&"))
	assert.ErrorIs(t, err, push.ErrInvalidTarget)
	_, err = c.Send(ctx, appleNote(), push.Target{})
	assert.ErrorIs(t, err, push.ErrInvalidTarget)
	_, err = c.Schedule(ctx, appleNote(), push.Tags("a"), clientStart.Add(-time.Minute))
	assert.ErrorIs(t, err, push.ErrInvalidSchedule)
	_, err = c.Schedule(ctx, appleNote(), push.Tags("a"), clientStart.Add(8*24*time.Hour))
	assert.ErrorIs(t, err, push.ErrInvalidSchedule)
	_, err = c.Schedule(ctx, appleNote(), push.Device(apnsToken), clientStart.Add(time.Hour))
	assert.ErrorIs(t, err, push.ErrInvalidTarget)
	err = c.Cancel(ctx, "")
	assert.ErrorIs(t, err, push.ErrNotFound)
	assert.Empty(t, rec.requests())
}

func TestDevicesOfOneIsADirectSend(t *testing.T) {
	rec, mock := newRecorder(nil)
	c, _ := newTestClient(t, mock)
	_, err := c.Send(context.Background(), appleNote(), push.Devices(apnsToken))
	require.NoError(t, err)
	req := rec.requests()[0]
	assert.True(t, strings.HasSuffix(req.url, "/myhub/messages?api-version=2020-06&direct"))
	assert.Equal(t, apnsToken, req.header.Get("ServiceBusNotification-DeviceHandle"))
}

// handles returns n distinct device handles.
func handles(n int) []string {
	hs := make([]string, n)
	for i := range hs {
		hs[i] = fmt.Sprintf("token-%05d-%s", i, strings.Repeat("ab", 28))
	}
	return hs
}

// batchDevices parses a captured batch request's body and returns its handles.
func batchDevices(t *testing.T, c captured) []string {
	t.Helper()
	media, params, err := mime.ParseMediaType(c.header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/mixed", media)
	mr := multipart.NewReader(strings.NewReader(string(c.body)), params["boundary"])
	var devices []string
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		_, dp, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if dp["name"] == "devices" {
			require.NoError(t, json.NewDecoder(p).Decode(&devices))
		}
	}
	return devices
}

func TestBatchSplit(t *testing.T) {
	rec, mock := newRecorder(nil)
	c, _ := newTestClient(t, mock)
	all := handles(2500)

	r, err := c.Send(context.Background(), appleNote(), push.Devices(all...))
	require.NoError(t, err)

	reqs := rec.requests()
	require.Len(t, reqs, 3)
	var got []string
	for i, req := range reqs {
		assert.Contains(t, req.url, "/messages/$batch?api-version=2020-06&direct")
		part := batchDevices(t, req)
		assert.Len(t, part, []int{1000, 1000, 500}[i])
		got = append(got, part...)
	}
	assert.Equal(t, all, got, "every handle once, in order")
	require.Len(t, r.Parts, 3)
	for i, p := range r.Parts {
		assert.Equal(t, fmt.Sprint(1001+i), p.ID)
		assert.Nil(t, p.Parts)
	}
	assert.Equal(t, r.Parts[0].ID, r.ID, "the receipt repeats the first part's fields")
	assert.Equal(t, r.Parts[0].TrackingID, r.TrackingID)
}

func TestBatchSplitFailsMidway(t *testing.T) {
	rec, mock := newRecorder(func(n int, c captured) (*http.Response, error) {
		if n == 2 {
			return errorResponse(http.StatusBadRequest, "A device handle is invalid.", nil)
		}
		return created(n, c)
	})
	c, _ := newTestClient(t, mock)

	r, err := c.Send(context.Background(), appleNote(), push.Devices(handles(2500)...))
	require.ErrorIs(t, err, push.ErrInvalidNotification)
	assert.Contains(t, err.Error(), "batch request 2 of 3 (handles 1001 to 2000")
	assert.Len(t, rec.requests(), 2, "the send stops at the failed part")
	require.Len(t, r.Parts, 1, "the receipt lists the accepted part")
	assert.Equal(t, "1001", r.ID)
}

func TestBatchBoundaryAvoidsTheBody(t *testing.T) {
	ids := []string{"x", "y"}
	i := 0
	next := func() (string, error) { i++; return ids[(i-1)%2], nil }
	body := []byte(`{"aps":{"alert":"--nh-boundary-x"}}`)
	b, err := newBoundary(next, body)
	require.NoError(t, err)
	assert.NotContains(t, string(body), b)
	assert.True(t, strings.HasPrefix(b, boundaryPrefix))
}

func TestCancelNotFound(t *testing.T) {
	rec, mock := newRecorder(func(int, captured) (*http.Response, error) {
		return errorResponse(http.StatusNotFound, "The scheduled notification was not found.", nil)
	})
	c, _ := newTestClient(t, mock)
	err := c.Cancel(context.Background(), "a#b?c%d")
	require.ErrorIs(t, err, push.ErrNotFound)
	assert.Equal(t, "azurenh: cancel", pushError(t, err).Op)
	assert.Equal(t, "https://contoso.servicebus.windows.net/myhub/schedulednotifications/a%23b%3Fc%25d?api-version=2020-06",
		rec.requests()[0].url, "the ID is one escaped path segment")
}

func TestScheduleOnAnotherTier(t *testing.T) {
	_, mock := newRecorder(func(int, captured) (*http.Response, error) {
		return errorResponse(http.StatusForbidden, "Scheduled notifications are not available for your tier.", nil)
	})
	c, _ := newTestClient(t, mock)
	_, err := c.Schedule(context.Background(), appleNote(), push.Tags("a"), clientStart.Add(time.Hour))
	require.ErrorIs(t, err, push.ErrForbidden)
	assert.Contains(t, err.Error(), "not available for your tier")
	assert.Equal(t, "azurenh: schedule", pushError(t, err).Op)
}

func TestIDFromLocation(t *testing.T) {
	tests := map[string]string{
		"https://ns.servicebus.windows.net/hub/messages/123?api-version=2020-06":                "123",
		"https://ns.servicebus.windows.net/hub/messages/$batch/456?api-version=2020-06":         "456",
		"https://ns.servicebus.windows.net/hub/schedulednotifications/7-8-9?api-version=2020-6": "7-8-9",
		"https://ns.servicebus.windows.net/hub/messages/123/":                                   "123",
		"https://ns.servicebus.windows.net/hub/messages/a%3Ab#frag":                             "a:b",
		"": "",
	}
	for loc, want := range tests {
		assert.Equal(t, want, idFromLocation(loc), loc)
	}
}

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		name, body, code, detail string
	}{
		{name: "document", body: "<Error><Code>400</Code><Detail>Bad.</Detail></Error>", code: "400", detail: "Bad."},
		{name: "spaces", body: "\n <Error>\n <Code> 401 </Code>\n <Detail>\n Expired.\n </Detail>\n </Error>", code: "401", detail: "Expired."},
		{name: "empty"},
		{name: "text, as written", body: "upstream connect error\r\n\tor disconnect", detail: "upstream connect error\r\n\tor disconnect"},
		{name: "other root", body: "<html><p>Bad</p></html>", detail: "<html><p>Bad</p></html>"},
		{name: "long, whole", body: strings.Repeat("x", 2000), detail: strings.Repeat("x", 2000)},
		{name: "binary", body: "\xff\xfe\x00ok", detail: "\uFFFD\x00ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, detail := parseErrorBody([]byte(tt.body))
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.detail, detail)
		})
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "ctl\x01\x1f", "é😀", "bad\xffutf8", "\u2028"} {
		got := appendJSONString(nil, s)
		var back string
		require.NoError(t, json.Unmarshal(got, &back), "%q gives %s", s, got)
		want, _ := json.Marshal(s)
		var wantBack string
		require.NoError(t, json.Unmarshal(want, &wantBack))
		assert.Equal(t, wantBack, back, "%q", s)
	}
}

func TestHubURL(t *testing.T) {
	c, _ := newTestClient(t, roundTripFunc(nil))
	tests := []struct {
		query    string
		segments []string
		want     string
	}{
		{segments: []string{"installations", "abc-1"}, want: "https://contoso.servicebus.windows.net/myhub/installations/abc-1?api-version=2020-06"},
		{segments: []string{"tags", "a/b c?d", "registrations"}, query: "$top=10",
			want: "https://contoso.servicebus.windows.net/myhub/tags/a%2Fb%20c%3Fd/registrations?api-version=2020-06&$top=10"},
		{want: "https://contoso.servicebus.windows.net/myhub?api-version=2020-06"},
	}
	for _, tt := range tests {
		u := c.hubURL(tt.query, tt.segments...)
		assert.Equal(t, tt.want, u.String())
		if len(tt.segments) > 1 {
			assert.Equal(t, "/myhub/"+strings.Join(tt.segments, "/"), u.Path)
		}
	}
}
