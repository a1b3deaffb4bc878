package azurenh

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/pushwire/push"
)

// The names a connection string may carry, spelled as the Azure portal writes them.
const (
	nameEndpoint   = "Endpoint"
	nameKeyName    = "SharedAccessKeyName"
	nameKey        = "SharedAccessKey"
	nameEntityPath = "EntityPath"
)

// opParseConnectionString is the Op of every error ParseConnectionString returns.
const opParseConnectionString = "azurenh: parse connection string"

// ConnectionString is a parsed Notification Hubs connection string: what
// ParseConnectionString made of the text a user pasted, to show or check it
// before making a Client (New takes the text itself).
//
// It prints safely: String, GoString (%#v) and LogValue show the key as
// REDACTED, and the key is sealed where no printer reaches it, not even one
// that walks unexported fields (fmt on a struct that holds a ConnectionString
// in an unexported field, testify's and go-cmp's diffs). Read it with Key.
// Compare two with Equal: a sealed key makes ConnectionString incomparable
// with ==, and reflect.DeepEqual (testify's assert.Equal) sees two parses of
// one string as different.
type ConnectionString struct {
	Endpoint   string // "https://NS.servicebus.windows.net/" (sb:// turned into https://, always ending in "/")
	KeyName    string // SharedAccessKeyName
	EntityPath string // the hub name when the string carries EntityPath; "" otherwise
	key        sealedKey
}

// Key returns the SharedAccessKey, a Key that redacts itself wherever it is
// printed; string(cs.Key()) reads it.
func (c ConnectionString) Key() Key { return c.key.open() }

// Equal reports whether c and o name the same endpoint, rule, key and entity
// path. The keys are compared in constant time.
func (c ConnectionString) Equal(o ConnectionString) bool {
	return c.Endpoint == o.Endpoint && c.KeyName == o.KeyName && c.EntityPath == o.EntityPath &&
		subtle.ConstantTimeCompare([]byte(c.Key()), []byte(o.Key())) == 1
}

// ParseConnectionString parses a connection string of the form the Azure portal
// shows under "Access Policies":
//
//	Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=RULE;SharedAccessKey=KEY
//
// Parts are separated by ";" and split at their first "=", so a key ending in "="
// is kept whole. Spaces around names and values are trimmed, empty parts are
// skipped, names match without regard to case and unknown names are ignored.
// EntityPath, when present, names the hub.
//
// Endpoint, SharedAccessKeyName and SharedAccessKey are required: this package signs
// requests with a shared access rule and supports no other kind of credential. The
// endpoint must be an sb:// or https:// URL with a host (a port is allowed, as an
// emulator at sb://127.0.0.1:8443/ needs) and no path; it is returned as
// https://HOST/.
//
// An error is a *push.Error whose Detail says what to fix. It never quotes the input,
// which holds the key: a malformed part is named by its position, counting from 1.
func ParseConnectionString(s string) (ConnectionString, error) {
	if strings.TrimSpace(s) == "" {
		return ConnectionString{}, parseError("the connection string is empty")
	}
	values, err := splitConnectionString(s)
	if err != nil {
		return ConnectionString{}, err
	}
	if err := requireNames(values); err != nil {
		return ConnectionString{}, err
	}
	endpoint, err := parseEndpoint(values[nameEndpoint])
	if err != nil {
		return ConnectionString{}, err
	}
	return ConnectionString{
		Endpoint:   endpoint,
		KeyName:    values[nameKeyName],
		EntityPath: values[nameEntityPath],
		key:        seal(Key(values[nameKey])),
	}, nil
}

// splitConnectionString returns the values of the known names, keyed by their
// canonical spelling.
func splitConnectionString(s string) (map[string]string, error) {
	values := make(map[string]string, 4)
	for i, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			return nil, parseError("part %d has no \"=\"; every part must be Name=Value, separated by \";\"", i+1)
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if name == "" {
			return nil, parseError("part %d has no name before its \"=\"", i+1)
		}
		name, known := canonicalName(name)
		if !known {
			continue
		}
		if _, dup := values[name]; dup {
			return nil, parseError("%s is given more than once", name)
		}
		if value == "" {
			return nil, parseError("%s has an empty value", name)
		}
		values[name] = value
	}
	return values, nil
}

// canonicalName returns the portal's spelling of a known name, matched without
// regard to ASCII case. Comparing lengths first keeps out non-ASCII look-alikes
// that Unicode case folding would accept (the Kelvin sign for "K").
func canonicalName(name string) (string, bool) {
	for _, known := range [...]string{nameEndpoint, nameKeyName, nameKey, nameEntityPath} {
		if len(name) == len(known) && strings.EqualFold(name, known) {
			return known, true
		}
	}
	return "", false
}

