// Package conformance is the suite every push.Sender must pass: for the same
// Notification and Target, every provider emits the same Envelope (headers,
// body, tags, devices, schedule time) and refuses the same bad input with the
// same sentinel error, before any I/O.
//
// A provider's own tests call Run with a factory for a Harness: a fresh Sender
// plus a way to see what it emitted. For a network provider that is the
// captured requests read back into Envelopes; for a fake, what it kept.
//
//	func TestConformance(t *testing.T) {
//		conformance.Run(t, func(t *testing.T, clock push.Clock) conformance.Harness {
//			s := memory.New(memory.WithClock(clock))
//			return harness{s}
//		})
//	}
//
// The cases are data (name, explanation, input, golden Envelope or expected
// sentinel) and run in a fixed order, one subtest each. They cover every
// platform, every target kind, platform headers, size limits, invalid input,
// concurrency and, for Senders that also implement push.Scheduler, scheduling
// and cancelling. A failure says what the provider must do.
//
// The golden Envelopes live in testdata/ as JSON and are embedded, so the suite
// runs from any package, including providers outside this module. They are
// produced by push.Render; `go test ./conformance -update` rewrites them.
package conformance
