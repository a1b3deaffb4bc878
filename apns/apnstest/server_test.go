package apnstest_test

import (
	"crypto/tls"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns/apnstest"
)

func TestAccepts(t *testing.T) {
	f := newFixture(t)
	r := f.valid()
	r.header.Set("Apns-Id", "123e4567-e89b-12d3-a456-426655440000")
	a := f.do(t, r)
	require.Equal(t, 200, a.status, a.body)
	assert.Empty(t, a.body)
	assert.Equal(t, "123e4567-e89b-12d3-a456-426655440000", a.header.Get("apns-id"), "the request's apns-id, echoed")
	assert.Len(t, a.header.Get("apns-unique-id"), 36, "sandbox")

	reqs := f.srv.Accepted()
	require.Len(t, reqs, 1)
	assert.Equal(t, token, reqs[0].Token)
	assert.Equal(t, apnstest.DefaultTeamID, reqs[0].TeamID)
	assert.Equal(t, apnstest.DefaultKeyID, reqs[0].KeyID)
	assert.Equal(t, t0, reqs[0].Time)
	assert.Equal(t, body, string(reqs[0].Body))
}

func TestProductionSendsNoUniqueID(t *testing.T) {
	f := newFixture(t, apnstest.WithEnvironment(apnstest.Production))
	a := f.do(t, f.valid())
	require.Equal(t, 200, a.status)
	assert.Len(t, a.header.Get("apns-id"), 36, "generated")
	assert.Empty(t, a.header.Get("apns-unique-id"))
}

