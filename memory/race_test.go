//go:build race

package memory_test

// raceEnabled reports a -race build, whose instrumentation allocates.
const raceEnabled = true
