package fcmtest

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: a server, or
// a connection nobody closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
