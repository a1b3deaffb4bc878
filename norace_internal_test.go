//go:build !race

package push

// raceEnabled reports a -race build, whose instrumentation allocates.
const raceEnabled = false
