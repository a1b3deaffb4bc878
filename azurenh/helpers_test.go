package azurenh

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push/pushtest"
)

// The credentials of the tests: made up, in the shape the portal shows.
const (
	clientKey       = "c2VuZCBydWxlIGtleSBvZiB0aGUgd2lyZSB0ZXN0cyE="
	clientKeyName   = "DefaultSendSharedAccessSignature"
	clientNamespace = "https://contoso.servicebus.windows.net/"
	clientHub       = "myhub"
	clientConn      = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=" + clientKeyName + ";SharedAccessKey=" + clientKey
	// clientAudience is what the Client signs for: the hub's URL.
	clientAudience = clientNamespace + clientHub
)

// clientStart is the time of the tests' clocks: 2030-01-02T03:04:05Z.
var clientStart = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// seqIDs returns an ID source of UUID-shaped values numbered from 1, safe for
// concurrent use.
func seqIDs() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n.Add(1)) }
}

// newTestClient returns a Client for clientHub on transport rt, with a fixed
// clock and ID source; opts come after those, so they may replace them.
func newTestClient(t testing.TB, rt http.RoundTripper, opts ...Option) (*Client, *pushtest.Clock) {
	t.Helper()
	clock := pushtest.NewClock(clientStart)
	all := append([]Option{WithHTTPClient(&http.Client{Transport: rt}), WithClock(clock), WithIDs(seqIDs())}, opts...)
	c, err := New(clientConn, clientHub, all...)
	require.NoError(t, err)
	return c, clock
}

// captured is a request as a responder saw it, body read.
type captured struct {
	method        string
	url           string
	header        http.Header
	contentLength int64
	body          []byte
	req           *http.Request // with its body restored, for nhtest.ReadEnvelope
}

// recorder records the requests a mock transport receives and answers them
// with its responder (a 201 by default). Safe for concurrent use.
type recorder struct {
	mu      sync.Mutex
	reqs    []captured
	respond func(n int, c captured) (*http.Response, error)
}

// newRecorder returns a recorder answering every request on a new mock
// transport, and the transport.
func newRecorder(respond func(n int, c captured) (*http.Response, error)) (*recorder, *httpmock.MockTransport) {
	if respond == nil {
		respond = created
	}
	r := &recorder{respond: respond}
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(r.serve)
	return r, mock
}

func (r *recorder) serve(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
	}
	clone := req.Clone(context.Background())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	c := captured{method: req.Method, url: req.URL.String(), header: req.Header.Clone(), contentLength: req.ContentLength, body: body, req: clone}
	r.mu.Lock()
	r.reqs = append(r.reqs, c)
	n := len(r.reqs)
	r.mu.Unlock()
	return r.respond(n, c)
}

// requests returns the requests so far.
func (r *recorder) requests() []captured {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

// created answers the n-th request as the service accepts a send: 201 with the
// request's TrackingId, a correlation ID and a Location naming notification n.
func created(n int, c captured) (*http.Response, error) {
	return respond(http.StatusCreated, "", createdHeader(n, c))
}

// createdHeader returns the headers of created's answer.
func createdHeader(n int, c captured) map[string]string {
	return map[string]string{
		"Location":                    strings.TrimSuffix(c.url[:strings.Index(c.url, "?")], "/") + "/" + strconv.Itoa(1000+n) + "?api-version=2020-06",
		"TrackingId":                  c.header.Get("TrackingId"),
		"x-ms-correlation-request-id": "corr-" + strconv.Itoa(n),
	}
}

// respond returns a response of the given status, body and headers.
func respond(status int, body string, header map[string]string) (*http.Response, error) {
	resp := httpmock.NewStringResponse(status, body)
	for k, v := range header {
		resp.Header.Set(k, v)
	}
	return resp, nil
}

// errorResponse returns the service's error document for status.
func errorResponse(status int, detail string, header map[string]string) (*http.Response, error) {
	body := fmt.Sprintf("<Error><Code>%d</Code><Detail>%s TrackingId:svc-%d,TimeStamp:1/2/2030 3:04:05 AM</Detail></Error>", status, detail, status)
	return respond(status, body, header)
}

// checkSAS recomputes the signature of an Authorization header from the key,
// with HMAC code written again here, and checks the audience and the expiry.
func checkSAS(t *testing.T, header string, wantExpiry time.Time) {
	t.Helper()
	rest, ok := strings.CutPrefix(header, "SharedAccessSignature ")
	require.True(t, ok, "Authorization %q lacks the scheme", header)
	fields := map[string]string{}
	for _, f := range strings.Split(rest, "&") {
		k, v, ok := strings.Cut(f, "=")
		require.True(t, ok, "field %q of the token", f)
		fields[k] = v
	}
	require.Equal(t, url.QueryEscape(strings.ToLower(clientAudience)), fields["sr"], "sr is the lower-cased hub URL, query-escaped")
	require.Equal(t, strconv.FormatInt(wantExpiry.Unix(), 10), fields["se"])
	require.Equal(t, clientKeyName, fields["skn"])
	mac := hmac.New(sha256.New, []byte(clientKey))
	mac.Write([]byte(fields["sr"] + "\n" + fields["se"]))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	sig, err := url.QueryUnescape(fields["sig"])
	require.NoError(t, err)
	require.Equal(t, want, sig, "the signature is HMAC-SHA256(key text, sr+\"\\n\"+se)")
}

// must returns v, and panics on err: for the fixed inputs of the tests, which
// cannot fail unless the test itself is wrong.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
