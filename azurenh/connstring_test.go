package azurenh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// testKey is a made-up SharedAccessKey: 44 base64 characters ending in "=", like a
// real one. Decoded, it reads "this is not a real key, just a test".
const testKey = "dGhpcyBpcyBub3QgYSByZWFsIGtleSwganVzdCBhIHRlc3Q="

const (
	testEndpoint = "sb://contoso.servicebus.windows.net/"
	testKeyName  = "DefaultFullSharedAccessSignature"
	portalForm   = "Endpoint=" + testEndpoint + ";SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey
)

// wantPortal is what portalForm parses to.
var wantPortal = connString("https://contoso.servicebus.windows.net/", testKeyName, testKey, "")

// connString returns a ConnectionString with its key sealed, as
// ParseConnectionString makes it.
func connString(endpoint, keyName, key, entityPath string) ConnectionString {
	return ConnectionString{Endpoint: endpoint, KeyName: keyName, EntityPath: entityPath, key: seal(Key(key))}
}

// assertSameConnectionString compares two ConnectionStrings, keys included,
// and prints them (safely) when they differ.
func assertSameConnectionString(t *testing.T, want, got ConnectionString, msgAndArgs ...any) {
	t.Helper()
	if !want.Equal(got) {
		keys := "the same key"
		if want.Key() != got.Key() {
			keys = "different keys"
		}
		assert.Fail(t, fmt.Sprintf("want %#v, got %#v (%s)", want, got, keys), msgAndArgs...)
	}
}

func TestParseConnectionString(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want ConnectionString
	}{
		{name: "portal form", in: portalForm, want: wantPortal},
		{
			name: "any order",
			in:   "SharedAccessKey=" + testKey + ";Endpoint=" + testEndpoint + ";SharedAccessKeyName=" + testKeyName,
			want: wantPortal,
		},
		{
			name: "upper-case names",
			in:   "ENDPOINT=" + testEndpoint + ";SHAREDACCESSKEYNAME=" + testKeyName + ";SHAREDACCESSKEY=" + testKey,
			want: wantPortal,
		},
		{
			name: "lower-case names",
			in:   "endpoint=" + testEndpoint + ";sharedaccesskeyname=" + testKeyName + ";sharedaccesskey=" + testKey,
			want: wantPortal,
		},
		{
			name: "spaces around names and values",
			in:   "  Endpoint = " + testEndpoint + " ;\tSharedAccessKeyName= " + testKeyName + "\n; SharedAccessKey =" + testKey + "  ",
			want: wantPortal,
		},
		{name: "trailing semicolon", in: portalForm + ";", want: wantPortal},
		{
			name: "empty parts",
			in:   ";;Endpoint=" + testEndpoint + ";  ;SharedAccessKeyName=" + testKeyName + ";;SharedAccessKey=" + testKey + ";;",
			want: wantPortal,
		},
		{
			name: "equals signs inside the key",
			in:   "Endpoint=" + testEndpoint + ";SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=a=b==",
			want: connString(wantPortal.Endpoint, testKeyName, "a=b==", ""),
		},
		{
			name: "entity path",
			in:   portalForm + ";EntityPath=myhub",
			want: connString(wantPortal.Endpoint, testKeyName, testKey, "myhub"),
		},
		{
			name: "https endpoint",
			in:   "Endpoint=https://contoso.servicebus.windows.net/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
			want: wantPortal,
		},
		{
			name: "endpoint without trailing slash",
			in:   "Endpoint=sb://contoso.servicebus.windows.net;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
			want: wantPortal,
		},
		{
			name: "upper-case scheme",
			in:   "Endpoint=SB://contoso.servicebus.windows.net/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
			want: wantPortal,
		},
		{
			name: "emulator endpoint",
			in:   "Endpoint=sb://127.0.0.1:8443/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
			want: connString("https://127.0.0.1:8443/", testKeyName, testKey, ""),
		},
		{
			name: "IPv6 emulator endpoint",
			in:   "Endpoint=sb://[::1]:8443;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
			want: connString("https://[::1]:8443/", testKeyName, testKey, ""),
		},
		{
			name: "emulator by container name",
			in:   "Endpoint=sb://nh_emulator:8443;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
			want: connString("https://nh_emulator:8443/", testKeyName, testKey, ""),
		},
		{
			name: "empty port dropped",
			in:   "Endpoint=sb://contoso.servicebus.windows.net:/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
			want: wantPortal,
		},
		{
			name: "explicit port kept",
			in:   "Endpoint=https://contoso.servicebus.windows.net:443/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
			want: connString("https://contoso.servicebus.windows.net:443/", testKeyName, testKey, ""),
		},
		{
			name: "unknown names ignored",
			in:   portalForm + ";TransportType=Amqp;UseDevelopmentEmulator=true;Empty=;Twice=1;Twice=2",
			want: wantPortal,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConnectionString(tt.in)
			require.NoError(t, err)
			assertSameConnectionString(t, tt.want, got)
		})
	}
}

