package apns_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

func apple(t *testing.T, body string, header http.Header) push.Notification {
	t.Helper()
	n, err := push.NewNotification(push.Apple, []byte(body), header)
	require.NoError(t, err)
	return n
}

// TestRefusedBeforeAnyIO sends what APNs would refuse, or what the Client
// cannot deliver, and checks that nothing reached the emulator.
func TestRefusedBeforeAnyIO(t *testing.T) {
	voipTopic := http.Header{"Apns-Push-Type": {"alert"}, "Apns-Topic": {"com.example.app.voip"}}
	tests := []struct {
		name string
		n    push.Notification
		to   push.Target
		opts []apns.Option
		kind error
		says string
	}{
		{"tags", alert(), push.Tags("sports"), nil, push.ErrUnsupported, "apple to device, devices"},
		{"broadcast", alert(), push.Broadcast(), nil, push.ErrUnsupported, ""},
		{"another platform", must(push.FCMV1Notification(`{"message":{"notification":{"title":"Hi"}}}`)), push.Device(device(1)), nil, push.ErrUnsupported, "fcmv1"},
		{"topic of another push type", apple(t, alertBody, voipTopic), push.Device(device(1)), nil, push.ErrInvalidNotification, `"com.example.app"`},
		{"default topic of another push type", alert(), push.Device(device(1)), []apns.Option{apns.WithTopic("com.example.app.complication")}, push.ErrInvalidNotification, "complication pushes"},
		{"derived background at priority 10", apple(t, `{"aps":{"content-available":1}}`, http.Header{"Apns-Priority": {"10"}}), push.Device(device(1)), nil, push.ErrInvalidNotification, "background"},
		{"malformed topic header", apple(t, alertBody, http.Header{"Apns-Topic": {"com.example app"}}), push.Device(device(1)), nil, push.ErrInvalidNotification, "bundle ID"},
		{"payload over 4096", push.Notification{Platform: push.Apple, Body: []byte(`{"a":"` + strings.Repeat("x", 4091) + `"}`)}, push.Device(device(1)), nil, push.ErrPayloadTooLarge, ""},
		{"token too short", alert(), push.Device("abcdef"), nil, push.ErrInvalidTarget, "hex"},
		{"token of odd length", alert(), push.Device(device(1)[:63]), nil, push.ErrInvalidTarget, ""},
		{"token not hex", alert(), push.Device(strings.Repeat("zz", 32)), nil, push.ErrInvalidTarget, ""},
		{"token too long", alert(), push.Device(strings.Repeat("ab", 201)), nil, push.ErrInvalidTarget, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.opts...)
			_, err := f.client.Send(t.Context(), tt.n, tt.to)
			require.ErrorIs(t, err, tt.kind)
			assert.Contains(t, err.Error(), tt.says)
			assert.Empty(t, f.srv.Requests(), "refused before any I/O")
		})
	}
}

func TestNoTopicWithTokenAuth(t *testing.T) {
	srv := apnstest.NewServer()
	defer srv.Close()
	k := srv.Key()
	key, err := apns.ParseKey(k.PEM)
	require.NoError(t, err)
	c, err := apns.New(apns.Sandbox, apns.Token(key, k.KeyID, k.TeamID), apns.WithEndpoint(srv.URL()), apns.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	_, err = c.Send(t.Context(), alert(), push.Device(device(1)))
	require.ErrorIs(t, err, push.ErrInvalidNotification)
	assert.Contains(t, err.Error(), "WithTopic")
	assert.Empty(t, srv.Requests())

	n := apple(t, alertBody, http.Header{"Apns-Topic": {apnstest.DefaultTopic}})
	_, err = c.Send(t.Context(), n, push.Device(device(1)))
	require.NoError(t, err, "a notification may name its own topic")
}

func TestBadTokensFailAloneInAList(t *testing.T) {
	f := newFixture(t)
	good := []string{device(1), strings.ToUpper(device(2)), strings.Repeat("ab", 100)}
	r, err := f.client.Send(t.Context(), alert(), push.Devices(good[0], "nothex", good[1], good[2]))
	require.ErrorIs(t, err, push.ErrInvalidTarget)
	require.Len(t, r.Results, 4)
	assert.ErrorIs(t, r.Results[1].Err, push.ErrInvalidTarget)
	for _, i := range []int{0, 2, 3} {
		assert.True(t, r.Results[i].Accepted(), "handle %d: %v", i, r.Results[i].Err)
	}
	assert.Len(t, f.srv.Requests(), 3)
}

func TestTopicSuffixes(t *testing.T) {
	tests := []struct{ pushType, topic, want string }{
		{"voip", "", "com.example.app.voip"},
		{"voip", "com.example.app.voip", "com.example.app.voip"},
		{"pushtotalk", "com.example.app", "com.example.app.voip-ptt"},
		{"fileprovider", "com.example.app.pushkit.fileprovider", "com.example.app.pushkit.fileprovider"},
		{"background", "com.example.app", "com.example.app"},
	}
	for _, tt := range tests {
		f := newFixture(t)
		h := http.Header{"Apns-Push-Type": {tt.pushType}}
		if tt.pushType == "background" {
			h.Set("Apns-Priority", "5")
		}
		if tt.topic != "" {
			h.Set("Apns-Topic", tt.topic)
		}
		_, err := f.client.Send(t.Context(), apple(t, `{"aps":{}}`, h), push.Device(device(1)))
		require.NoError(t, err, tt)
		assert.Equal(t, tt.want, f.srv.Requests()[0].Header.Get("Apns-Topic"), tt)
	}
}

// TestFuturePushType sends a push type this module does not know: the
// Client passes it, with the topic as given, and lets APNs judge (the
// emulator knows only today's types).
func TestFuturePushType(t *testing.T) {
	f := newFixture(t)
	_, err := f.client.Send(t.Context(), apple(t, `{"aps":{}}`, http.Header{"Apns-Push-Type": {"controls"}}), push.Device(device(1)))
	require.ErrorIs(t, err, push.ErrInvalidNotification)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 1, "sent, not refused by the Client")
	assert.Equal(t, "controls", reqs[0].Header.Get("Apns-Push-Type"))
	assert.Equal(t, apnstest.DefaultTopic, reqs[0].Header.Get("Apns-Topic"))
	assert.Equal(t, "InvalidPushType", reqs[0].Reason)
}

func TestVoIPPayloadUpTo5120(t *testing.T) {
	f := newFixture(t)
	body := `{"aps":{},"a":"` + strings.Repeat("x", 5120-17) + `"}`
	require.Len(t, body, 5120)
	_, err := f.client.Send(t.Context(), apple(t, body, http.Header{"Apns-Push-Type": {"voip"}}), push.Device(device(1)))
	require.NoError(t, err)
}
