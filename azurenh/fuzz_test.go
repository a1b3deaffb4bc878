package azurenh

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// encodeOutcome writes o as a NotificationOutcome document, the inverse of
// parseOutcome.
func encodeOutcome(t *testing.T, o *push.Outcome) []byte {
	t.Helper()
	doc := outcomeXML{Success: strconv.Itoa(o.Success), Failure: strconv.Itoa(o.Failure)}
	for _, r := range o.Results {
		doc.Results = append(doc.Results, resultXML{
			ApplicationPlatform: r.Platform, PnsHandle: r.Handle, RegistrationID: r.RegistrationID, Outcome: r.Outcome,
		})
	}
	b, err := xml.Marshal(doc)
	require.NoError(t, err)
	return b
}

// FuzzParseOutcome checks that parseOutcome never panics, and that what it
// accepts survives being written and parsed again.
func FuzzParseOutcome(f *testing.F) {
	f.Add([]byte(testOutcome))
	f.Add([]byte(`<NotificationOutcome xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Success>0</Success><Failure>0</Failure><Results i:nil="true"/></NotificationOutcome>`))
	f.Add([]byte(`<NotificationOutcome><Success> 2 </Success><Failure>1</Failure><Results><RegistrationResult><Outcome>x</Outcome></RegistrationResult><RegistrationResult/></Results></NotificationOutcome>`))
	f.Add([]byte(`<NotificationOutcome><Success>-1</Success></NotificationOutcome>`))
	f.Add([]byte(`<Error><Code>400</Code></Error>`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := parseOutcome(body)
		if err != nil {
			assert.Nil(t, o)
			return
		}
		require.NotNil(t, o)
		assert.GreaterOrEqual(t, o.Success, 0)
		assert.GreaterOrEqual(t, o.Failure, 0)
		again, err := parseOutcome(encodeOutcome(t, o))
		require.NoError(t, err)
		assert.Equal(t, o, again)
	})
}

// FuzzParseErrorBody checks that parseErrorBody never panics, keeps a
// fallback detail whole and valid UTF-8, that the error made of it shows it
// on one bounded line, and that an <Error> document written by encoding/xml
// gives back its code and detail.
func FuzzParseErrorBody(f *testing.F) {
	f.Add([]byte("<Error><Code>400</Code><Detail>Bad. TrackingId:abc,TimeStamp:1/2/2030 3:04:05 AM</Detail></Error>"), "400", "Bad.")
	f.Add([]byte("<html><body>502 Bad Gateway</body></html>"), "401", "ExpiredToken: the token is expired")
	f.Add([]byte(""), "", "")
	f.Add([]byte("\xff\x00<Error>"), "x\ry", "a\r\nb\tc")
	f.Fuzz(func(t *testing.T, body []byte, code, detail string) {
		_, d := parseErrorBody(body)
		if !isErrorDocument(body) {
			assert.True(t, utf8.ValidString(d))
			assert.Equal(t, string(bytes.TrimSpace(bytes.ToValidUTF8(body, []byte("\uFFFD")))), d, "the whole text is kept")
		}
		msg := (&push.Error{Op: "x", Detail: d}).Error()
		assert.LessOrEqual(t, len(msg), 600)
		assert.False(t, strings.ContainsAny(msg, "\x00\r\n\t"), "%q", msg)

		if !isXMLText(code) || !isXMLText(detail) {
			return
		}
		doc, err := xml.Marshal(errorBody{Code: code, Detail: detail})
		require.NoError(t, err)
		gotCode, gotDetail := parseErrorBody(doc)
		assert.Equal(t, strings.TrimSpace(code), gotCode)
		assert.Equal(t, strings.TrimSpace(detail), gotDetail)
	})
}

// isErrorDocument reports whether body parses as an <Error> document.
func isErrorDocument(body []byte) bool {
	var e errorBody
	return xml.Unmarshal(bytes.TrimSpace(body), &e) == nil
}

