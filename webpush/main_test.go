package webpush_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: a connection of
// a transport nobody closed, a retry that outlived its context, a server. It
// lives in the external test package: the conformance suite takes any
// goroutine with a frame of package webpush for a Sender's, and the main
// goroutine runs TestMain.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
