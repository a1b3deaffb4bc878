package fcm

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// The wire helpers read the JSON of a body push.Render accepted (one valid
// JSON object) without decoding it, so that a send allocates nothing to
// find where its target goes. They never panic, whatever the input: on
// anything unexpected they report failure.

// messageObject returns the "message" object of an fcmv1 body, and false
// when the body has no such object, or has more than one "message" (FCM
// would take the last).
func messageObject(body []byte) ([]byte, bool) {
	var msg []byte
	n := 0
	ok := eachMember(body, func(key []byte, value []byte) bool {
		if keyIs(key, "message") {
			msg, n = value, n+1
		}
		return true
	})
	if !ok || n != 1 || len(msg) == 0 || msg[0] != '{' {
		return nil, false
	}
	return msg, true
}

// targetKey returns the first member of a message object that names a
// target: token, topic, condition or fid.
func targetKey(msg []byte) (string, bool) {
	var found string
	eachMember(msg, func(key []byte, _ []byte) bool {
		for _, k := range [...]string{"token", "topic", "condition", "fid"} {
			if keyIs(key, k) {
				found = k
				return false
			}
		}
		return true
	})
	return found, found != ""
}

// messagePrefix is how push.FCMMessage and most hand-written bodies start.
const messagePrefix = `{"message":{`

// insertionPoint returns the offset just after the '{' that opens the
// message object of body, and whether the object is empty.
func insertionPoint(body []byte) (at int, empty bool) {
	if bytes.HasPrefix(body, []byte(messagePrefix)) {
		at = len(messagePrefix)
	} else {
		msg, ok := messageObject(body)
		if !ok {
			return len(body), true // not reached: checkEnvelope refused the body
		}
		at = offsetOf(body, msg) + 1
	}
	i := skipSpace(body, at)
	return at, i < len(body) && body[i] == '}'
}

// offsetOf returns where sub, a subslice of b, starts in b.
func offsetOf(b, sub []byte) int { return cap(b) - cap(sub) }

// eachMember calls f with the raw key (quotes included) and raw value of
// each member of the JSON object obj, until f returns false. It reports
// whether obj is a well-formed object as far as it read.
func eachMember(obj []byte, f func(key, value []byte) bool) bool {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return false
	}
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return true
	}
	for i < len(obj) {
		kEnd := skipString(obj, i)
		if kEnd < 0 {
			return false
		}
		key := obj[i:kEnd]
		i = skipSpace(obj, kEnd)
		if i >= len(obj) || obj[i] != ':' {
			return false
		}
		i = skipSpace(obj, i+1)
		vEnd := skipValue(obj, i, 0)
		if vEnd < 0 {
			return false
		}
		if !f(key, obj[i:vEnd]) {
			return true
		}
		i = skipSpace(obj, vEnd)
		switch {
		case i >= len(obj):
			return false
		case obj[i] == '}':
			return true
		case obj[i] != ',':
			return false
		}
		i = skipSpace(obj, i+1)
	}
	return false
}

// keyIs reports whether the raw JSON string key says name.
func keyIs(key []byte, name string) bool {
	if bytes.IndexByte(key, '\\') < 0 {
		return len(key) == len(name)+2 && string(key[1:len(key)-1]) == name
	}
	var s string
	return json.Unmarshal(key, &s) == nil && s == name
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset after the JSON string starting at b[i], or
// -1.
func skipString(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// maxDepth bounds the nesting skipValue follows.
const maxDepth = 64

// skipValue returns the offset after the JSON value starting at b[i], or -1.
// It checks the nesting of strings, objects and arrays; push.Render checked
// the rest.
func skipValue(b []byte, i, depth int) int {
	if i >= len(b) || depth > maxDepth {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		return skipContainer(b, i, depth)
	}
	for i < len(b) && !endsScalar(b[i]) {
		i++
	}
	return i
}

// endsScalar reports whether c ends a number, true, false or null.
func endsScalar(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// skipContainer returns the offset after the object or array at b[i].
func skipContainer(b []byte, i, depth int) int {
	closing := byte('}')
	if b[i] == '[' {
		closing = ']'
	}
	for i++; ; {
		i = skipSpace(b, i)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case closing:
			return i + 1
		case ',', ':':
			i++
			continue
		}
		end := skipValue(b, i, depth+1)
		if end < 0 || end == i {
			return -1
		}
		i = end
	}
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, the rest as it is (a valid UTF-8 s stays
// valid; invalid bytes become U+FFFD).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < ' ':
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
	}
	return append(b, '"')
}

// parseName returns the "name" of an accepted send's answer,
// {"name":"projects/P/messages/ID"} (the last, if it is repeated, as
// encoding/json reads it).
func parseName(body []byte) (string, bool) {
	var name []byte
	ok := eachMember(body, func(key, value []byte) bool {
		if keyIs(key, "name") {
			name = value
		}
		return true
	})
	if !ok || len(name) < 2 || name[0] != '"' {
		return "", false
	}
	raw := name[1 : len(name)-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw), utf8.Valid(raw)
	}
	var s string
	if json.Unmarshal(name, &s) != nil {
		return "", false
	}
	return s, true
}
