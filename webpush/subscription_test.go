package webpush

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// A subscription as Chrome gives it (the RFC 8291 example's browser key).
const (
	chromeEndpoint = "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHqjZxM0VImWWqDRN7U0a3AycjUf4O-byuxb_wJsKRaKvV_iKw56s16ekq6FUqoCF7k2nICUpd8fHPxVTgqLunFeVeB9lLCQZyohyAztTH8ZQL9WCxKpA6dvTG_TUIhQUFq_n"
	chromeJSON     = `{"endpoint":"` + chromeEndpoint + `","expirationTime":null,"keys":{"p256dh":"` + rfcUAPublic + `","auth":"` + rfcAuthSecret + `"}}`
)

func TestParseSubscription(t *testing.T) {
	want := push.BrowserSubscription{Endpoint: chromeEndpoint, P256DH: rfcUAPublic, Auth: rfcAuthSecret}
	std := func(s string) string { return base64.StdEncoding.EncodeToString(unb64(t, s)) }
	for _, tc := range []struct{ name, json string }{
		{"as Chrome gives it", chromeJSON},
		{"with an expiration time and more fields", `{"endpoint":"` + chromeEndpoint + `","expirationTime":1893456000000,"keys":{"p256dh":"` + rfcUAPublic + `","auth":"` + rfcAuthSecret + `"},"extra":true}`},
		{"without expirationTime", `{"endpoint":"` + chromeEndpoint + `","keys":{"auth":"` + rfcAuthSecret + `","p256dh":"` + rfcUAPublic + `"}}`},
		{"standard base64 with padding", `{"endpoint":"` + chromeEndpoint + `","keys":{"p256dh":"` + std(rfcUAPublic) + `","auth":"` + std(rfcAuthSecret) + `"}}`},
		{"URL-safe base64 with padding", `{"endpoint":"` + chromeEndpoint + `","keys":{"p256dh":"` + rfcUAPublic + `=","auth":"` + rfcAuthSecret + `=="}}`},
		{"with space around", "\n " + chromeJSON + " \n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSubscription([]byte(tc.json))
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.NoError(t, push.BrowserDevice(got).Err(), "the result makes a valid target")
		})
	}
}

func TestParseSubscriptionErrors(t *testing.T) {
	sub := func(endpoint, p256dh, auth string) string {
		return `{"endpoint":"` + endpoint + `","keys":{"p256dh":"` + p256dh + `","auth":"` + auth + `"}}`
	}
	short := base64.RawURLEncoding.EncodeToString(unb64(t, rfcUAPublic)[:64])
	offCurve := base64.RawURLEncoding.EncodeToString(append([]byte{4}, make([]byte, 64)...))
	for _, tc := range []struct{ name, json, want string }{
		{"not JSON", `endpoint=x`, "invalid JSON at byte 1"},
		{"an array", `[]`, "is a JSON array"},
		{"two objects", chromeJSON + chromeJSON, "data after its JSON object"},
		{"endpoint a number", `{"endpoint":1}`, "endpoint is a JSON number"},
		{"expirationTime a string", `{"endpoint":"` + chromeEndpoint + `","expirationTime":"soon"}`, "expirationTime must be null or a number"},
		{"no endpoint", sub("", rfcUAPublic, rfcAuthSecret), "endpoint is missing"},
		{"http endpoint", sub("http://push.example.net/1", rfcUAPublic, rfcAuthSecret), "not an https URL"},
		{"relative endpoint", sub("/push/1", rfcUAPublic, rfcAuthSecret), "not an https URL"},
		{"endpoint with a space", sub("https://push.example.net/a b", rfcUAPublic, rfcAuthSecret), "not a URL"},
		{"endpoint too long", sub("https://push.example.net/"+strings.Repeat("a", 2048), rfcUAPublic, rfcAuthSecret), "at most 2048"},
		{"endpoint with credentials", sub("https://u:p@push.example.net/1", rfcUAPublic, rfcAuthSecret), "not a push service URL"},
		{"no p256dh", sub(chromeEndpoint, "", rfcAuthSecret), "keys.p256dh is missing"},
		{"p256dh not base64", sub(chromeEndpoint, "B!!", rfcAuthSecret), "keys.p256dh is not base64"},
		{"p256dh of 64 bytes", sub(chromeEndpoint, short, rfcAuthSecret), "keys.p256dh is 64 bytes; a P-256 public key is 65"},
		{"p256dh off the curve", sub(chromeEndpoint, offCurve, rfcAuthSecret), "not a point on the P-256 curve"},
		{"no auth", sub(chromeEndpoint, rfcUAPublic, ""), "keys.auth is missing"},
		{"auth not base64", sub(chromeEndpoint, rfcUAPublic, "a$b"), "keys.auth is not base64"},
		{"auth of 12 bytes", sub(chromeEndpoint, rfcUAPublic, "AAAAAAAAAAAAAAAA"), "keys.auth is 12 bytes; the authentication secret is 16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSubscription([]byte(tc.json))
			require.Error(t, err)
			assert.True(t, errors.Is(err, push.ErrInvalidTarget), "matches push.ErrInvalidTarget: %v", err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "webpush: parse subscription: invalid target: "), err.Error())
		})
	}
}
