package tty

import (
	"bytes"
	"os"
	"testing"
)

func TestColor(t *testing.T) {
	none := func(string) string { return "" }
	noColor := func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}
	if Color(&bytes.Buffer{}, false, none) {
		t.Error("a buffer is not a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if Color(f, false, none) {
		t.Error("a regular file is not a terminal")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil { // only where the test has a terminal
		defer tty.Close()
		if !Color(tty, false, none) {
			t.Error("a terminal gets colour")
		}
		if Color(tty, true, none) || Color(tty, false, noColor) {
			t.Error("-no-color and NO_COLOR turn colour off on a terminal")
		}
	}
}
