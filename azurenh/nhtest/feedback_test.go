package nhtest_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// get makes a plain GET, as a storage client would, and reads the answer.
func (e *emulator) get(t *testing.T, u string) response {
	t.Helper()
	resp, err := e.Client().Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// withPath inserts a path segment before the query of a container URL.
func withPath(container, name, extra string) string {
	base, q, _ := strings.Cut(container, "?")
	if name != "" {
		base += "/" + name
	}
	return base + "?" + q + extra
}

// feedbackRecord is a PnsFeedback record, read by a test.
type feedbackRecord struct {
	FeedbackTime            string `xml:"FeedbackTime"`
	NotificationSystemError string `xml:"NotificationSystemError"`
	Platform                string `xml:"Platform"`
	PnsHandle               string `xml:"PnsHandle"`
	InstallationID          string `xml:"InstallationId"`
	NewPnsHandle            string `xml:"NewPnsHandle"`
}

// readFeedback reads the PnsFeedback documents of a blob, one after the other.
func readFeedback(t *testing.T, blob []byte) []feedbackRecord {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(blob))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // "utf-16" on UTF-8 text
	var out []feedbackRecord
	for {
		var rec feedbackRecord
		err := d.Decode(&rec)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", blob, err)
		}
		out = append(out, rec)
	}
}

func TestFeedbackContainer(t *testing.T) {
	e := newEmulator(t)
	e.AddFeedback(
		nhtest.Feedback{Error: "ExpiredChannel", Platform: "windows", Handle: "https://wns.example/1", InstallationID: "tablet"},
		nhtest.Feedback{Time: start.Add(-24 * time.Hour), Error: "RefreshToken", Platform: push.FCMV1, Handle: "old", NewHandle: "new", InstallationID: "pixel"},
	)
	e.AddFeedback(nhtest.Feedback{Error: "WrongToken", Platform: "apple", Handle: "AB"})

	resp := e.do(req{method: http.MethodGet, path: "/feedbackcontainer"})
	resp.expect(t, http.StatusOK, "")
	container := string(resp.body)
	u, err := url.Parse(container)
	if err != nil || u.Scheme != "https" || u.Query().Get("sig") == "" || u.Query().Get("sp") != "rl" {
		t.Fatalf("container URL %q", container)
	}

	list := e.get(t, withPath(container, "", "&restype=container&comp=list"))
	list.expect(t, http.StatusOK, "")
	var enum struct {
		Names []string `xml:"Blobs>Blob>Name"`
	}
	if err := xml.Unmarshal(list.body, &enum); err != nil || strings.Join(enum.Names, ",") != "01012030,01022030" {
		t.Fatalf("listing %s: %v", list.body, err)
	}

	blob := e.get(t, withPath(container, "01022030", ""))
	blob.expect(t, http.StatusOK, "")
	recs := readFeedback(t, blob.body)
	if len(recs) != 2 || recs[0].NotificationSystemError != "ExpiredChannel" || recs[0].InstallationID != "tablet" ||
		recs[0].FeedbackTime != "2030-01-02T03:04:05Z" || recs[1].PnsHandle != "AB" {
		t.Errorf("records %+v", recs)
	}
	if recs := readFeedback(t, e.get(t, withPath(container, "01012030", "")).body); len(recs) != 1 || recs[0].NewPnsHandle != "new" {
		t.Errorf("records %+v", recs)
	}
	if !bytes.HasPrefix(blob.body, []byte(`<?xml version="1.0" encoding="utf-16"?>`)) {
		t.Errorf("blob %s lacks the service's declaration", blob.body)
	}
}

func TestFeedbackContainerChecks(t *testing.T) {
	e := newEmulator(t)
	e.AddFeedback(nhtest.Feedback{Error: "ExpiredChannel", Platform: "windows", Handle: "h"})
	container := e.FeedbackContainerURL()
	tampered := strings.Replace(container, "sig=", "sig=x", 1)
	cases := []struct {
		name   string
		url    string
		status int
		code   string
	}{
		{"bad signature", withPath(tampered, "01022030", ""), http.StatusForbidden, "AuthenticationFailed"},
		{"no signature", strings.Split(container, "?")[0] + "/01022030", http.StatusForbidden, "AuthenticationFailed"},
		{"unknown blob", withPath(container, "01012000", ""), http.StatusNotFound, "BlobNotFound"},
		{"unknown container", strings.Replace(withPath(container, "x", ""), "00000000000000000001", "2", 1), http.StatusNotFound, "ContainerNotFound"},
		{"container without list", container, http.StatusBadRequest, "InvalidQueryParameterValue"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := e.get(t, c.url)
			if resp.status != c.status || !strings.Contains(string(resp.body), "<Code>"+c.code+"</Code>") {
				t.Errorf("status %d, body %s; want %d %s", resp.status, resp.body, c.status, c.code)
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		e.clock.Advance(time.Hour)
		if resp := e.get(t, withPath(container, "01022030", "")); resp.status != http.StatusForbidden {
			t.Errorf("status %d after the URL expired", resp.status)
		}
	})
}

func TestFeedbackSignatureNotLogged(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEmulator(t, nhtest.WithLogger(logger))
	container := e.FeedbackContainerURL()
	e.get(t, withPath(container, "", "&restype=container&comp=list")).expect(t, http.StatusOK, "")
	u, _ := url.Parse(container)
	sig := u.Query().Get("sig")
	if !strings.Contains(buf.String(), "sig=REDACTED") || strings.Contains(buf.String(), url.QueryEscape(sig)) || strings.Contains(buf.String(), sig) {
		t.Errorf("log:\n%s", buf.String())
	}
}
