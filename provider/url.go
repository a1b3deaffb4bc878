package provider

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// URL is a configuration URL as an Opener reads it: scheme://host/path?params.
// Its getters read a parameter and mark it used; a value that does not parse
// is recorded, and Done reports the first such error, or parameters nobody
// read. The getters are not safe for concurrent use: an Opener reads its URL
// on one goroutine.
type URL struct {
	// Scheme names the provider, lower-case.
	Scheme string
	// Host is the URL's host (and port), "" when absent.
	Host string
	// Path is the URL's path without its leading "/", "" when absent.
	Path string

	query url.Values
	used  map[string]bool
	err   error
}

// parseURL parses a configuration URL. Its errors never quote rawURL.
func parseURL(rawURL string) (*URL, error) {
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok || !isScheme(scheme) {
		return nil, urlError("the configuration is not a URL like memory:// or azurenh://NAMESPACE.servicebus.windows.net/HUB?..." +
			" (the scheme names the provider)")
	}
	p, err := url.Parse(rawURL)
	if err != nil {
		return nil, urlError("the configuration URL does not parse (" + describeParseError(err) + ")")
	}
	switch {
	case p.User != nil:
		return nil, urlError("the configuration URL holds credentials before its host; put secrets in a file or an environment variable (NAME_file=PATH, NAME_env=VAR)")
	case p.Fragment != "":
		return nil, urlError("the configuration URL has a fragment (#...); parameters go in its query (?name=value)")
	}
	q, err := url.ParseQuery(p.RawQuery)
	if err != nil {
		return nil, urlError("the configuration URL's parameters do not parse")
	}
	for name, vs := range q {
		if len(vs) > 1 {
			return nil, urlError(fmt.Sprintf("parameter %s is given %d times", quoteName(name), len(vs)))
		}
	}
	return &URL{Scheme: strings.ToLower(p.Scheme), Host: p.Host, Path: strings.TrimPrefix(p.Path, "/"), query: q, used: map[string]bool{}}, nil
}

// isScheme reports whether s can be a URL scheme: a letter, then letters,
// digits, '+', '-' and '.'.
func isScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // lower case, for letters
		switch {
		case 'a' <= c && c <= 'z':
		case i > 0 && ('0' <= s[i] && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.'):
		default:
			return false
		}
	}
	return true
}

// describeParseError says what url.Parse disliked without quoting the input.
func describeParseError(err error) string {
	if ue, ok := err.(*url.Error); ok {
		err = ue.Err
	}
	switch err.(type) {
	case url.EscapeError:
		return "a bad %-escape"
	case url.InvalidHostError:
		return "an invalid character in the host"
	}
	return "malformed"
}

func urlError(detail string) error { return &push.Error{Op: "provider: open", Detail: detail} }

// quoteName quotes a parameter name for an error, shortened and made valid
// UTF-8: names are not secrets, values may be.
func quoteName(name string) string {
	if len(name) > 40 {
		name = name[:40] + "..."
	}
	return strconv.Quote(strings.ToValidUTF8(name, "?"))
}

// Has reports whether the URL has the parameter, and marks it used.
func (u *URL) Has(name string) bool {
	u.used[name] = true
	return u.query.Has(name)
}

// String returns the value of the parameter, "" when absent, and marks it
// used. Use Secret for a value that must not be written inline.
func (u *URL) String(name string) string {
	u.used[name] = true
	return u.query.Get(name)
}

// Bool returns the parameter as a boolean (true, false, 1, 0), def when
// absent.
func (u *URL) Bool(name string, def bool) bool {
	v := u.String(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		u.fail(name, "want true or false")
		return def
	}
	return b
}

// Int returns the parameter as a positive integer, def when absent.
func (u *URL) Int(name string, def int) int {
	v := u.String(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		u.fail(name, "want a positive whole number")
		return def
	}
	return n
}

// Duration returns the parameter as a positive duration ("30s", "5m"), def
// when absent.
func (u *URL) Duration(name string, def time.Duration) time.Duration {
	v := u.String(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		u.fail(name, `want a positive duration such as "30s" or "5m"`)
		return def
	}
	return d
}

// Secret returns a secret the URL points to: the contents of the file
// NAME_file names (without trailing line breaks), or the value of the
// environment variable NAME_env names. nil when neither is given. A secret
// written inline, NAME=value, is refused: URLs end up in logs and process
// listings. Errors name the parameter, the file or the variable, never the
// secret.
func (u *URL) Secret(name string) []byte {
	u.used[name] = true
	if u.query.Has(name) {
		u.fail(name, fmt.Sprintf("a secret is not written in the URL; give %s_file=PATH or %s_env=VAR", name, name))
		return nil
	}
	file, env := u.String(name+"_file"), u.String(name+"_env")
	switch {
	case file != "" && env != "":
		u.fail(name+"_file", "give "+name+"_file or "+name+"_env, not both")
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			u.fail(name+"_file", "cannot read the file: "+describeFileError(err))
			return nil
		}
		return []byte(strings.TrimRight(string(b), "\r\n"))
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok || v == "" {
			u.fail(name+"_env", fmt.Sprintf("the environment variable %s is not set", quoteName(env)))
			return nil
		}
		return []byte(v)
	}
	return nil
}

// describeFileError says why a file could not be read without its contents.
func describeFileError(err error) string {
	switch {
	case os.IsNotExist(err):
		return "it does not exist"
	case os.IsPermission(err):
		return "permission denied"
	}
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// Errorf returns the error of a parameter whose value the Opener cannot use:
// a *push.Error with Op "provider SCHEME" whose detail names the parameter.
// Never put the value of a secret in it.
func (u *URL) Errorf(name, format string, args ...any) error {
	return &push.Error{Op: "provider " + u.Scheme, Detail: "parameter " + quoteName(name) + ": " + fmt.Sprintf(format, args...)}
}

func (u *URL) fail(name, detail string) {
	if u.err == nil {
		u.err = u.Errorf(name, "%s", detail)
	}
}

// Done returns the first error a getter recorded, or else an error naming
// the parameters no getter read (a typo would otherwise be ignored), or nil.
func (u *URL) Done() error {
	if u.err != nil {
		return u.err
	}
	var unknown []string
	for name := range u.query {
		if !u.used[name] {
			unknown = append(unknown, quoteName(name))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	var known []string
	for name := range u.used {
		known = append(known, name)
	}
	slices.Sort(known)
	detail := "unknown parameter " + strings.Join(unknown, ", ")
	if len(known) > 0 {
		detail += "; " + u.Scheme + " takes " + strings.Join(known, ", ")
	} else {
		detail += "; " + u.Scheme + " takes none"
	}
	return &push.Error{Op: "provider " + u.Scheme, Detail: detail}
}