// requireNames reports the first required name that is missing.
func requireNames(values map[string]string) error {
	if _, ok := values[nameEndpoint]; !ok {
		return parseError("Endpoint is missing; copy the connection string from the hub's Access Policies in the Azure portal")
	}
	_, hasKeyName := values[nameKeyName]
	_, hasKey := values[nameKey]
	switch {
	case !hasKeyName && !hasKey:
		return parseError("SharedAccessKeyName and SharedAccessKey are missing; this package authenticates only with a shared access policy")
	case !hasKeyName:
		return parseError("SharedAccessKeyName is missing; it names the access policy whose SharedAccessKey is given")
	case !hasKey:
		return parseError("SharedAccessKey is missing; it is the primary or secondary key of the access policy")
	}
	return nil
}

// endpointHint ends every Endpoint error with the expected form.
const endpointHint = "; want sb://NAMESPACE.servicebus.windows.net/"

// parseEndpoint checks an Endpoint value and returns it as https://HOST/.
func parseEndpoint(raw string) (string, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", parseError("Endpoint is not a valid URL" + endpointHint)
	case u.Scheme != "sb" && u.Scheme != "https":
		return "", parseError("Endpoint must start with sb:// or https://" + endpointHint)
	case u.Opaque != "" || u.Hostname() == "":
		return "", parseError("Endpoint has no host" + endpointHint)
	case u.User != nil:
		return "", parseError("Endpoint must not carry a user name or password" + endpointHint)
	case u.Path != "" && u.Path != "/":
		return "", parseError("Endpoint must not have a path (give the hub name separately)" + endpointHint)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", parseError("Endpoint must not have a query or fragment" + endpointHint)
	}
	host, err := endpointHost(u)
	if err != nil {
		return "", err
	}
	return "https://" + host + "/", nil
}

// endpointHost returns the host of u, and its port when it has one, checked and
// rebuilt: a DNS name, an IPv4 address or a bracketed IPv6 address, then a port
// from 1 to 65535. url.Parse alone lets through hosts such as "::" or "a=b".
func endpointHost(u *url.URL) (string, error) {
	name, port := u.Hostname(), u.Port()
	if strings.HasPrefix(u.Host, "[") {
		addr, err := netip.ParseAddr(name)
		if err != nil || addr.Zone() != "" {
			return "", parseError("Endpoint host must be a DNS name or an IP address" + endpointHint)
		}
		name = "[" + name + "]"
	} else if !isHostName(name) {
		return "", parseError("Endpoint host must be a DNS name or an IP address" + endpointHint)
	}
	if port == "" {
		return name, nil
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", parseError("Endpoint port must be a number from 1 to 65535" + endpointHint)
	}
	return name + ":" + port, nil
}

// isHostName reports whether name is made of the characters of DNS names and IPv4
// addresses: ASCII letters, digits, '-', '.' and '_' (which local emulators'
// container names may use).
func isHostName(name string) bool {
	for _, r := range name {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '.' || r == '_') {
			return false
		}
	}
	return name != ""
}

// parseError returns the error of a malformed connection string. Its arguments must
// never come from the input.
func parseError(format string, args ...any) error {
	return &push.Error{Op: opParseConnectionString, Detail: fmt.Sprintf(format, args...)}
}

// String returns the connection string in portal form, with the https:// endpoint
// and SharedAccessKey=REDACTED. It parses back to the same value except for the key.
func (c ConnectionString) String() string {
	s := nameEndpoint + "=" + c.Endpoint +
		";" + nameKeyName + "=" + c.KeyName +
		";" + nameKey + "=" + redacted
	if c.EntityPath != "" {
		s += ";" + nameEntityPath + "=" + c.EntityPath
	}
	return s
}

// GoString returns a Go-syntax form for %#v, with the key REDACTED.
func (c ConnectionString) GoString() string {
	return fmt.Sprintf("azurenh.ConnectionString{Endpoint:%q, KeyName:%q, Key:%s, EntityPath:%q}",
		c.Endpoint, c.KeyName, redacted, c.EntityPath)
}

// LogValue logs the connection string as a group with the key REDACTED.
func (c ConnectionString) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("endpoint", c.Endpoint),
		slog.String("keyName", c.KeyName),
		slog.Any("key", c.Key()),
	}
	if c.EntityPath != "" {
		attrs = append(attrs, slog.String("entityPath", c.EntityPath))
	}
	return slog.GroupValue(attrs...)
}