// parseErrorCases are every way ParseConnectionString refuses its input, with the
// message it must give. Where the key could fit, the input carries testKey, so that
// TestParseConnectionStringErrorsHideKey can check that the message does not show it.
var parseErrorCases = []struct {
	name string
	in   string
	want string
}{
	{
		name: "empty",
		in:   "",
		want: "the connection string is empty",
	},
	{
		name: "blank",
		in:   " \t ",
		want: "the connection string is empty",
	},
	{
		name: "only separators",
		in:   " ; ;",
		want: "Endpoint is missing; copy the connection string from the hub's Access Policies in the Azure portal",
	},
	{
		name: "missing endpoint",
		in:   "SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint is missing; copy the connection string from the hub's Access Policies in the Azure portal",
	},
	{
		name: "missing key name",
		in:   "Endpoint=" + testEndpoint + ";SharedAccessKey=" + testKey,
		want: "SharedAccessKeyName is missing; it names the access policy whose SharedAccessKey is given",
	},
	{
		name: "missing key",
		in:   "Endpoint=" + testEndpoint + ";SharedAccessKeyName=" + testKeyName,
		want: "SharedAccessKey is missing; it is the primary or secondary key of the access policy",
	},
	{
		name: "no shared access policy",
		in:   "Endpoint=" + testEndpoint + ";Authentication=Managed Identity",
		want: "SharedAccessKeyName and SharedAccessKey are missing; this package authenticates only with a shared access policy",
	},
	{
		name: "duplicated endpoint",
		in:   portalForm + ";Endpoint=" + testEndpoint,
		want: "Endpoint is given more than once",
	},
	{
		name: "duplicated key in another case",
		in:   portalForm + ";sharedaccesskey=" + testKey,
		want: "SharedAccessKey is given more than once",
	},
	{
		name: "duplicated entity path",
		in:   portalForm + ";EntityPath=a;ENTITYPATH=b",
		want: "EntityPath is given more than once",
	},
	{
		name: "part without equals sign",
		in:   "Endpoint=" + testEndpoint + ";SharedAccessKeyName=" + testKeyName + ";SharedAccessKey:" + strings.TrimRight(testKey, "="),
		want: `part 3 has no "="; every part must be Name=Value, separated by ";"`,
	},
	{
		name: "bare key counted after empty parts",
		in:   "Endpoint=" + testEndpoint + ";;SharedAccessKeyName=" + testKeyName + ";" + strings.TrimRight(testKey, "="),
		want: `part 4 has no "="; every part must be Name=Value, separated by ";"`,
	},
	{
		// The padding "=" makes the key a name: an unknown one, ignored.
		name: "bare key with padding",
		in:   "Endpoint=" + testEndpoint + ";SharedAccessKeyName=" + testKeyName + ";" + testKey,
		want: "SharedAccessKey is missing; it is the primary or secondary key of the access policy",
	},
	{
		name: "empty name",
		in:   "Endpoint=" + testEndpoint + ";SharedAccessKeyName=" + testKeyName + "; =" + testKey,
		want: `part 3 has no name before its "="`,
	},
	{
		name: "empty key",
		in:   "Endpoint=" + testEndpoint + ";SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=",
		want: "SharedAccessKey has an empty value",
	},
	{
		name: "blank key name",
		in:   "Endpoint=" + testEndpoint + ";SharedAccessKeyName=  ;SharedAccessKey=" + testKey,
		want: "SharedAccessKeyName has an empty value",
	},
	{
		name: "empty endpoint",
		in:   "Endpoint=;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint has an empty value",
	},
	{
		name: "empty entity path",
		in:   portalForm + ";EntityPath=",
		want: "EntityPath has an empty value",
	},
	{
		name: "endpoint not a URL",
		in:   "Endpoint=sb://contoso servicebus/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint is not a valid URL; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint is the key",
		in:   "Endpoint=" + testKey + ";SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint must start with sb:// or https://; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint without scheme",
		in:   "Endpoint=contoso.servicebus.windows.net;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint must start with sb:// or https://; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint over http",
		in:   "Endpoint=http://contoso.servicebus.windows.net/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint must start with sb:// or https://; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint without host",
		in:   "Endpoint=sb:///;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint has no host; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint with only a port",
		in:   "Endpoint=sb://:8443/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint has no host; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "opaque endpoint",
		in:   "Endpoint=sb:" + testKey + ";SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint has no host; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint host of colons",
		in:   "Endpoint=sb://::;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint host must be a DNS name or an IP address; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint host with a sub-delimiter",
		in:   "Endpoint=sb://a=b.servicebus.windows.net/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint host must be a DNS name or an IP address; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint IPv6 host with a zone",
		in:   "Endpoint=sb://[fe80::1%25eth0]:8443/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint host must be a DNS name or an IP address; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint port zero",
		in:   "Endpoint=sb://127.0.0.1:0/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint port must be a number from 1 to 65535; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint port too large",
		in:   "Endpoint=sb://127.0.0.1:65536/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint port must be a number from 1 to 65535; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint with credentials",
		in:   "Endpoint=sb://" + testKeyName + ":" + strings.TrimRight(testKey, "=") + "@contoso.servicebus.windows.net/;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint must not carry a user name or password; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint with path",
		in:   "Endpoint=sb://contoso.servicebus.windows.net/myhub;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint must not have a path (give the hub name separately); want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint with query",
		in:   "Endpoint=sb://contoso.servicebus.windows.net/?key=" + testKey + ";SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint must not have a query or fragment; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint with empty query",
		in:   "Endpoint=sb://contoso.servicebus.windows.net/?;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint must not have a query or fragment; want sb://NAMESPACE.servicebus.windows.net/",
	},
	{
		name: "endpoint with fragment",
		in:   "Endpoint=sb://contoso.servicebus.windows.net/#x;SharedAccessKeyName=" + testKeyName + ";SharedAccessKey=" + testKey,
		want: "Endpoint must not have a query or fragment; want sb://NAMESPACE.servicebus.windows.net/",
	},
}

