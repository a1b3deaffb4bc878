//go:build !race

package recorder_test

// raceEnabled reports a -race build, whose instrumentation allocates.
const raceEnabled = false
