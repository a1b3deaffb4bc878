package fcm_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: a token fetch
// nobody waited for, a connection of a transport nobody closed, a server.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
