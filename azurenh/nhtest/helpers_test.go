package nhtest_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"flag"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push/azurenh/nhtest"
	"github.com/pushwire/push/pushtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// start is the time of every test's clock.
var start = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

const testKey = "c2VjcmV0LWtleS1vZi10aGUtdGVzdHMtMDEyMzQ1Njc4OT0="

// emulator is a Server under test with the clock it reads.
type emulator struct {
	*nhtest.Server
	t     *testing.T
	clock *pushtest.Clock
}

// newEmulator starts a Server with a manual clock, a fixed key and a seeded random
// source, and closes it when the test ends.
func newEmulator(t *testing.T, opts ...nhtest.Option) *emulator {
	t.Helper()
	clock := pushtest.NewClock(start)
	base := []nhtest.Option{nhtest.WithClock(clock), nhtest.WithKey(testKey), nhtest.WithRand(rand.NewChaCha8([32]byte{1}))}
	s := nhtest.NewServer(append(base, opts...)...)
	t.Cleanup(s.Close)
	return &emulator{Server: s, t: t, clock: clock}
}

// sign makes an Authorization header the way the service documents it,
// independently of the emulator's code.
func sign(audience, keyName, key string, expiry time.Time) string {
	sr := url.QueryEscape(strings.ToLower(audience))
	se := strconv.FormatInt(expiry.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(sr + "\n" + se))
	sig := url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	return "SharedAccessSignature sr=" + sr + "&sig=" + sig + "&se=" + se + "&skn=" + url.QueryEscape(keyName)
}

// req describes a request to the emulator. Zero fields take defaults: the full
// rule, the namespace audience, a token valid for an hour, api-version 2020-06.
type req struct {
	method string
	path   string // under the hub, e.g. "/messages"
	query  string // without api-version
	header http.Header
	body   []byte

	auth       string // the whole Authorization header; "-" for none
	rule       string
	apiVersion string // "-" for none
}

// authFor returns a valid Authorization header for a rule of the emulator.
func (e *emulator) authFor(rule string) string {
	for _, r := range e.Rules() {
		if r.Name == rule {
			return sign(e.URL()+"/", r.Name, r.Key, e.clock.Now().Add(time.Hour))
		}
	}
	e.t.Fatalf("no rule %q", rule)
	return ""
}

// newRequest builds the http.Request of r.
func (e *emulator) newRequest(r req) *http.Request {
	e.t.Helper()
	q := url.Values{}
	if r.apiVersion != "-" {
		v := r.apiVersion
		if v == "" {
			v = "2020-06"
		}
		q.Set("api-version", v)
	}
	raw := q.Encode()
	if r.query != "" {
		raw = r.query + "&" + raw
	}
	method := r.method
	if method == "" {
		method = http.MethodPost
	}
	hr, err := http.NewRequest(method, e.URL()+"/"+e.Hub()+r.path+"?"+raw, bytes.NewReader(r.body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, vs := range r.header {
		hr.Header[k] = vs
	}
	switch {
	case r.auth == "-":
	case r.auth != "":
		hr.Header.Set("Authorization", r.auth)
	case r.rule != "":
		hr.Header.Set("Authorization", e.authFor(r.rule))
	default:
		hr.Header.Set("Authorization", e.authFor(nhtest.FullRuleName))
	}
	return hr
}

// response is an answer with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends r and reads the answer.
func (e *emulator) do(r req) response {
	e.t.Helper()
	resp, err := e.Client().Do(e.newRequest(r))
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// detail returns the Detail of an Error body, without the tracking suffix.
func (r response) detail(t *testing.T) string {
	t.Helper()
	var e struct {
		Code   int    `xml:"Code"`
		Detail string `xml:"Detail"`
	}
	if err := xml.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("status %d, body %q is not an Error document: %v", r.status, r.body, err)
	}
	if e.Code != r.status {
		t.Errorf("Error Code %d, HTTP status %d", e.Code, r.status)
	}
	d, _, ok := strings.Cut(e.Detail, "TrackingId:")
	if !ok {
		t.Errorf("detail %q has no TrackingId", e.Detail)
	}
	return d
}

// expect checks the status and, for an error, that the detail contains want.
func (r response) expect(t *testing.T, status int, want string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if want != "" && !strings.Contains(r.detail(t), want) {
		t.Errorf("detail %q does not contain %q", r.detail(t), want)
	}
}

// appleSend is a valid apple send to the given tag expression ("" for a broadcast).
func appleSend(tags string) req {
	h := http.Header{"Servicebusnotification-Format": {"apple"}, "Content-Type": {"application/json;charset=utf-8"}}
	if tags != "" {
		h.Set("ServiceBusNotification-Tags", tags)
	}
	return req{path: "/messages", header: h, body: []byte(`{"aps":{"alert":"hi"}}`)}
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got: %s\nwant: %s", name, got, want)
	}
}
