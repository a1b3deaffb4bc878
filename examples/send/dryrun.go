package main

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// redactedHeaders are the headers a dry run never prints: the shared access
// signature, and a browser subscription's authentication secret.
var redactedHeaders = map[string]string{
	"Authorization": "SharedAccessSignature REDACTED",
	"Auth":          "REDACTED",
}

// emptyOutcome is a test send's answer when no device matched.
const emptyOutcome = `<NotificationOutcome xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" ` +
	`xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Success>0</Success><Failure>0</Failure><Results i:nil="true"/></NotificationOutcome>`

// dryRun is an http.RoundTripper that prints each request it is given and
// answers 201 Created, as the service answers an accepted send, without any
// network. It is safe for concurrent use: requests are printed whole, one at a
// time.
type dryRun struct {
	mu sync.Mutex
	w  io.Writer
}

// RoundTrip prints req (method, URL, headers sorted by name with secrets
// redacted, body) and answers 201. It consumes and closes req.Body.
func (d *dryRun) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	d.mu.Lock()
	printRequest(d.w, req, body)
	d.mu.Unlock()
	return accepted(req), nil
}

// printRequest writes req as an HTTP request would read.
func printRequest(w io.Writer, req *http.Request, body []byte) {
	fmt.Fprintf(w, "%s %s\n", req.Method, req.URL)
	for _, k := range slices.Sorted(maps.Keys(req.Header)) {
		v := strings.Join(req.Header[k], ", ")
		if r, ok := redactedHeaders[http.CanonicalHeaderKey(k)]; ok {
			v = r
		}
		fmt.Fprintf(w, "%s: %s\n", k, v)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, bodyText(body))
}

// bodyText returns body as text, or a note of its size when it is binary.
func bodyText(body []byte) string {
	if !utf8.Valid(body) {
		return "(" + strconv.Itoa(len(body)) + " bytes of binary data)"
	}
	return string(body)
}

// accepted returns the service's answer to an accepted request: 201, with a
// NotificationOutcome for a test send.
func accepted(req *http.Request) *http.Response {
	resp := &http.Response{
		Status: "201 Created", StatusCode: http.StatusCreated,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Request: req,
	}
	if req.URL.Query().Has("test") {
		resp.Header.Set("Content-Type", "application/xml; charset=utf-8")
		resp.Body = io.NopCloser(strings.NewReader(emptyOutcome))
		resp.ContentLength = int64(len(emptyOutcome))
	}
	return resp
}
