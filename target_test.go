package push_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestTargets(t *testing.T) {
	tests := []struct {
		name    string
		target  push.Target
		kind    push.TargetKind
		expr    string
		devices []string
		str     string
	}{
		{"broadcast", push.Broadcast(), push.TargetBroadcast, "", nil, "broadcast"},
		{"one tag", push.Tags("sports"), push.TargetTags, "sports", nil, "tags(sports)"},
		{"several tags", push.Tags("sports", "politics"), push.TargetTags, "sports || politics", nil, "tags(sports || politics)"},
		{"duplicate tags dropped", push.Tags("a", "b", "a"), push.TargetTags, "a || b", nil, "tags(a || b)"},
		{"twenty tags", push.Tags(numbered("t", 20)...), push.TargetTags, strings.Join(numbered("t", 20), " || "), nil, ""},
		{"expression as written", push.Expression("(follows_RedSox||follows_Cardinals)&&location_Boston"), push.TargetTags,
			"(follows_RedSox||follows_Cardinals)&&location_Boston", nil, "tags((follows_RedSox||follows_Cardinals)&&location_Boston)"},
		{"expression with line breaks", push.Expression("  a &&\n\t(b ||\r\nc)  "), push.TargetTags, "a &&  (b ||  c)", nil, ""},
		{"expression precedence kept as written", push.Expression("(a && !b) || c"), push.TargetTags, "(a && !b) || c", nil, ""},
		{"installation", push.Installation("ab-12"), push.TargetTags, "$InstallationId:{ab-12}", nil, "tags($InstallationId:{ab-12})"},
		{"user", push.User("alice@example.com"), push.TargetTags, "$UserId:{alice@example.com}", nil, ""},
		{"reserved tag in Tags", push.Tags("$UserId:{bob}", "vip"), push.TargetTags, "$UserId:{bob} || vip", nil, ""},
		{"device", push.Device("0f1e2d"), push.TargetDevice, "", []string{"0f1e2d"}, "device(0f1e2d)"},
		{"devices", push.Devices("a", "b", "a", "c"), push.TargetDevices, "", []string{"a", "b", "c"}, "devices(3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.target.Err())
			assert.Equal(t, tt.kind, tt.target.Kind())
			assert.Equal(t, tt.expr, tt.target.Expression())
			assert.Equal(t, tt.devices, nilIfEmpty(tt.target.Devices()))
			if tt.str != "" {
				assert.Equal(t, tt.str, tt.target.String())
			}
			assert.Equal(t, tt.expr != "", tt.target.Expr() != nil)
		})
	}
}

func TestInvalidTargets(t *testing.T) {
	long := strings.Repeat("h", push.MaxHandleLength+1)
	tests := []struct {
		name   string
		target push.Target
		want   string
	}{
		{"zero target", push.Target{}, "the zero push.Target addresses nobody; use push.Broadcast() to reach every device"},
		{"no tags", push.Tags(), "push.Tags needs at least one tag; use push.Broadcast() to reach every device"},
		{"tag with a space", push.Tags("x", "y", "a b"), `tag 3 "a b": a space at column 2 is not allowed in a tag`},
		{"empty tag", push.Tags("a", ""), "tag 2"},
		{"tag too long", push.Tags(strings.Repeat("t", 121)), "121"},
		{"twenty-one tags", push.Tags(numbered("t", 21)...), "21 tags; Notification Hubs takes at most 20 in one send"},
		{"bad expression", push.Expression("a && (b"), "unclosed"},
		{"seven tags with and", push.Expression("a && b && c && d && e && f && g"), "7 tags, but an expression with && or ! may have at most 6"},
		{"empty expression", push.Expression("  "), "empty tag expression"},
		{"no installation id", push.Installation(""), "push.Installation needs an installation ID"},
		{"installation id with space", push.Installation("a b"), "a b"},
		{"no user id", push.User(""), "push.User needs a user ID"},
		{"empty handle", push.Device(""), "device handle is empty"},
		{"handle with space", push.Device("ab cd"), `device handle "ab cd" contains a space, a control character or invalid UTF-8`},
		{"handle too long", push.Device(long), "device handle is 2049 bytes; at most 2048"},
		{"no devices", push.Devices(), "push.Devices needs at least one device handle"},
		{"bad handle in batch", push.Devices("ok", "bad\n"), "device handle 2"},
		{"browser without keys", push.BrowserDevice(push.BrowserSubscription{Endpoint: "https://push.example/x"}), "browser subscription needs its P256DH and Auth keys"},
		{"browser without endpoint", push.BrowserDevice(push.BrowserSubscription{P256DH: "k", Auth: "a"}), "device handle is empty"},
		{"browser key with space", push.BrowserDevice(push.BrowserSubscription{Endpoint: "https://e", P256DH: "k k", Auth: "a"}), "base64url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.target.Err()
			require.Error(t, err)
			assert.ErrorIs(t, err, push.ErrInvalidTarget)
			assert.ErrorContains(t, err, tt.want)
			assert.True(t, strings.HasPrefix(tt.target.String(), "invalid("), tt.target.String())
		})
	}
}

