package apns_test

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns/apnstest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// wireCases are a notification of every push type, and the payloads whose
// push type the Client derives.
var wireCases = []struct {
	name   string
	header http.Header
	body   string
}{
	{"alert", http.Header{"Apns-Push-Type": {"alert"}, "Apns-Priority": {"10"}, "Apns-Expiration": {"1893456000"},
		"Apns-Collapse-Id": {"score"}, "Apns-Id": {"123e4567-e89b-12d3-a456-426655440000"}}, alertBody},
	{"background", http.Header{"Apns-Push-Type": {"background"}, "Apns-Priority": {"5"}}, `{"aps":{"content-available":1},"sync":"inbox"}`},
	{"voip", http.Header{"Apns-Push-Type": {"voip"}, "Apns-Expiration": {"0"}}, `{"aps":{},"caller":"Alice"}`},
	{"complication", http.Header{"Apns-Push-Type": {"complication"}}, `{"aps":{},"score":"3-2"}`},
	{"fileprovider", http.Header{"Apns-Push-Type": {"fileprovider"}}, `{"container-identifier":"NSFileProviderRootContainerItemIdentifier"}`},
	{"location", http.Header{"Apns-Push-Type": {"location"}}, `{"aps":{}}`},
	{"liveactivity", http.Header{"Apns-Push-Type": {"liveactivity"}, "Apns-Priority": {"10"}},
		`{"aps":{"timestamp":1893456000,"event":"update","content-state":{"score":"3-2"}}}`},
	{"pushtotalk", http.Header{"Apns-Push-Type": {"pushtotalk"}, "Apns-Priority": {"10"}, "Apns-Expiration": {"0"}}, `{"activeSpeaker":"Alice"}`},
	{"widgets", http.Header{"Apns-Push-Type": {"widgets"}}, `{"aps":{"content-changed":true}}`},
	{"mdm", http.Header{"Apns-Push-Type": {"mdm"}, "Apns-Topic": {"com.apple.mgmt.External.7c5b0c2e-1111-2222-3333-444455556666"}}, `{"mdm":"00000000-1111-2222-3333-444455556666"}`},
	{"priority-1", http.Header{"Apns-Push-Type": {"alert"}, "Apns-Priority": {"1"}}, `{"aps":{"alert":"later"}}`},
	{"derived-alert", nil, alertBody},
	{"derived-background", nil, `{"aps":{"content-available":1}}`},
}

// TestWire sends a notification of every push type to the emulator and
// compares what arrived, headers and body byte for byte, with
// testdata/wire-NAME.golden; then reads it back through the emulator.
func TestWire(t *testing.T) {
	for _, tc := range wireCases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			n, err := push.NewNotification(push.Apple, []byte(tc.body), tc.header)
			require.NoError(t, err)
			tok := device(42)
			_, err = f.client.Send(t.Context(), n, push.Device(tok))
			require.NoError(t, err)
			reqs := f.srv.Requests()
			require.Len(t, reqs, 1)
			checkGolden(t, "wire-"+tc.name, wireText(reqs[0]))

			want, err := push.Render(n, push.Device(tok))
			require.NoError(t, err)
			if _, ok := want.Header["Apns-Topic"]; ok { // addressing, which ReadEnvelope takes off
				want.Header = want.Header.Clone()
				delete(want.Header, "Apns-Topic")
			}
			got := apnstest.ReadEnvelope(reqs[0])
			if tc.header == nil {
				assert.Equal(t, []string{strings.TrimPrefix(tc.name, "derived-")}, got.Header["Apns-Push-Type"], "the derived push type")
				delete(got.Header, "Apns-Push-Type")
				if len(got.Header) == 0 {
					got.Header = nil
				}
			}
			assert.Equal(t, want, got, "read back through apnstest")
		})
	}
}

// wireText writes a request as it arrived: the request line, the headers
// sorted, a blank line and the body. The signature of the provider token
// (random by design) is replaced by SIGNATURE.
func wireText(r apnstest.Request) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.Path)
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range r.Header[k] {
			if k == "Authorization" {
				v = v[:strings.LastIndexByte(v, '.')+1] + "SIGNATURE"
			}
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(r.Body)
	b.WriteString("\n")
	return b.Bytes()
}

// checkGolden compares got with testdata/NAME.golden, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := "testdata/" + name + ".golden"
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./apns -run %s -update", t.Name())
	assert.Equal(t, string(want), string(got), "the wire differs from %s", path)
}