// TestRefuses changes one thing of a valid request at a time and checks
// Apple's answer.
func TestRefuses(t *testing.T) {
	set := func(k, v string) func(*request) { return func(r *request) { r.header.Set(k, v) } }
	tests := []struct {
		name   string
		change func(f fixture, r *request)
		status int
		reason string
	}{
		{"GET", func(_ fixture, r *request) { r.method = http.MethodGet }, 405, "MethodNotAllowed"},
		{"other path", func(_ fixture, r *request) { r.path = "/3/devices/" + token }, 404, "BadPath"},
		{"no token", func(_ fixture, r *request) { r.path = "/3/device/" }, 400, "MissingDeviceToken"},
		{"repeated header", func(_ fixture, r *request) { r.header.Add("Apns-Priority", "10"); r.header.Add("Apns-Priority", "5") }, 400, "DuplicateHeaders"},
		{"no authorization", func(_ fixture, r *request) { r.header.Del("Authorization") }, 403, "MissingProviderToken"},
		{"basic auth", func(_ fixture, r *request) { r.header.Set("Authorization", "Basic dXNlcjpwYXNz") }, 403, "InvalidProviderToken"},
		{"two parts", func(f fixture, r *request) {
			r.header.Set("Authorization", "bearer "+f.jwt[:strings.LastIndexByte(f.jwt, '.')])
		}, 403, "InvalidProviderToken"},
		{"bad signature", func(f fixture, r *request) {
			r.header.Set("Authorization", "bearer "+f.jwt[:strings.LastIndexByte(f.jwt, '.')+1]+strings.Repeat("A", 86))
		}, 403, "InvalidProviderToken"},
		{"unknown kid", func(f fixture, r *request) {
			r.header.Set("Authorization", "bearer "+signJWT(t, f.srv.Key(), "KEY9999999", apnstest.DefaultTeamID, t0))
		}, 403, "InvalidProviderToken"},
		{"iss of another team", func(f fixture, r *request) {
			r.header.Set("Authorization", "bearer "+signJWT(t, f.srv.Key(), apnstest.DefaultKeyID, "TEAM000002", t0))
		}, 403, "InvalidProviderToken"},
		{"signed by another key", func(f fixture, r *request) {
			other := f.srv.NewKey("TEAM000002", apnstest.AnyEnvironment)
			r.header.Set("Authorization", "bearer "+signJWT(t, other, apnstest.DefaultKeyID, apnstest.DefaultTeamID, t0))
		}, 403, "InvalidProviderToken"},
		{"an hour old", func(f fixture, r *request) {
			r.header.Set("Authorization", "bearer "+signJWT(t, f.srv.Key(), apnstest.DefaultKeyID, apnstest.DefaultTeamID, t0.Add(-time.Hour-time.Second)))
		}, 403, "ExpiredProviderToken"},
		{"from the future", func(f fixture, r *request) {
			r.header.Set("Authorization", "bearer "+signJWT(t, f.srv.Key(), apnstest.DefaultKeyID, apnstest.DefaultTeamID, t0.Add(2*time.Hour)))
		}, 403, "InvalidProviderToken"},
		{"key of the other environment", func(f fixture, r *request) {
			k := f.srv.NewKey(apnstest.DefaultTeamID, apnstest.Production)
			r.header.Set("Authorization", "bearer "+signJWT(t, k, k.KeyID, k.TeamID, t0))
		}, 403, "BadEnvironmentKeyInToken"},
		{"apns-id", func(_ fixture, r *request) { set("Apns-Id", "42")(r) }, 400, "BadMessageId"},
		{"priority 7", func(_ fixture, r *request) { set("Apns-Priority", "7")(r) }, 400, "BadPriority"},
		{"expiration", func(_ fixture, r *request) { set("Apns-Expiration", "soon")(r) }, 400, "BadExpirationDate"},
		{"collapse id", func(_ fixture, r *request) { set("Apns-Collapse-Id", strings.Repeat("c", 65))(r) }, 400, "BadCollapseId"},
		{"push type", func(_ fixture, r *request) { set("Apns-Push-Type", "bogus")(r) }, 400, "InvalidPushType"},
		{"background at 10", func(_ fixture, r *request) { set("Apns-Push-Type", "background")(r); set("Apns-Priority", "10")(r) }, 400, "BadPriority"},
		{"no topic", func(_ fixture, r *request) { r.header.Del("Apns-Topic") }, 400, "MissingTopic"},
		{"malformed topic", func(_ fixture, r *request) { set("Apns-Topic", "com.example app")(r) }, 400, "BadTopic"},
		{"another team's topic", func(_ fixture, r *request) { set("Apns-Topic", "com.other.app")(r) }, 400, "TopicDisallowed"},
		{"voip topic for an alert", func(_ fixture, r *request) { set("Apns-Topic", "com.example.app.voip")(r) }, 400, "DeviceTokenNotForTopic"},
		{"voip push to the bare topic", func(_ fixture, r *request) { set("Apns-Push-Type", "voip")(r) }, 400, "DeviceTokenNotForTopic"},
		{"token registered for another app", func(f fixture, r *request) {
			f.srv.NewKey(apnstest.DefaultTeamID, apnstest.AnyEnvironment, "com.example.other")
			f.srv.RegisterDevice(token, "com.example.other")
		}, 400, "DeviceTokenNotForTopic"},
		{"odd token", func(_ fixture, r *request) { r.path = "/3/device/" + token[1:] }, 400, "BadDeviceToken"},
		{"non-hex token", func(_ fixture, r *request) { r.path = "/3/device/" + strings.Repeat("zz", 32) }, 400, "BadDeviceToken"},
		{"bad token", func(f fixture, _ *request) { f.srv.MarkBad(token) }, 400, "BadDeviceToken"},
		{"expired token", func(f fixture, _ *request) { f.srv.Expire(token) }, 410, "ExpiredToken"},
		{"empty payload", func(_ fixture, r *request) { r.body = "" }, 400, "PayloadEmpty"},
		{"4097 bytes", func(_ fixture, r *request) { r.body = `{"a":"` + strings.Repeat("x", 4089) + `"}` }, 413, "PayloadTooLarge"},
		{"voip over 5120", func(_ fixture, r *request) {
			set("Apns-Push-Type", "voip")(r)
			set("Apns-Topic", "com.example.app.voip")(r)
			r.body = `{"a":"` + strings.Repeat("x", 5113) + `"}`
		}, 413, "PayloadTooLarge"},
		{"not an object", func(_ fixture, r *request) { r.body = `[1]` }, 400, "InvalidPayload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := f.valid()
			tt.change(f, &r)
			a := f.do(t, r)
			assert.Equal(t, tt.status, a.status, a)
			assert.Equal(t, tt.reason, a.reason)
			assert.Equal(t, "application/json", a.header.Get("Content-Type"))
			assert.NotEmpty(t, a.header.Get("apns-id"))
			reqs := f.srv.Requests()
			require.Len(t, reqs, 1, "refused requests are recorded")
			assert.Equal(t, tt.reason, reqs[0].Reason)
			assert.Empty(t, f.srv.Accepted())
		})
	}
}

