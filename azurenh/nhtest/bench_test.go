package nhtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/pushwire/push"
)

// benchRequest returns a signed apple send to a tag, and its body.
func benchRequest(b *testing.B, s *Server) (*http.Request, []byte) {
	body := []byte(`{"aps":{"alert":"hello"}}`)
	r := httptest.NewRequest(http.MethodPost, s.URL()+"/hub/messages?api-version=2020-06", bytes.NewReader(body))
	r.Host = s.host
	r.Header.Set("Content-Type", "application/json;charset=utf-8")
	r.Header.Set("ServiceBusNotification-Format", "apple")
	r.Header.Set("ServiceBusNotification-Tags", "news || sports")
	sr := url.QueryEscape(s.URL() + "/")
	se := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	rule, _ := s.ruleByName(FullRuleName)
	mac := hmac.New(sha256.New, []byte(rule.Key))
	io.WriteString(mac, sr+"\n"+se)
	sig := url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	r.Header.Set("Authorization", "SharedAccessSignature sr="+sr+"&sig="+sig+"&se="+se+"&skn="+FullRuleName)
	return r, body
}

// BenchmarkServeSend measures the emulator's handling of one send, without the
// network: checks, matching against 100 installations, recording, answering.
func BenchmarkServeSend(b *testing.B) {
	s := NewServer()
	defer s.Close()
	for i := range 100 {
		id := "i" + strconv.Itoa(i)
		s.PutInstallation(Installation{InstallationID: id, Platform: push.Apple, PushChannel: PushChannel{Handle: id}, Tags: []string{"news"}})
	}
	r, body := benchRequest(b, s)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Body = io.NopCloser(bytes.NewReader(body))
		w := httptest.NewRecorder()
		s.serveHTTP(w, r)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if i%4096 == 0 {
			s.Reset()
		}
	}
}

// BenchmarkServeTemplateSend measures a template send that reaches 100
// installations with 2 templates each: matching every template and expanding
// 200 payloads, on top of what BenchmarkServeSend measures.
func BenchmarkServeTemplateSend(b *testing.B) {
	s := NewServer()
	defer s.Close()
	templates := map[string]InstallationTemplate{
		"alert": {Body: `{"aps":{"alert":{"title":".(title, 20)","body":"{'Goal! ' + $(team)}"},"badge":"#(score)"}}`},
		"toast": {Body: `{"aps":{"alert":"$(team)","sound":"default"}}`, Tags: []string{"sports"}},
	}
	for i := range 100 {
		id := "i" + strconv.Itoa(i)
		in := Installation{InstallationID: id, Platform: push.Apple, PushChannel: PushChannel{Handle: id}, Tags: []string{"news"}, Templates: templates}
		if err := s.PutInstallation(in); err != nil {
			b.Fatal(err)
		}
	}
	r, _ := benchRequest(b, s)
	r.Header.Set("ServiceBusNotification-Format", "template")
	body := []byte(`{"title":"Breaking news from the stadium","team":"Sox & Co","score":"3"}`)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Body = io.NopCloser(bytes.NewReader(body))
		w := httptest.NewRecorder()
		s.serveHTTP(w, r)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if i == 0 && len(s.Sends()[0].Payloads) != 200 {
			b.Fatalf("%d payloads, want 200", len(s.Sends()[0].Payloads))
		}
		if i%4096 == 0 {
			s.Reset()
		}
	}
}

// BenchmarkAuthenticate measures the token check alone.
func BenchmarkAuthenticate(b *testing.B) {
	s := NewServer()
	defer s.Close()
	r, _ := benchRequest(b, s)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.authenticate(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadEnvelope measures reading a send back into an Envelope.
func BenchmarkReadEnvelope(b *testing.B) {
	s := NewServer()
	defer s.Close()
	r, body := benchRequest(b, s)
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(bytes.NewReader(body))
		if _, err := ReadEnvelope(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoundTrip compares a send to the emulator over TLS with a bare POST to
// a TLS server that answers 201 at once, on kept-alive connections: the ratio is
// the emulator's cost over the network's.
func BenchmarkRoundTrip(b *testing.B) {
	run := func(b *testing.B, client *http.Client, r *http.Request, body []byte) {
		b.ReportAllocs()
		for b.Loop() {
			req := r.Clone(r.Context())
			req.Body = io.NopCloser(bytes.NewReader(body))
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	b.Run("emulator", func(b *testing.B) {
		s := NewServer()
		defer s.Close()
		r, body := benchRequest(b, s)
		r.RequestURI = ""
		run(b, s.Client(), r, body)
	})
	b.Run("bare", func(b *testing.B) {
		ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusCreated)
		}))
		defer ts.Close()
		s := NewServer()
		defer s.Close()
		r, body := benchRequest(b, s)
		r.RequestURI = ""
		r.URL, _ = url.Parse(ts.URL + "/hub/messages?api-version=2020-06")
		r.Host = ""
		run(b, ts.Client(), r, body)
	})
}
