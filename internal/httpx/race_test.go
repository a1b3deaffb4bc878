//go:build race

package httpx

// raceEnabled reports a -race build, whose instrumentation allocates.
const raceEnabled = true
