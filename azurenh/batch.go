package azurenh

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// boundaryPrefix starts the boundary of every batch body; the Client's ID source
// supplies the rest.
const boundaryPrefix = "nh-boundary-"

// batchContentType returns the Content-Type of a batch body with boundary b.
// It is multipart/mixed, as the service requires, not the multipart/form-data
// of Go's multipart.Writer.
func batchContentType(b string) string {
	return `multipart/mixed; boundary="` + b + `"`
}

// appendBatchBody appends to dst the body of a batch direct send: two parts,
// the notification (with its content type) and the device handles as a JSON
// array, with CRLF line ends:
//
//	--B
//	Content-type: application/json;charset=utf-8
//	Content-Disposition: inline; name=notification
//
//	{"aps":{"alert":"hi"}}
//	--B
//	Content-type: application/json
//	Content-Disposition: inline; name=devices
//
//	["token1","token2"]
//	--B--
//
// The caller makes sure the boundary does not occur in the notification (see
// newBoundary). The devices part is one line (JSON escapes line breaks), so it
// cannot hold a delimiter, which starts a line.
func appendBatchBody(dst []byte, boundary, contentType string, body []byte, devices []string) []byte {
	dst = append(dst, "--"...)
	dst = append(dst, boundary...)
	dst = append(dst, "\r\nContent-type: "...)
	dst = append(dst, contentType...)
	dst = append(dst, "\r\nContent-Disposition: inline; name=notification\r\n\r\n"...)
	dst = append(dst, body...)
	dst = append(dst, "\r\n--"...)
	dst = append(dst, boundary...)
	dst = append(dst, "\r\nContent-type: application/json\r\nContent-Disposition: inline; name=devices\r\n\r\n"...)
	dst = appendJSONStrings(dst, devices)
	dst = append(dst, "\r\n--"...)
	dst = append(dst, boundary...)
	dst = append(dst, "--"...)
	return dst
}

// batchBodySize returns the size of the batch body for these parts, assuming no
// handle needs escaping: the capacity to allocate.
func batchBodySize(boundary, contentType string, body []byte, devices []string) int {
	n := 3*len(boundary) + len(contentType) + len(body) + 200
	for _, d := range devices {
		n += len(d) + 3
	}
	return n
}

// newBoundary returns a boundary made of values of ids that does not occur in
// body. With a source of unique values the first one serves. ids is
// Client.newID, whose error it returns.
func newBoundary(ids func() (string, error), body []byte) (string, error) {
	id, err := ids()
	if err != nil {
		return "", err
	}
	b := boundaryPrefix + id
	for i := 1; bytes.Contains(body, []byte(b)); i++ {
		if id, err = ids(); err != nil {
			return "", err
		}
		b = boundaryPrefix + id + "-" + strconv.Itoa(i)
	}
	return b, nil
}

// appendJSONStrings appends handles as a JSON array of strings.
//
// The handles come from a push.Target, which guarantees that each is valid
// UTF-8 without control characters, so only '"' and '\\' can need escaping:
// a handle without them, the common case, is copied after two fast scans for
// them. Any other handle goes through appendJSONString, which escapes anything.
func appendJSONStrings(dst []byte, handles []string) []byte {
	dst = append(dst, '[')
	for i, h := range handles {
		if i > 0 {
			dst = append(dst, ',')
		}
		if strings.IndexByte(h, '"') < 0 && strings.IndexByte(h, '\\') < 0 {
			dst = append(dst, '"')
			dst = append(dst, h...)
			dst = append(dst, '"')
			continue
		}
		dst = appendJSONString(dst, h)
	}
	return append(dst, ']')
}

// appendJSONString appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD, the rest as is.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
