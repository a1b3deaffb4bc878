package httpx

import (
	"bytes"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pushwire/push"
)

// Redacted is what a Scrubber writes in place of a secret.
const Redacted = "REDACTED"

// RecentSecrets is how many short-lived secrets (AddRecent) a Scrubber
// remembers: a token's signature is replaced well before it expires, so the
// last few cover every token that may still be valid, and echoes of them.
const RecentSecrets = 4

// Scrubber removes a client's own secrets from the text it emits: the details
// and causes of its errors, its log records and debug dumps, and the values
// it reads from a response, which a hostile or broken server may fill with
// an echo of the request's credentials. Every string a client emits passes
// through its Scrubber once, so that no path can forget it.
//
// A Scrubber holds secrets that never change (a key: Add) and the most recent
// short-lived ones (the signatures of the last RecentSecrets tokens:
// AddRecent). It finds each in the forms a server or a proxy may echo it in:
// as it is, percent-encoded as a query or a path escapes it (upper- or
// lower-case hex digits), and JSON-escaped ('+' as \u002B or \u002b, '/' as
// \/). Each is replaced by Redacted. WithParams adds the values of named URL
// query parameters (a signed URL's sig) to what is removed.
//
// The zero Scrubber is not usable; make one with NewScrubber. A Scrubber is
// safe for concurrent use; scrubbing text that holds no secret allocates
// nothing. Its secrets sit behind an atomic pointer, where neither fmt nor a
// reflection-based printer (testify's diff, go-cmp) reaches them.
type Scrubber struct {
	set    *secretSet
	params []string // "name=" of the query parameters whose values are removed too
}

// secretSet is the secrets a Scrubber and those WithParams derives share.
type secretSet struct {
	mu   sync.Mutex               // held while adding
	snap atomic.Pointer[snapshot] // never nil after NewScrubber
}

// snapshot is the secrets at one time; it is never modified once published.
type snapshot struct {
	fixed  []secret
	recent []secret // oldest first, at most RecentSecrets
	// windows holds every MinFragment bytes in a row of every form of every
	// secret, for ScrubFragmentsBytes.
	windows map[string]struct{}
}

// withWindows returns snap with its windows computed.
func (snap *snapshot) withWindows() *snapshot {
	snap.windows = map[string]struct{}{}
	for _, list := range [2][]secret{snap.fixed, snap.recent} {
		for _, sec := range list {
			for _, f := range sec.forms {
				for i := 0; i+MinFragment <= len(f); i++ {
					snap.windows[f[i:i+MinFragment]] = struct{}{}
				}
			}
		}
	}
	return snap
}

// secret is one secret, the forms it is looked for in, and a needle: a part
// every form contains, so that text without it is passed over at once.
type secret struct {
	needle      string
	needleBytes []byte
	forms       []string
}

// NewScrubber returns a Scrubber that removes secrets, which never change;
// empty strings are ignored.
func NewScrubber(secrets ...string) *Scrubber {
	s := &Scrubber{set: &secretSet{}}
	s.set.snap.Store(&snapshot{})
	for _, v := range secrets {
		s.Add(v)
	}
	return s
}

// WithParams returns a Scrubber that shares s's secrets (those added to
// either are removed by both) and also replaces the value of every URL query
// parameter of the given names (up to the next '&', quote, '<', '>', ']',
// ';' or space) by Redacted: the signature of a signed URL (sig) a client
// must not log but may have to return to its caller.
func (s *Scrubber) WithParams(names ...string) *Scrubber {
	params := append([]string(nil), s.params...)
	for _, n := range names {
		params = append(params, n+"=")
	}
	return &Scrubber{set: s.set, params: params}
}

// Add makes s remove secret from now on. An empty secret is ignored.
func (s *Scrubber) Add(secret string) { s.add(secret, false) }

// AddRecent makes s remove a short-lived secret, such as the signature of a
// token just signed, for as long as it is among the RecentSecrets most recent
// ones. An empty secret is ignored.
func (s *Scrubber) AddRecent(secret string) { s.add(secret, true) }