// isXMLText reports whether s is made of characters XML 1.0 can carry.
func isXMLText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !(r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
	}
	return true
}

// FuzzBatchBody checks that a batch body, read back with mime/multipart as the
// service reads it, gives the notification and the handles that went in.
func FuzzBatchBody(f *testing.F) {
	f.Add([]byte(`{"aps":{"alert":"hi"}}`), "token1", `to"ken\2`, "00000000-0000-4000-8000-000000000001")
	f.Add([]byte("--nh-boundary-x\r\n--nh-boundary-x--"), "a", "b", "x")
	f.Add([]byte("ends with CR\r"), "é", "a\"]", "")
	f.Fuzz(func(t *testing.T, body []byte, h1, h2, id string) {
		if len(body) == 0 || !validBoundaryID(id) || push.Devices(h1, h2).Err() != nil {
			return // the handles of a batch come from a valid push.Target
		}
		boundary, err := newBoundary(func() (string, error) { return id, nil }, body)
		require.NoError(t, err)
		devices := []string{h1, h2}
		raw := appendBatchBody(nil, boundary, push.ContentTypeJSON, body, devices)

		_, params, err := mime.ParseMediaType(batchContentType(boundary))
		require.NoError(t, err)
		require.Equal(t, boundary, params["boundary"])
		parts := readParts(t, raw, boundary)
		require.Len(t, parts, 2)
		assert.Equal(t, body, parts["notification"])
		var got []string
		require.NoError(t, json.Unmarshal(parts["devices"], &got))
		assert.Equal(t, devices, got)
	})
}

// FuzzAppendJSONString checks the JSON string encoder against encoding/json,
// invalid UTF-8 included.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "ctl\x01\x1f", "é😀", "bad\xffutf8", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got, want string
		require.NoError(t, json.Unmarshal(appendJSONString(nil, s), &got))
		ref, err := json.Marshal(s)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(ref, &want))
		assert.Equal(t, want, got)
		if push.Device(s).Err() == nil { // appendJSONStrings takes handles
			var list []string
			require.NoError(t, json.Unmarshal(appendJSONStrings(nil, []string{s, s}), &list))
			assert.Equal(t, []string{s, s}, list)
		}
	})
}

// validBoundaryID reports whether id can extend a boundary: the characters of
// RFC 2046 boundaries, without space, and a boundary of at most 70 of them.
func validBoundaryID(id string) bool {
	if len(boundaryPrefix)+len(id)+3 > 70 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("'()+_,-./:=?", c) >= 0) {
			return false
		}
	}
	return true
}

// readParts returns the parts of a multipart body by their Content-Disposition name.
func readParts(t *testing.T, raw []byte, boundary string) map[string][]byte {
	t.Helper()
	parts := map[string][]byte{}
	mr := multipart.NewReader(bytes.NewReader(raw), boundary)
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return parts
		}
		require.NoError(t, err)
		_, dp, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		parts[dp["name"]] = data
	}
}

// TestBatchBodyMatchesTheReference pins the layout of the reference: CRLF line
// ends, "Content-type" as the service's samples spell it, no trailing CRLF.
func TestBatchBodyMatchesTheReference(t *testing.T) {
	got := appendBatchBody(nil, "B", push.ContentTypeJSON, []byte(`{"aps":{"alert":"hi"}}`), []string{"token1", "token2"})
	want := "--B\r\n" +
		"Content-type: application/json;charset=utf-8\r\n" +
		"Content-Disposition: inline; name=notification\r\n" +
		"\r\n" +
		`{"aps":{"alert":"hi"}}` + "\r\n" +
		"--B\r\n" +
		"Content-type: application/json\r\n" +
		"Content-Disposition: inline; name=devices\r\n" +
		"\r\n" +
		`["token1","token2"]` + "\r\n" +
		"--B--"
	assert.Equal(t, want, string(got))
	assert.Equal(t, `multipart/mixed; boundary="B"`, batchContentType("B"))
}