func TestAcceptsWhatApplePermits(t *testing.T) {
	tests := map[string]func(r *request){
		"voip of 5120 bytes": func(r *request) {
			r.header.Set("Apns-Push-Type", "voip")
			r.header.Set("Apns-Topic", "com.example.app.voip")
			r.body = `{"a":"` + strings.Repeat("x", 5112) + `"}`
		},
		"priority 1":       func(r *request) { r.header.Set("Apns-Priority", "1") },
		"expiration 0":     func(r *request) { r.header.Set("Apns-Expiration", "0") },
		"no push type":     func(r *request) { r.header.Del("Apns-Push-Type") },
		"upper-case token": func(r *request) { r.path = "/3/device/" + strings.ToUpper(token) },
		"a 100-byte token": func(r *request) { r.path = "/3/device/" + strings.Repeat("ab", 100) },
		"widgets": func(r *request) {
			r.header.Set("Apns-Push-Type", "widgets")
			r.header.Set("Apns-Topic", "com.example.app.push-type.widgets")
		},
		"mdm to its own UID": func(r *request) {
			r.header.Set("Apns-Push-Type", "mdm")
			r.header.Set("Apns-Topic", "com.apple.mgmt.External.x")
		},
		"background at 5": func(r *request) { r.header.Set("Apns-Push-Type", "background"); r.header.Set("Apns-Priority", "5") },
		"location": func(r *request) {
			r.header.Set("Apns-Push-Type", "location")
			r.header.Set("Apns-Topic", "com.example.app.location-query")
		},
		"a 64-byte collapse":  func(r *request) { r.header.Set("Apns-Collapse-Id", strings.Repeat("c", 64)) },
		"a 4096-byte payload": func(r *request) { r.body = `{"a":"` + strings.Repeat("x", 4088) + `"}` },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			r := f.valid()
			change(&r)
			a := f.do(t, r)
			assert.Equal(t, 200, a.status, a)
		})
	}
}

func TestUnregisteredAnswersWithTheTimestampInMilliseconds(t *testing.T) {
	f := newFixture(t)
	at := time.Date(2029, 12, 25, 8, 30, 0, 123e6, time.UTC)
	f.srv.Unregister(token, at)
	a := f.do(t, f.valid())
	assert.Equal(t, 410, a.status)
	assert.JSONEq(t, `{"reason":"Unregistered","timestamp":`+strconv.FormatInt(at.UnixMilli(), 10)+`}`, a.body)
	assert.Equal(t, at, f.srv.Requests()[0].Timestamp)
}

func TestTokenUpdatesOnAConnection(t *testing.T) {
	f := newFixture(t)
	k := f.srv.Key()
	require.Equal(t, 200, f.do(t, f.valid()).status)

	f.clock.Advance(19 * time.Minute)
	r := f.valid()
	r.header.Set("Authorization", "bearer "+signJWT(t, k, k.KeyID, k.TeamID, f.clock.Now()))
	a := f.do(t, r)
	assert.Equal(t, "429 TooManyProviderTokenUpdates", a.String(), "a new token within 20 minutes on one connection")
	assert.Equal(t, 200, f.do(t, f.valid()).status, "the old token still works")

	f.clock.Advance(time.Minute)
	assert.Equal(t, 200, f.do(t, r).status, "20 minutes later, the new one is taken")

	other := f.srv.NewKey(k.TeamID, apnstest.AnyEnvironment)
	r.header.Set("Authorization", "bearer "+signJWT(t, other, other.KeyID, other.TeamID, f.clock.Now()))
	assert.Equal(t, "403 UnrelatedKeyIdInToken", f.do(t, r).String())

	team := f.srv.NewKey("TEAM000002", apnstest.AnyEnvironment, "com.second.app")
	r.header.Set("Authorization", "bearer "+signJWT(t, team, team.KeyID, team.TeamID, f.clock.Now()))
	r.header.Set("Apns-Topic", "com.second.app")
	assert.Equal(t, "403 InvalidProviderToken", f.do(t, r).String(), "one team per connection")

	reqs := f.srv.Requests()
	for _, req := range reqs {
		assert.Equal(t, reqs[0].Conn, req.Conn, "all on one connection")
	}
}

func TestExpireTokensAllowsARenewalAtOnce(t *testing.T) {
	f := newFixture(t)
	k := f.srv.Key()
	require.Equal(t, 200, f.do(t, f.valid()).status)
	f.srv.ExpireTokens()
	assert.Equal(t, "403 ExpiredProviderToken", f.do(t, f.valid()).String())
	r := f.valid()
	r.header.Set("Authorization", "bearer "+signJWT(t, k, k.KeyID, k.TeamID, f.clock.Now()))
	assert.Equal(t, 200, f.do(t, r).status, "a new token after an expired one needs no 20-minute wait")
}

