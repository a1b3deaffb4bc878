package push_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// updatePayload rewrites the golden files of testdata/payload and testdata/alert.
var updatePayload = flag.Bool("update-payload", false, "rewrite the golden files under testdata/payload and testdata/alert")

// payloadCase is a builder whose output is compared with a golden file.
type payloadCase struct {
	name  string // also the golden file's name
	build func() (push.Notification, error)
}

// payloadErrCase is a builder input the service would refuse.
type payloadErrCase struct {
	name  string
	build func() (push.Notification, error)
	kind  error  // the sentinel the error must match
	want  string // a part of the message: it must name the field at fault
}

// formatPayload writes n as the golden files hold it: the platform, the content
// type and the headers (sorted), a blank line, then the body byte for byte.
func formatPayload(n push.Notification) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Platform: %s\nContent-Type: %s\n", n.Platform, n.EffectiveContentType())
	keys := make([]string, 0, len(n.Header))
	for k := range n.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range n.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(n.Body)
	b.WriteString("\n")
	return b.Bytes()
}

// payloadGolden compares got with testdata/dir/name.golden, or rewrites the file
// under -update-payload.
func payloadGolden(t *testing.T, dir, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", dir, name+".golden")
	if *updatePayload {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run: go test -run '%s' -update-payload", t.Name())
	assert.Equal(t, string(want), string(got), "output differs from %s", path)
}

// checkPayloadBuilt asserts that a built notification is one the core accepts and
// renders: builders may never produce what NewNotification refuses.
func checkPayloadBuilt(t *testing.T, n push.Notification) {
	t.Helper()
	require.NoError(t, n.Validate())
	again, err := push.NewNotification(n.Platform, n.Body, n.Header)
	require.NoError(t, err)
	assert.Equal(t, n, again, "NewNotification must give the builder's notification back")
	_, err = push.Render(n, push.Broadcast())
	require.NoError(t, err)
}

func runPayloadGoldens(t *testing.T, cases []payloadCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := tc.build()
			require.NoError(t, err)
			checkPayloadBuilt(t, n)
			payloadGolden(t, "payload", tc.name, formatPayload(n))
		})
	}
}

func runPayloadErrors(t *testing.T, cases []payloadErrCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := tc.build()
			require.Error(t, err)
			assert.Zero(t, n, "a refused payload gives the zero Notification")
			assert.ErrorIs(t, err, push.ErrInvalidNotification)
			assert.ErrorIs(t, err, tc.kind)
			var pe *push.Error
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func payloadInt(v int) *int           { return &v }
func payloadFloat(v float64) *float64 { return &v }
