//go:build race

package direct_test

// raceEnabled reports a -race build, whose instrumentation allocates.
const raceEnabled = true