func TestBurstLimit(t *testing.T) {
	f := newFixture(t, apnstest.WithBurstLimit(2, time.Minute))
	assert.Equal(t, 200, f.do(t, f.valid()).status)
	assert.Equal(t, 200, f.do(t, f.valid()).status)
	assert.Equal(t, "429 TooManyRequests", f.do(t, f.valid()).String())
	f.clock.Advance(time.Minute)
	assert.Equal(t, 200, f.do(t, f.valid()).status)
}

func TestRefusesHTTP1(t *testing.T) {
	f := newFixture(t)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: f.srv.RootCAs(), NextProtos: []string{"http/1.1"}}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(f.srv.URL() + "/3/device/" + token)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "HTTP/1.1", resp.Proto)
	assert.Equal(t, http.StatusHTTPVersionNotSupported, resp.StatusCode, "APNs speaks HTTP/2 only")
	assert.Equal(t, "HTTP2Required", f.srv.Requests()[0].Reason)
}

func TestCertificateAuth(t *testing.T) {
	f := newFixture(t)
	issued := f.srv.NewCertificate(apnstest.DefaultTopic)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: f.srv.RootCAs(), Certificates: []tls.Certificate{issued.TLS}}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL()+"/3/device/"+token, strings.NewReader(body))
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "no topic and no token: the certificate's")
	assert.True(t, f.srv.Requests()[0].Certificate)
}

func TestFaults(t *testing.T) {
	t.Run("status", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Fail(apnstest.Fault{Status: 503, Reason: "Shutdown", Times: 1})
		assert.Equal(t, "503 Shutdown", f.do(t, f.valid()).String())
		assert.Equal(t, 200, f.do(t, f.valid()).status, "once")
	})
	t.Run("per token", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Fail(apnstest.Fault{Token: strings.Repeat("ab", 32), Status: 500})
		assert.Equal(t, 200, f.do(t, f.valid()).status)
		r := f.valid()
		r.path = "/3/device/" + strings.Repeat("ab", 32)
		assert.Equal(t, "500 InternalServerError", f.do(t, r).String())
		f.srv.ClearFaults()
		assert.Equal(t, 200, f.do(t, r).status)
	})
	t.Run("goaway", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Fail(apnstest.Fault{GoAway: true, Times: 1})
		assert.Equal(t, 200, f.do(t, f.valid()).status, "the request itself is answered")
		// A request sent before the GOAWAY arrived is still served on the
		// old connection; one soon comes on a new one.
		for i := 0; i < 100 && f.srv.Connections() == 1; i++ {
			assert.Equal(t, 200, f.do(t, f.valid()).status)
		}
		assert.Equal(t, 2, f.srv.Connections(), "later requests come on a new connection")
	})
	t.Run("drop", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Fail(apnstest.Fault{Drop: true, Times: 1})
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL()+"/3/device/"+token, strings.NewReader(body))
		req.Header = f.valid().header
		_, err := f.srv.Client().Do(req)
		require.Error(t, err)
		reqs := f.srv.Requests()
		require.Len(t, reqs, 1)
		assert.Zero(t, reqs[0].Status, "unanswered")
	})
}

func TestWatchAndReset(t *testing.T) {
	f := newFixture(t)
	var seen []string
	f.srv.Watch(func(r apnstest.Request) { seen = append(seen, r.Token) })
	f.do(t, f.valid())
	f.srv.Watch(nil)
	f.do(t, f.valid())
	assert.Equal(t, []string{token}, seen)
	assert.Len(t, f.srv.Requests(), 2)
	f.srv.Reset()
	assert.Empty(t, f.srv.Requests())
}

func TestReadEnvelope(t *testing.T) {
	f := newFixture(t)
	r := f.valid()
	r.header.Set("Apns-Priority", "5")
	r.header.Set("Content-Type", "application/json; charset=utf-8")
	f.do(t, r)
	env := apnstest.ReadEnvelope(f.srv.Requests()[0])
	assert.Equal(t, push.Envelope{Platform: push.Apple, ContentType: push.ContentTypeJSON, Body: []byte(body), Devices: []string{token},
		Header: http.Header{"Apns-Push-Type": {"alert"}, "Apns-Priority": {"5"}}}, env)
}

func TestStandalone(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := apnstest.NewServer(apnstest.WithListener(l))
	assert.Equal(t, l.Addr().String(), srv.Addr())
	assert.Equal(t, "https://"+l.Addr().String(), srv.URL())
	assert.Contains(t, string(srv.CertificatePEM()), "BEGIN CERTIFICATE")
	assert.Contains(t, string(srv.Key().PEM), "BEGIN PRIVATE KEY")
	assert.Equal(t, apnstest.Sandbox, srv.Environment())
	srv.Close()
	srv.Close()
}