func TestParseConnectionStringErrors(t *testing.T) {
	for _, tt := range parseErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConnectionString(tt.in)
			require.Error(t, err)
			assert.Zero(t, got)
			assert.EqualError(t, err, "azurenh: parse connection string: "+tt.want)
			var pe *push.Error
			require.True(t, errors.As(err, &pe), "want a *push.Error, got %T", err)
			assert.Equal(t, "azurenh: parse connection string", pe.Op)
			assert.Equal(t, tt.want, pe.Detail)
			assert.Nil(t, pe.Kind)
			assert.Nil(t, pe.Err)
		})
	}
}

// TestParseConnectionStringErrorsHideKey checks every error message against the key
// and against every 8-character piece of it.
func TestParseConnectionStringErrorsHideKey(t *testing.T) {
	for _, tt := range parseErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConnectionString(tt.in)
			require.Error(t, err)
			msg := err.Error()
			for i := 0; i+8 <= len(testKey); i++ {
				require.NotContains(t, msg, testKey[i:i+8])
			}
		})
	}
}

func TestConnectionStringString(t *testing.T) {
	assert.Equal(t,
		"Endpoint=https://contoso.servicebus.windows.net/;SharedAccessKeyName="+testKeyName+";SharedAccessKey=REDACTED",
		wantPortal.String())

	withHub := wantPortal
	withHub.EntityPath = "myhub"
	assert.Equal(t,
		"Endpoint=https://contoso.servicebus.windows.net/;SharedAccessKeyName="+testKeyName+";SharedAccessKey=REDACTED;EntityPath=myhub",
		withHub.String())

	again, err := ParseConnectionString(withHub.String())
	require.NoError(t, err)
	withHub.key = seal(redacted)
	assertSameConnectionString(t, withHub, again, "String parses back to the same value, but for the key")
}

