//go:build race

package telemetry

// RaceEnabled reports a -race build, whose instrumentation allocates. It is exported
// to the package's external tests.
const RaceEnabled = true
