package apns_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: a connection
// nobody closed, a retry that outlived its context, an emulator.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
