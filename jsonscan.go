package push

import "bytes"

// jsonScan walks JSON text already known to be valid (json.Valid), without
// decoding it: the checks of a send's body use it so that a valid body costs
// no allocation. Any doubt (an escaped key, an unexpected shape) is left to
// the decoding checks, which also word the errors.
type jsonScan struct {
	b []byte
	i int
}

func (s *jsonScan) ws() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\r' || s.b[s.i] == '\n') {
		s.i++
	}
}

// peek returns the next byte after whitespace, 0 at the end.
func (s *jsonScan) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// str reads a string at s.i and returns its contents between the quotes, and
// whether it holds an escape.
func (s *jsonScan) str() (raw []byte, escaped bool) {
	s.i++ // the opening quote
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			escaped = true
			s.i += 2
			continue
		case '"':
			raw = s.b[start:s.i]
			s.i++
			return raw, escaped
		}
		s.i++
	}
	return s.b[start:], escaped
}

// skip skips one value.
func (s *jsonScan) skip() {
	switch s.peek() {
	case '"':
		s.str()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch c := s.b[s.i]; c {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return
				}
			}
			s.i++
		}
	default: // a number, true, false or null
		for s.i < len(s.b) && !endsScalar(s.b[s.i]) {
			s.i++
		}
	}
}

func endsScalar(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n'
}

// object walks the object at s.i, calling member with each key, positioned
// at the key's value, which member must consume. It stops at the first
// member that returns false, or at an escaped key, and reports whether it
// walked the whole object.
func (s *jsonScan) object(member func(key []byte) bool) bool {
	if s.peek() != '{' {
		return false
	}
	s.i++
	for {
		switch s.peek() {
		case '}':
			s.i++
			return true
		case ',':
			s.i++
			continue
		}
		key, escaped := s.str()
		if escaped {
			return false
		}
		s.ws()
		s.i++ // the colon
		if !member(key) {
			return false
		}
	}
}

// fcmV1OK reports whether an FCM v1 body, valid JSON, passes checkFCMV1's
// checks for sure: {"message":{...}} alone, string data values, no reserved
// data key.
func fcmV1OK(body []byte) bool {
	s := jsonScan{b: body}
	members := 0
	return s.object(func(key []byte) bool {
		members++
		return members == 1 && string(key) == "message" && s.object(func(key []byte) bool {
			switch string(key) {
			case "data":
				return s.fcmDataOK()
			case "android":
				if s.peek() == 'n' { // null
					s.skip()
					return true
				}
				return s.object(func(key []byte) bool {
					switch {
					case string(key) == "data":
						return s.fcmDataOK()
					case bytes.EqualFold(key, []byte("data")):
						return false // encoding/json matches fields in any case
					}
					s.skip()
					return true
				})
			}
			if bytes.EqualFold(key, []byte("data")) || bytes.EqualFold(key, []byte("android")) {
				return false // encoding/json matches fields in any case
			}
			s.skip()
			return true
		})
	}) && members == 1
}

// fcmDataOK reports whether the value at s.i is a data map FCM takes: null,
// or an object of string values whose keys are not reserved.
func (s *jsonScan) fcmDataOK() bool {
	if s.peek() == 'n' {
		s.skip()
		return true
	}
	return s.object(func(key []byte) bool {
		if fcmReservedKeyBytes(key) || s.peek() != '"' {
			return false
		}
		s.skip()
		return true
	})
}

// fcmReservedKeyBytes is fcmReservedKey without a string.
func fcmReservedKeyBytes(k []byte) bool {
	switch string(k) { // no allocation: the compiler compares in place
	case "from", "notification", "message_type":
		return true
	}
	return bytes.HasPrefix(k, []byte("google")) || bytes.HasPrefix(k, []byte("gcm"))
}
