package nhtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push/azurenh/nhtest"
)

func TestAuthorization(t *testing.T) {
	e := newEmulator(t, nhtest.WithRule(nhtest.Rule{Name: "Reader", Key: "reader-key", Rights: nhtest.RightManage}))
	ns := e.URL() + "/"
	hubURL := e.URL() + "/" + e.Hub()
	full := nhtest.FullRuleName
	hour := start.Add(time.Hour)
	cases := []struct {
		name   string
		auth   string
		status int
		detail string
	}{
		{"namespace audience", sign(ns, full, testKey, hour), http.StatusCreated, ""},
		{"hub audience", sign(hubURL, full, testKey, hour), http.StatusCreated, ""},
		{"audience in upper case", sign(strings.ToUpper(hubURL), full, testKey, hour), http.StatusCreated, ""},
		{"fields in another order", reorder(sign(ns, full, testKey, hour)), http.StatusCreated, ""},
		{"custom rule with Manage implies Send", sign(ns, "Reader", "reader-key", hour), http.StatusCreated, ""},
		{"no header", "-", http.StatusUnauthorized, "MissingToken"},
		{"not a SAS", "Bearer abc", http.StatusUnauthorized, "MalformedToken"},
		{"missing se", "SharedAccessSignature sr=a&sig=b&skn=c", http.StatusUnauthorized, "missing the field 'se'"},
		{"duplicate sig", "SharedAccessSignature sr=a&sig=b&sig=b&se=1&skn=c", http.StatusUnauthorized, "'sig' more than once"},
		{"forged with the wrong key", sign(ns, full, "not-the-key", hour), http.StatusUnauthorized, "InvalidSignature"},
		{"key base64-decoded before signing", sign(ns, full, "secret-key-of-the-tests-0123456789=", hour), http.StatusUnauthorized, "InvalidSignature"},
		{"unknown rule", sign(ns, "Nobody", testKey, hour), http.StatusUnauthorized, "no authorization rule named 'Nobody'"},
		{"expired", sign(ns, full, testKey, start.Add(-time.Second)), http.StatusUnauthorized, "ExpiredToken"},
		{"expires now", sign(ns, full, testKey, start), http.StatusUnauthorized, "ExpiredToken"},
		{"another hub", sign(e.URL()+"/otherhub", full, testKey, hour), http.StatusUnauthorized, "InvalidAudience"},
		{"a hub whose name extends this one", sign(hubURL+"x", full, testKey, hour), http.StatusUnauthorized, "InvalidAudience"},
		{"another host", sign("https://example.com/", full, testKey, hour), http.StatusUnauthorized, "InvalidAudience"},
		{"http scheme", sign("http"+strings.TrimPrefix(ns, "https"), full, testKey, hour), http.StatusUnauthorized, "InvalidAudience"},
		{"Listen-only rule sends", sign(ns, nhtest.ListenRuleName, testKey, hour), http.StatusUnauthorized, "Send claim is required for this operation."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := appleSend("")
			r.auth = c.auth
			e.do(r).expect(t, c.status, c.detail)
		})
	}
}

// reorder puts the fields of a SAS header in the order skn, se, sig, sr.
func reorder(h string) string {
	fields := strings.Split(strings.TrimPrefix(h, "SharedAccessSignature "), "&")
	for i, j := 0, len(fields)-1; i < j; i, j = i+1, j-1 {
		fields[i], fields[j] = fields[j], fields[i]
	}
	return "SharedAccessSignature " + strings.Join(fields, "&")
}