func TestConnectionStringGoString(t *testing.T) {
	assert.Equal(t,
		`azurenh.ConnectionString{Endpoint:"https://contoso.servicebus.windows.net/", KeyName:"`+testKeyName+`", Key:REDACTED, EntityPath:""}`,
		fmt.Sprintf("%#v", wantPortal))
}

func TestKeyRedactedInFmt(t *testing.T) {
	key := Key(testKey)
	holder := struct{ Key Key }{key}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%-12v", "%.20s"} {
		for _, arg := range []any{key, &key, holder, &holder, []Key{key}, map[Key]Key{key: key}} {
			out := fmt.Sprintf(verb, arg)
			assert.NotContains(t, out, testKey[:8], "fmt %s of %T", verb, arg)
			assert.Contains(t, out, "RED", "fmt %s of %T", verb, arg)
		}
	}
	assert.Equal(t, "REDACTED", key.String())
	assert.Equal(t, "REDACTED", key.GoString())
	assert.Equal(t, `"REDACTED"`, fmt.Sprintf("%q", key))
	assert.Equal(t, "  REDACTED", fmt.Sprintf("%10v", key))
	assert.Equal(t, "REDACTED", fmt.Sprintf("%x", key))
}

func TestConnectionStringRedactedInFmt(t *testing.T) {
	cs := wantPortal
	cs.EntityPath = "myhub"
	holder := struct{ CS ConnectionString }{cs}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%t"} {
		for _, arg := range []any{cs, &cs, holder, &holder, []ConnectionString{cs}} {
			out := fmt.Sprintf(verb, arg)
			assert.NotContains(t, out, testKey[:8], "fmt %s of %T", verb, arg)
		}
	}
}

func TestRedactedInSlog(t *testing.T) {
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	}
	for name, newHandler := range handlers {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(newHandler(&buf))
			log.Info("parsed", "cs", wantPortal, "key", wantPortal.Key())
			log.Info("attrs", slog.Any("cs", wantPortal), slog.Any("key", wantPortal.Key()), slog.Any("ptr", &wantPortal))
			log.With("cs", wantPortal).WithGroup("g").Info("grouped", "key", wantPortal.Key())
			out := buf.String()
			assert.NotContains(t, out, testKey[:8])
			assert.Contains(t, out, "REDACTED")
			assert.Contains(t, out, "contoso.servicebus.windows.net")
		})
	}
}

func TestRedactedInJSON(t *testing.T) {
	out, err := json.Marshal(wantPortal)
	require.NoError(t, err)
	assert.NotContains(t, string(out), testKey[:8])
	assert.Contains(t, string(out), `"KeyName":"`+testKeyName+`"`)
}