func (s *Scrubber) add(v string, recent bool) {
	if v == "" {
		return
	}
	sec := newSecret(v)
	s.set.mu.Lock()
	defer s.set.mu.Unlock()
	old := s.set.snap.Load()
	next := &snapshot{fixed: old.fixed, recent: old.recent}
	if recent {
		keep := old.recent[max(0, len(old.recent)-(RecentSecrets-1)):]
		next.recent = append(append(make([]secret, 0, RecentSecrets), keep...), sec)
	} else {
		next.fixed = append(append(make([]secret, 0, len(old.fixed)+1), old.fixed...), sec)
	}
	s.set.snap.Store(next.withWindows())
}

// newSecret returns v with the forms it may be echoed in.
func newSecret(v string) secret {
	needle := longestAlnumRun(v)
	sec := secret{needle: needle, needleBytes: []byte(needle)}
	add := func(f string) {
		for _, have := range sec.forms {
			if have == f {
				return
			}
		}
		sec.forms = append(sec.forms, f)
	}
	add(v)
	for _, esc := range []string{url.QueryEscape(v), url.PathEscape(v)} {
		add(esc)
		add(lowerHexEscapes(esc))
	}
	json := strings.ReplaceAll(v, "/", `\/`)
	add(strings.ReplaceAll(json, "+", `\u002B`))
	add(strings.ReplaceAll(json, "+", `\u002b`))
	// Longest first, so that a form that contains another is replaced whole.
	for i := 1; i < len(sec.forms); i++ {
		for j := i; j > 0 && len(sec.forms[j]) > len(sec.forms[j-1]); j-- {
			sec.forms[j], sec.forms[j-1] = sec.forms[j-1], sec.forms[j]
		}
	}
	return sec
}