func TestClaims(t *testing.T) {
	e := newEmulator(t)
	installation := req{method: http.MethodGet, path: "/installations/i1"}
	cases := []struct {
		name   string
		rule   string
		r      req
		status int
		detail string
	}{
		{"Send rule sends", nhtest.SendRuleName, appleSend(""), http.StatusCreated, ""},
		{"Listen rule sends", nhtest.ListenRuleName, appleSend(""), http.StatusUnauthorized, "Send claim is required"},
		{"Listen rule reads an installation", nhtest.ListenRuleName, installation, http.StatusNotFound, "Installation not found"},
		{"Send rule reads an installation", nhtest.SendRuleName, installation, http.StatusUnauthorized, "Listen claim is required"},
		{"Listen rule cancels", nhtest.ListenRuleName, req{method: http.MethodDelete, path: "/schedulednotifications/x"}, http.StatusUnauthorized, "Send claim is required"},
		{"Listen rule lists registrations", nhtest.ListenRuleName, req{method: http.MethodGet, path: "/registrations"}, http.StatusUnauthorized, "Manage claim is required for this operation."},
		{"Listen rule reads registrations of a channel", nhtest.ListenRuleName, req{method: http.MethodGet, path: "/registrations", query: "$filter=ChannelUri+eq+'x'"}, http.StatusOK, ""},
		{"Full rule lists registrations", nhtest.FullRuleName, req{method: http.MethodGet, path: "/registrations"}, http.StatusOK, ""},
		{"Listen rule gets a registration ID", nhtest.ListenRuleName, req{method: http.MethodPost, path: "/registrationIDs"}, http.StatusCreated, ""},
		{"Send rule gets a registration ID", nhtest.SendRuleName, req{method: http.MethodPost, path: "/registrationIDs"}, http.StatusUnauthorized, "Listen claim is required"},
		{"Listen rule reads a registration", nhtest.ListenRuleName, req{method: http.MethodGet, path: "/registrations/r1"}, http.StatusNotFound, "was not found"},
		{"Listen rule lists registrations by tag", nhtest.ListenRuleName, req{method: http.MethodGet, path: "/tags/news/registrations"}, http.StatusUnauthorized, "Manage claim is required"},
		{"Full rule lists registrations by tag", nhtest.FullRuleName, req{method: http.MethodGet, path: "/tags/news/registrations"}, http.StatusOK, ""},
		{"Listen rule lists jobs", nhtest.ListenRuleName, req{method: http.MethodGet, path: "/jobs"}, http.StatusUnauthorized, "Manage claim is required"},
		{"Full rule lists jobs", nhtest.FullRuleName, req{method: http.MethodGet, path: "/jobs"}, http.StatusOK, ""},
		{"Full rule reads the hub", nhtest.FullRuleName, req{method: http.MethodGet, path: ""}, http.StatusNotImplemented, "does not emulate hub descriptions"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.r
			r.rule = c.rule
			e.do(r).expect(t, c.status, c.detail)
		})
	}
}

func TestAPIVersion(t *testing.T) {
	e := newEmulator(t)
	cases := []struct {
		name    string
		version string
		header  string
		status  int
		detail  string
	}{
		{"current", "2020-06", "", http.StatusCreated, ""},
		{"oldest", "2013-10", "", http.StatusCreated, ""},
		{"x-ms-version agrees", "2020-06", "2020-06", http.StatusCreated, ""},
		{"missing", "-", "", http.StatusBadRequest, "api-version query parameter is required"},
		{"unknown", "2099-01", "", http.StatusBadRequest, "api-version '2099-01' is not supported"},
		{"x-ms-version disagrees", "2020-06", "2017-04", http.StatusBadRequest, "does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := appleSend("")
			r.apiVersion = c.version
			if c.header != "" {
				r.header.Set("x-ms-version", c.header)
			}
			e.do(r).expect(t, c.status, c.detail)
		})
	}
}

func TestRoutes(t *testing.T) {
	e := newEmulator(t)
	cases := []struct {
		name   string
		r      req
		status int
		detail string
	}{
		{"trailing slash", req{path: "/messages/", header: appleSend("").header, body: appleSend("").body}, http.StatusCreated, ""},
		{"unknown path", req{method: http.MethodGet, path: "/nothing"}, http.StatusNotFound, "was not found"},
		{"wrong method", req{method: http.MethodGet, path: "/messages"}, http.StatusMethodNotAllowed, "allowed: POST"},
		{"installations before 2015-01", req{method: http.MethodGet, path: "/installations/x", apiVersion: "2014-09"}, http.StatusBadRequest, "needs api-version 2015-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.do(c.r).expect(t, c.status, c.detail) })
	}
	t.Run("another hub", func(t *testing.T) {
		hr := e.newRequest(appleSend(""))
		hr.URL.Path = "/otherhub/messages"
		resp, err := e.Client().Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("status %d, want 404", resp.StatusCode)
		}
	})
}

func TestConnectionStrings(t *testing.T) {
	s := nhtest.NewServer(nhtest.WithHub("news"), nhtest.WithRule(nhtest.Rule{Name: "Custom", Rights: nhtest.RightSend}))
	defer s.Close()
	host := strings.TrimPrefix(s.URL(), "https://")
	for _, c := range []struct{ got, rule string }{
		{s.ConnectionString(), nhtest.FullRuleName},
		{s.ListenConnectionString(), nhtest.ListenRuleName},
		{s.SendConnectionString(), nhtest.SendRuleName},
		{s.ConnectionStringFor("Custom"), "Custom"},
	} {
		prefix := "Endpoint=sb://" + host + "/;SharedAccessKeyName=" + c.rule + ";SharedAccessKey="
		key, ok := strings.CutPrefix(c.got, prefix)
		if !ok || len(key) != 44 {
			t.Errorf("connection string %q: want %sKEY with a 44-character key", c.got, prefix)
		}
	}
	if s.Hub() != "news" {
		t.Errorf("Hub() = %q", s.Hub())
	}
	if s.ConnectionStringFor("Nobody") != "" {
		t.Error("ConnectionStringFor of an unknown rule is not empty")
	}
	keys := map[string]bool{}
	for _, r := range s.Rules() {
		keys[r.Key] = true
	}
	if len(keys) != 4 {
		t.Errorf("want 4 distinct random keys, got %d", len(keys))
	}
}
