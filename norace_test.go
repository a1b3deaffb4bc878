//go:build !race

package push_test

// raceEnabled reports a -race build, whose instrumentation allocates.
const raceEnabled = false