func TestTargetDevicesReturnsACopy(t *testing.T) {
	to := push.Devices("a", "b")
	to.Devices()[0] = "changed"
	assert.Equal(t, []string{"a", "b"}, to.Devices())
}

func TestBrowserDevice(t *testing.T) {
	sub := push.BrowserSubscription{Endpoint: "https://fcm.googleapis.com/fcm/send/abc", P256DH: "BNcR", Auth: "tBHI"}
	to := push.BrowserDevice(sub)
	require.NoError(t, to.Err())
	got, ok := to.Subscription()
	assert.True(t, ok)
	assert.Equal(t, sub, got)
	assert.Equal(t, push.TargetDevice, to.Kind())
	_, ok = push.Device("x").Subscription()
	assert.False(t, ok)
}

func TestTargetKindString(t *testing.T) {
	assert.Equal(t, "broadcast", push.TargetBroadcast.String())
	assert.Equal(t, "tags", push.TargetTags.String())
	assert.Equal(t, "device", push.TargetDevice.String())
	assert.Equal(t, "devices", push.TargetDevices.String())
	assert.Equal(t, "TargetKind(0)", push.TargetKind(0).String())
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return out
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestBrowserDevices(t *testing.T) {
	a := push.BrowserSubscription{Endpoint: "https://push.example/a", P256DH: "BKeyA", Auth: "authA"}
	b := push.BrowserSubscription{Endpoint: "https://push.example/b", P256DH: "BKeyB", Auth: "authB"}
	again := push.BrowserSubscription{Endpoint: "https://push.example/a", P256DH: "BOther", Auth: "other"}
	to := push.BrowserDevices(a, b, again)
	require.NoError(t, to.Err())
	assert.Equal(t, push.TargetDevices, to.Kind())
	assert.Equal(t, []string{a.Endpoint, b.Endpoint}, to.Devices(), "the same endpoint is sent once, the first kept")
	assert.Equal(t, []push.BrowserSubscription{a, b}, to.Subscriptions())
	assert.Equal(t, 2, to.Len())
	first, ok := to.Subscription()
	assert.True(t, ok)
	assert.Equal(t, a, first)

	n := mustNotification(t, push.Browser, `{"title":"hi"}`, nil)
	env, err := push.Render(n, to)
	require.NoError(t, err)
	assert.Equal(t, []push.BrowserSubscription{a, b}, env.Subscriptions)
	assert.Nil(t, env.Header, "subscriptions are not headers")

	for _, tt := range []struct {
		name string
		to   push.Target
		says string
	}{
		{"none", push.BrowserDevices(), "push.BrowserDevices needs at least one subscription"},
		{"no keys", push.BrowserDevices(a, push.BrowserSubscription{Endpoint: "https://push.example/c"}), "browser subscription 2 needs its P256DH and Auth keys"},
		{"no endpoint", push.BrowserDevices(push.BrowserSubscription{P256DH: "k", Auth: "a"}), "device handle 1 is empty"},
		{"spaces in a key", push.BrowserDevices(push.BrowserSubscription{Endpoint: "https://e", P256DH: "a b", Auth: "a"}), "browser subscription 1 keys must be base64url text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.to.Err(), push.ErrInvalidTarget)
			assert.ErrorContains(t, tt.to.Err(), tt.says)
		})
	}
	_, err = push.Render(mustNotification(t, push.Apple, `{"aps":{}}`, nil), to)
	assert.ErrorContains(t, err, "push.BrowserDevice takes a browser notification, not apple")
}
