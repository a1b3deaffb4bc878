package azurenh

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// captureT is a testify TestingT that keeps the failure messages, so that a
// test can read the diff testify prints.
type captureT struct{ msgs []string }

func (c *captureT) Errorf(format string, args ...any) {
	c.msgs = append(c.msgs, fmt.Sprintf(format, args...))
}

// TestConnectionStringHiddenFromEveryPrinter checks that a ConnectionString
// kept in an unexported field of a user's struct shows no key through fmt,
// through testify's diff of two of them, or to any printer that walks values
// by reflection (go-cmp's, spew's).
func TestConnectionStringHiddenFromEveryPrinter(t *testing.T) {
	type settings struct {
		name string
		cs   ConnectionString
	}
	a := settings{"a", must(ParseConnectionString(clientConn))}
	b := settings{"b", must(ParseConnectionString(clientConn + ";EntityPath=other"))}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		for _, v := range []any{a, &a, []settings{a}, map[string]settings{"x": a}} {
			assert.NotContains(t, fmt.Sprintf(verb, v), clientKey[:12], "fmt %s of %T", verb, v)
		}
	}
	var ct captureT
	assert.Equal(&ct, a, b)
	require.NotEmpty(t, ct.msgs, "the two differ, so testify prints a diff")
	assert.NotContains(t, strings.Join(ct.msgs, "\n"), clientKey[:12], "testify's diff")
	assert.NotContains(t, reachableText(reflect.ValueOf(a), 0), clientKey[:12], "reflection")

	assert.True(t, a.cs.Equal(must(ParseConnectionString(clientConn))), "Equal compares keys")
	assert.False(t, a.cs.Equal(must(ParseConnectionString(strings.Replace(clientConn, clientKey, "b3RoZXI=", 1)))))
	assert.Equal(t, Key(clientKey), a.cs.Key())
}

// TestNewErrorsNeverShowTheKey checks the errors of New about the hub name,
// where a user may pass the key, or the whole connection string, by mistake.
func TestNewErrorsNeverShowTheKey(t *testing.T) {
	for name, args := range map[string][2]string{
		"key as the hub":                           {clientConn, clientKey},
		"key as the hub, against EntityPath":       {clientConn + ";EntityPath=myhub", clientKey},
		"connection string as the hub":             {clientConn, clientConn},
		"connection string as the hub, EntityPath": {clientConn + ";EntityPath=myhub", clientConn},
		"key in EntityPath":                        {clientConn + ";EntityPath=" + clientKey, "myhub"},
		"key in EntityPath, no hub":                {clientConn + ";EntityPath=" + clientKey, ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := New(args[0], args[1])
			require.Error(t, err)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), clientKey[:12])
		})
	}
}

// TestClientPrintsWhatItIs checks that every printer shows a Client as its
// provider, endpoint and hub, and that nothing reachable from it by
// reflection holds the key or a signature, even after it signed a token.
func TestClientPrintsWhatItIs(t *testing.T) {
	_, mock := newRecorder(nil)
	c, _ := newTestClient(t, mock)
	_, err := c.Send(context.Background(), appleNote(), push.Broadcast())
	require.NoError(t, err)
	sig := signatureOf(c.authorization()[0])

	want := "azurenh.Client{endpoint: https://contoso.servicebus.windows.net/, hub: myhub}"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.Equal(t, want, fmt.Sprintf(verb, c), verb)
	}
	assert.Equal(t, `"`+want+`"`, fmt.Sprintf("%q", c))
	assert.Equal(t, "https://contoso.servicebus.windows.net/", c.Endpoint())

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("sending", "client", c)
	assert.Contains(t, buf.String(), `"client":{"provider":"azurenh","endpoint":"https://contoso.servicebus.windows.net/","hub":"myhub"}`)

	holder := struct{ c *Client }{c}
	walked := reachableText(reflect.ValueOf(holder), 0)
	assert.NotContains(t, walked, clientKey[:12], "the key")
	assert.NotContains(t, walked, sig[:12], "the current token's signature")
	assert.Contains(t, walked, "myhub", "the walk did reach into the Client")
}

// reachableText returns the text of every string and byte slice reachable
// from v by reflection, the way reflection-based printers walk values
// (pointers, interfaces, unexported fields; not functions, channels or
// unsafe pointers, which they print as addresses).
func reachableText(v reflect.Value, depth int) string {
	if depth > 30 || !v.IsValid() {
		return ""
	}
	var b strings.Builder
	switch v.Kind() {
	case reflect.String:
		b.WriteString(v.String())
		b.WriteByte('\n')
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			b.WriteString(reachableText(v.Elem(), depth+1))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			b.WriteString(reachableText(v.Field(i), depth+1))
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			for i := range v.Len() {
				b.WriteByte(byte(v.Index(i).Uint()))
			}
			b.WriteByte('\n')
			break
		}
		for i := range min(v.Len(), 1000) {
			b.WriteString(reachableText(v.Index(i), depth+1))
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			b.WriteString(reachableText(it.Key(), depth+1))
			b.WriteString(reachableText(it.Value(), depth+1))
		}
	}
	return b.String()
}