// longestAlnumRun returns the longest run of ASCII letters and digits in v,
// which every form of v keeps intact; v itself when it has none.
func longestAlnumRun(v string) string {
	best, start := "", -1
	for i := 0; i <= len(v); i++ {
		if i < len(v) && isAlnum(v[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > len(best) {
			best = v[start:i]
		}
		start = -1
	}
	if best == "" {
		return v
	}
	return best
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// lowerHexEscapes returns s with the hex digits of its %XX escapes in lower case.
func lowerHexEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = toLowerASCII(b[i+1]), toLowerASCII(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func toLowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// Scrub returns text with every secret of s, and the values of s's
// parameters, replaced by Redacted. Text that holds none is returned as it
// is, without allocating.
func (s *Scrubber) Scrub(text string) string {
	if !s.dirtyString(text) {
		return text
	}
	return string(s.scrub([]byte(text)))
}

// ScrubBytes is Scrub for a byte slice. b itself is returned when it holds no
// secret; otherwise a new slice, and b is not modified.
func (s *Scrubber) ScrubBytes(b []byte) []byte {
	if !s.dirtyBytes(b) {
		return b
	}
	return s.scrub(bytes.Clone(b))
}

// ScrubFragmentsBytes is ScrubBytes that also removes a part of a secret: each
// run of the characters secrets are written in (letters, digits and
// + / = - _ . % \) that holds MinFragment bytes in a row of one of their forms
// becomes Redacted, as a server that clips what it echoes may send. It
// costs a map lookup a byte of b; use it on error answers, whose text the
// caller reads, not on every response.
func (s *Scrubber) ScrubFragmentsBytes(b []byte) []byte {
	b = s.ScrubBytes(b)
	windows := s.set.snap.Load().windows
	if len(windows) == 0 {
		return b
	}
	return RedactRuns(b, secretChar, func(run []byte) bool { return holdsWindow(run, windows) })
}

// holdsWindow reports whether run holds one of windows.
func holdsWindow(run []byte, windows map[string]struct{}) bool {
	for i := 0; i+MinFragment <= len(run); i++ {
		if _, ok := windows[string(run[i:i+MinFragment])]; ok {
			return true
		}
	}
	return false
}

// secretChar reports whether b[i] may be part of a secret's form: base64 in
// either alphabet, percent-escapes, JSON escapes and dots. An '=' is one
// only as padding, before another '=' or at a run's end, so that "sig=" is
// not taken for part of the value it names.
func secretChar(b []byte, i int) bool {
	if b[i] != '=' {
		return secretByte(b[i])
	}
	return i+1 == len(b) || b[i+1] == '=' || !secretByte(b[i+1])
}

func secretByte(c byte) bool { return isAlnum(c) || strings.IndexByte("+/-_.%\\", c) >= 0 }

// dirtyString reports whether text may hold something to remove.
func (s *Scrubber) dirtyString(text string) bool {
	for _, p := range s.params {
		if strings.Contains(text, p) {
			return true
		}
	}
	snap := s.set.snap.Load()
	for _, list := range [2][]secret{snap.fixed, snap.recent} {
		for _, sec := range list {
			if strings.Contains(text, sec.needle) {
				return true
			}
		}
	}
	return false
}

// dirtyBytes is dirtyString for a byte slice.
func (s *Scrubber) dirtyBytes(b []byte) bool {
	for _, p := range s.params {
		if bytes.Contains(b, []byte(p)) {
			return true
		}
	}
	snap := s.set.snap.Load()
	for _, list := range [2][]secret{snap.fixed, snap.recent} {
		for _, sec := range list {
			if bytes.Contains(b, sec.needleBytes) {
				return true
			}
		}
	}
	return false
}

// scrub removes everything from b, which it may modify.
func (s *Scrubber) scrub(b []byte) []byte {
	snap := s.set.snap.Load()
	for _, list := range [2][]secret{snap.fixed, snap.recent} {
		for _, sec := range list {
			if !bytes.Contains(b, sec.needleBytes) {
				continue
			}
			for _, f := range sec.forms {
				b = bytes.ReplaceAll(b, []byte(f), []byte(Redacted))
			}
		}
	}
	for _, p := range s.params {
		b = redactParam(b, p)
	}
	return b
}

// redactParam replaces the value of every parameter in b that key ("name=")
// starts.
func redactParam(b []byte, key string) []byte {
	if !bytes.Contains(b, []byte(key)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for {
		i := bytes.Index(b, []byte(key))
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i+len(key)]...)
		b = b[i+len(key):]
		end := bytes.IndexAny(b, "&\"'<>]; \t\r\n")
		if end < 0 {
			end = len(b)
		}
		if end > 0 {
			out = append(out, Redacted...)
		}
		b = b[end:]
	}
}

// Err returns err with its text scrubbed. A *push.Error (however wrapped at
// the top) becomes a copy whose Detail, Code and TrackingID are scrubbed and
// whose Err is scrubbed in turn, so that errors.Is and errors.As still see
// the same kinds and causes; any other error whose text holds a secret
// becomes an error with the scrubbed text that unwraps to err. nil stays nil,
// and an error without a secret is returned as it is.
func (s *Scrubber) Err(err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := err.(*push.Error); ok {
		return s.pushError(pe)
	}
	text := err.Error()
	if clean := s.Scrub(text); clean != text {
		return &scrubbedError{text: clean, err: err}
	}
	return err
}

// pushError returns e, or a scrubbed copy of it.
func (s *Scrubber) pushError(e *push.Error) *push.Error {
	detail, code, tracking := s.Scrub(e.Detail), s.Scrub(e.Code), s.Scrub(e.TrackingID)
	cause := s.Err(e.Err)
	if detail == e.Detail && code == e.Code && tracking == e.TrackingID && !changed(cause, e.Err) {
		return e
	}
	c := *e
	c.Detail, c.Code, c.TrackingID, c.Err = detail, code, tracking, cause
	return &c
}

// changed reports whether Err replaced an error: it returns a new value only
// as a pointer (*push.Error or *scrubbedError).
func changed(got, was error) bool {
	switch g := got.(type) {
	case *scrubbedError:
		return true
	case *push.Error:
		w, ok := was.(*push.Error)
		return !ok || g != w
	}
	return false
}

// scrubbedError is an error whose text was scrubbed.
type scrubbedError struct {
	text string
	err  error
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

// String names the type only: a Scrubber holds secrets.
func (s *Scrubber) String() string { return "httpx.Scrubber" }

// GoString is String, for %#v.
func (s *Scrubber) GoString() string { return s.String() }
