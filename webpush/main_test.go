package webpush

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: a connection of
// a transport nobody closed, a retry that outlived its context, a server.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
