package push_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func mustNotification(t testing.TB, p push.Platform, body string, h http.Header) push.Notification {
	t.Helper()
	n, err := push.NewNotification(p, []byte(body), h)
	require.NoError(t, err)
	return n
}

func TestRender(t *testing.T) {
	apple := mustNotification(t, push.Apple, `{"aps":{"alert":"hi"}}`, http.Header{"apns-push-type": {"alert"}})
	browser := mustNotification(t, push.Browser, `{"title":"t"}`, nil)
	sub := push.BrowserSubscription{Endpoint: "https://push.example/1", P256DH: "BKey", Auth: "secret"}
	tests := []struct {
		name string
		n    push.Notification
		to   push.Target
		want push.Envelope
	}{
		{"broadcast", apple, push.Broadcast(), push.Envelope{Platform: push.Apple, ContentType: push.ContentTypeJSON,
			Header: http.Header{"Apns-Push-Type": {"alert"}}, Body: apple.Body}},
		{"tags", apple, push.Tags("sports", "politics"), push.Envelope{Platform: push.Apple, ContentType: push.ContentTypeJSON,
			Header: http.Header{"Apns-Push-Type": {"alert"}}, Body: apple.Body, Tags: "sports || politics"}},
		{"expression", apple, push.Expression("a&&!(b||c)"), push.Envelope{Platform: push.Apple, ContentType: push.ContentTypeJSON,
			Header: http.Header{"Apns-Push-Type": {"alert"}}, Body: apple.Body, Tags: "a&&!(b||c)"}},
		{"device", apple, push.Device("tok"), push.Envelope{Platform: push.Apple, ContentType: push.ContentTypeJSON,
			Header: http.Header{"Apns-Push-Type": {"alert"}}, Body: apple.Body, Devices: []string{"tok"}}},
		{"devices", apple, push.Devices("t1", "t2"), push.Envelope{Platform: push.Apple, ContentType: push.ContentTypeJSON,
			Header: http.Header{"Apns-Push-Type": {"alert"}}, Body: apple.Body, Devices: []string{"t1", "t2"}}},
		{"browser direct", browser, push.BrowserDevice(sub), push.Envelope{Platform: push.Browser, ContentType: push.ContentTypeJSON,
			Body: browser.Body, Devices: []string{"https://push.example/1"}, Subscriptions: []push.BrowserSubscription{sub}}},
		{"hand-built notification gets the default content type", push.Notification{Platform: push.Xiaomi, Body: []byte(`{}`)}, push.Broadcast(),
			push.Envelope{Platform: push.Xiaomi, ContentType: push.ContentTypeJSON, Body: []byte(`{}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := push.Render(tt.n, tt.to)
			require.NoError(t, err)
			assert.Equal(t, tt.want, env)
			assert.Equal(t, len(tt.want.Devices) > 0, env.IsDirect())
		})
	}
}

func TestRenderDoesNotTouchTheNotification(t *testing.T) {
	n := mustNotification(t, push.Browser, `{"title":"t"}`, nil)
	_, err := push.Render(n, push.BrowserDevice(push.BrowserSubscription{Endpoint: "https://e/1", P256DH: "k", Auth: "a"}))
	require.NoError(t, err)
	assert.Empty(t, n.Header)
}

func TestRenderRefuses(t *testing.T) {
	apple := mustNotification(t, push.Apple, `{"aps":{}}`, nil)
	template := mustNotification(t, push.Template, `{"a":"b"}`, nil)
	browser := mustNotification(t, push.Browser, `{}`, nil)
	sub := push.BrowserSubscription{Endpoint: "https://e/1", P256DH: "k", Auth: "a"}
	tests := []struct {
		name string
		n    push.Notification
		to   push.Target
		kind error
		want string
	}{
		{"bad notification", push.Notification{Platform: push.Apple, Body: []byte("x")}, push.Broadcast(), push.ErrInvalidNotification, "JSON object"},
		{"zero target", apple, push.Target{}, push.ErrInvalidTarget, "zero push.Target"},
		{"bad target", apple, push.Tags("a b"), push.ErrInvalidTarget, "space"},
		{"template to a device", template, push.Device("x"), push.ErrInvalidTarget, "a template notification cannot go to a device handle"},
		{"template to devices", template, push.Devices("x", "y"), push.ErrInvalidTarget, "templates live in registrations"},
		{"browser to a plain handle", browser, push.Device("https://e/1"), push.ErrInvalidTarget, "use push.BrowserDevice"},
		{"subscription with apple", apple, push.BrowserDevice(sub), push.ErrInvalidTarget, "push.BrowserDevice takes a browser notification, not apple"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := push.Render(tt.n, tt.to)
			assert.ErrorIs(t, err, tt.kind)
			assert.ErrorContains(t, err, tt.want)
			assert.Zero(t, env)
		})
	}
}

func TestRenderAt(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 600, time.FixedZone("X", 3600))
	n := mustNotification(t, push.Apple, `{"aps":{}}`, nil)
	env, err := push.RenderAt(n, push.Tags("a"), now.Add(time.Hour+time.Millisecond), now)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), env.ScheduleTime)
	assert.Equal(t, "a", env.Tags)

	_, err = push.RenderAt(n, push.Broadcast(), now.Add(push.MaxScheduleAhead), now)
	assert.NoError(t, err, "exactly seven days ahead is allowed")
}

func TestRenderAtRefuses(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	n := mustNotification(t, push.Apple, `{"aps":{}}`, nil)
	tests := []struct {
		name string
		to   push.Target
		at   time.Time
		kind error
		want string
	}{
		{"direct", push.Device("x"), now.Add(time.Hour), push.ErrInvalidTarget, "Notification Hubs cannot schedule a direct send"},
		{"batch", push.Devices("x", "y"), now.Add(time.Hour), push.ErrInvalidTarget, "cannot schedule a direct send"},
		{"zero time", push.Broadcast(), time.Time{}, push.ErrInvalidSchedule, "the schedule time is zero"},
		{"past", push.Broadcast(), now.Add(-time.Minute), push.ErrInvalidSchedule, "the schedule time 2030-01-02T03:03:05Z is in the past (now is 2030-01-02T03:04:05Z)"},
		{"beyond 7 days", push.Broadcast(), now.Add(push.MaxScheduleAhead + time.Second), push.ErrInvalidSchedule, "is more than 7 days after now"},
		{"bad target first", push.Tags(""), now.Add(time.Hour), push.ErrInvalidTarget, "tag 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := push.RenderAt(n, tt.to, tt.at, now)
			assert.ErrorIs(t, err, tt.kind)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestEnvelopeCloneIsDeep(t *testing.T) {
	n := mustNotification(t, push.Apple, `{"aps":{}}`, http.Header{"apns-priority": {"5"}})
	env, err := push.Render(n, push.Devices("a", "b"))
	require.NoError(t, err)
	c := env.Clone()
	c.Body[0] = '['
	c.Header.Set("Apns-Priority", "10")
	c.Devices[0] = "z"
	assert.Equal(t, `{"aps":{}}`, string(n.Body))
	assert.Equal(t, "5", n.Header.Get("Apns-Priority"))
	assert.Equal(t, []string{"a", "b"}, env.Devices)
}
