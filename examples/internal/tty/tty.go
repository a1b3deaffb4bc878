// Package tty is what the examples share about the terminal they write to:
// whether to colour their output.
package tty

import (
	"io"
	"os"
)

// Color reports whether to colour what goes to w: only when w is a terminal,
// and neither the -no-color flag (noColor) nor the NO_COLOR environment
// variable (https://no-color.org: any non-empty value) says otherwise.
// getenv is os.Getenv, or a test's stand-in.
func Color(w io.Writer, noColor bool, getenv func(string) string) bool {
	if noColor || getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
