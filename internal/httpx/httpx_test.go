package httpx

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
)

func TestNoRedirectsLeavesTheCallersClientAlone(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
			return
		}
		io.WriteString(w, "followed")
	}))
	defer srv.Close()
	mine := &http.Client{}
	c := NoRedirects(mine)
	if mine.CheckRedirect != nil {
		t.Fatal("NoRedirects modified the caller's client")
	}
	resp, err := c.Post(srv.URL+"/moved", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("status %d; want the 307 itself", resp.StatusCode)
	}
	e := RedirectError("apns: send", resp)
	if !strings.Contains(e.Error(), `redirected the request to "/elsewhere"`) || e.StatusCode != 307 || push.Retryable(e) {
		t.Errorf("RedirectError = %v", e)
	}
}

func TestTransportErrorClassifies(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	_, certErr := NewClient(nil).Get(srv.URL) // the test certificate is not trusted
	if certErr == nil {
		t.Fatal("an untrusted certificate was accepted")
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tt := range []struct {
		name  string
		ctx   context.Context
		wrote bool
		err   error
		kind  error
		says  string
	}{
		{"untrusted certificate", context.Background(), false, certErr, nil, "TLS certificate is not trusted"},
		{"written, then cut", context.Background(), true, io.ErrUnexpectedEOF, push.ErrOutcomeUnknown, "may have acted on it"},
		{"never written", context.Background(), false, io.ErrUnexpectedEOF, push.ErrUnavailable, "could not be sent"},
		{"abandoned", cancelled, false, context.Canceled, nil, "abandoned before it was sent"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := TransportError(tt.ctx, "x: send", tt.wrote, tt.err)
			if e.Kind != tt.kind || !strings.Contains(e.Detail, tt.says) || !errors.Is(e, tt.err) {
				t.Errorf("TransportError = %+v", e)
			}
		})
	}
	if e := TransportError(context.Background(), "x", false, certErr); push.Retryable(e) {
		t.Error("a certificate error is retryable")
	}
}

func TestAttemptSeesTheRequestWritten(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	var a Attempt
	req, _ := http.NewRequestWithContext(a.Context(context.Background()), http.MethodPost, srv.URL, strings.NewReader("x"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !a.Wrote() {
		t.Error("Wrote is false after a completed request")
	}
	var b Attempt
	if b.Wrote() {
		t.Error("a fresh Attempt says written")
	}
}

func TestClip(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"too long", 3, "too..."},
		{"héllo", 2, "h..."}, // never splits é
		{"bad\xffbyte", 20, "bad\uFFFDbyte"},
	} {
		if got := Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestNewTransportPings(t *testing.T) {
	tr := NewTransport(nil)
	if tr.HTTP2 == nil || tr.HTTP2.SendPingTimeout != PingAfter || !tr.ForceAttemptHTTP2 {
		t.Errorf("transport HTTP/2 config = %+v", tr.HTTP2)
	}
}

// countingTransport counts the requests that reach it.
type countingTransport struct {
	http.RoundTripper
	n int
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n++
	return c.RoundTripper.RoundTrip(req)
}

func TestDoerGoesStraightToTheTransport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}
	}))
	defer srv.Close()
	tr := &countingTransport{RoundTripper: &http.Transport{}}
	for _, hc := range []*http.Client{
		NoRedirects(&http.Client{Transport: tr}),                       // straight to the transport
		NoRedirects(&http.Client{Transport: tr, Timeout: time.Minute}), // through Do, for the timeout
	} {
		d := NewDoer(hc)
		before := tr.n
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/moved", strings.NewReader("{}"))
		resp, err := d.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound || tr.n != before+1 {
			t.Errorf("status %d after %d round trips; want the 302, unfollowed, in one", resp.StatusCode, tr.n-before)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/x", nil)
	_, err := NewDoer(&http.Client{Transport: tr}).Do(req)
	var ue *url.Error
	if !errors.As(err, &ue) || ue.Op != "Get" || ue.URL != "http://127.0.0.1:1/x" {
		t.Errorf("a transport error is %#v; want a *url.Error as http.Client.Do gives", err)
	}
}

func TestHoldsFragment(t *testing.T) {
	const secret = "ya29.a0AfH6SMBx-secret-part-0123456789"
	for text, want := range map[string]bool{
		secret:                 true,
		secret[:MinFragment]:   true,  // a prefix, clipped
		"x" + secret[7:19]:     true,  // a part from the middle
		secret[:MinFragment-1]: false, // shorter than a fragment
		"ya29.":                false,
		"INVALID_ARGUMENT":     false,
		"":                     false,
	} {
		if got := HoldsFragment(text, secret); got != want {
			t.Errorf("HoldsFragment(%q) = %v, want %v", text, got, want)
		}
	}
	if HoldsFragment(secret, "") {
		t.Error("a fragment of no secret")
	}
}

func TestRedactRuns(t *testing.T) {
	digits := func(s string, i int) bool { return '0' <= s[i] && s[i] <= '9' }
	long := func(run string) bool { return len(run) >= 4 }
	for in, want := range map[string]string{
		"pin 1234, code 12": "pin REDACTED, code 12",
		"12345":             "REDACTED",
		"a1234b5678c":       "aREDACTEDbREDACTEDc",
		"no digits":         "no digits",
		"":                  "",
	} {
		if got := RedactRuns(in, digits, long); got != want {
			t.Errorf("RedactRuns(%q) = %q, want %q", in, got, want)
		}
		b := []byte(in)
		got := RedactRuns(b, func(b []byte, i int) bool { return digits(string(b[i:i+1]), 0) }, func(run []byte) bool { return long(string(run)) })
		if string(got) != want || string(b) != in {
			t.Errorf("RedactRuns([]byte %q) = %q and left %q, want %q and the input alone", in, got, b, want)
		}
	}
	clean := "nothing to redact here"
	if n := testing.AllocsPerRun(100, func() { RedactRuns(clean, func(s string, i int) bool { return s[i] == 'x' }, long) }); n != 0 && !raceEnabled {
		t.Errorf("%v allocations on clean text", n)
	}
}
