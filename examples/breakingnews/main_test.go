package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with what the tests produce")

// emulatorURL matches the one part of the output that changes between runs.
var emulatorURL = regexp.MustCompile(`https://127\.0\.0\.1:\d+`)

func runTutorial(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestOutputGolden keeps testdata/output.golden: the whole output, with the
// emulator's address replaced by https://127.0.0.1:PORT.
func TestOutputGolden(t *testing.T) {
	code, out, errOut := runTutorial(t)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	got := emulatorURL.ReplaceAllString(out, "https://127.0.0.1:PORT")

	golden := filepath.Join("testdata", "output.golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got, "if the change is intended, run go test -update and review the diff")
	assert.True(t, strings.HasSuffix(out, "breakingnews: done\n"))
}

func TestVerboseLogIsRedacted(t *testing.T) {
	code, _, log := runTutorial(t, "-v", "-no-color")
	require.Equal(t, 0, code, log)
	assert.Equal(t, 8, strings.Count(log, "azurenh: request "), "one request per send")
	assert.Contains(t, log, `header.Authorization="SharedAccessSignature REDACTED"`)
	assert.NotContains(t, log, "sig=")
	assert.NotContains(t, log, "SharedAccessKey")
}

func TestFlags(t *testing.T) {
	o, err := parseFlags([]string{"-v", "-no-color"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, options{verbose: true, noColor: true}, o)

	code, _, errOut := runTutorial(t, "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unexpected arguments ["extra"]`)

	code, _, _ = runTutorial(t, "-h")
	assert.Equal(t, 0, code)
}

func TestTemplates(t *testing.T) {
	for _, d := range readers() {
		body, headers := d.template()
		assert.Contains(t, body, "$("+d.property()+")", d.id)
		_, ok := news()[d.property()]
		assert.True(t, ok, "%s reads a property the back end sends", d.id)
		if d.platform == "wns" {
			assert.Equal(t, "wns/toast", headers["X-WNS-Type"], "a WNS template names its type")
		}
	}
	for _, d := range subscribers() {
		assert.Empty(t, d.installation().Templates, "part 1 devices take native notifications only")
	}
}

// TestNoColorWhenNotATerminal checks that the -v log written to something
// other than a terminal has no colour, even without -no-color.
func TestNoColorWhenNotATerminal(t *testing.T) {
	var out, log bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"-v"}, &out, &log), log.String())
	require.NotEmpty(t, log.String())
	assert.NotContains(t, log.String(), "\x1b[", "ANSI colour codes in a log that is not a terminal")
}
