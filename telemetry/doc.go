// Package telemetry wraps any push.Sender and reports what it does through
// the OpenTelemetry API: a span for every Send, Schedule and Cancel, and
// metrics for the sends, what happened to each device handle, and how long
// each call took. Put it in front of the Sender an application already uses;
// nothing else changes:
//
//	client, err := apns.New(...) // or azurenh.New, memory.New(), a router, ...
//	sender, err := telemetry.New(client)
//	app := newsroom.New(sender) // application code that takes a push.Sender
//
// Without options it reports to the global providers, otel.GetTracerProvider()
// and otel.GetMeterProvider(), as they are when New is called (the global
// providers delegate to whatever SDK the program installs later);
// WithTracerProvider and WithMeterProvider name others.
//
// A Sender is a decorator in the manner of recorder.Recorder: it forwards
// the caller's Notification and Target untouched, returns the wrapped
// Sender's Receipt and error unchanged, and Unwrap returns the wrapped
// Sender. It implements push.Scheduler, forwarding to the wrapped Sender when
// that can schedule (see CanSchedule), and push.Capable, forwarding the
// wrapped Sender's declaration. The wrapped Sender gets a context that carries
// the span, so spans it or its HTTP client start are children of it.
//
// # What is reported
//
// Spans are named "push.send", "push.schedule" and "push.cancel". Their
// status is Error, with the error class as its description, when the call
// returned an error, and left unset otherwise. A send to device handles whose
// span is recorded also carries push.devices (how many handles it addressed)
// and push.devices.failed (how many failed) when the wrapped Sender reports
// per-device results.
//
// The metrics, under the instrumentation scope
// "github.com/pushwire/push/telemetry":
//
//   - push.sends (counter, {send}): every Send and Schedule call.
//   - push.device.outcomes (counter, {device}): every device handle of a send
//     that returned per-device results (push.Receipt.Results), by outcome.
//     A send refused before any handle was tried (bad input, a capability the
//     Sender lacks) has no results, and counts nothing here.
//   - push.operation.duration (histogram, seconds): how long each Send,
//     Schedule and Cancel took, retries and the wrapped Sender's waits
//     included.
//
// The attributes, on spans and metrics alike:
//
//   - push.provider: what delivers, push.Capabilities.Provider of the wrapped
//     Sender ("azurenh", "apns", "memory", ...; "unknown" when it declares
//     nothing). Over a *push.Router (any Sender with a Route method) it is
//     the Provider of the platform's route, so a dashboard shows "apns" for
//     the Apple sends and "fcm" for the FCM ones; a cancel, which names no
//     platform, has the Router's. Read once, in New.
//   - push.operation: "send", "schedule" or "cancel" (not on
//     push.device.outcomes, which only sends have).
//   - push.platform: the notification's platform ("apple", "fcmv1", ...;
//     "invalid" for a platform the core does not know). Not on cancels.
//   - push.target.kind: "broadcast", "tags", "device" or "devices" ("none"
//     for the zero Target). Not on cancels.
//   - error.type: the error class, when the call failed; absent on success,
//     as the OpenTelemetry semantic conventions ask. Not on
//     push.device.outcomes, whose push.outcome says it.
//   - push.outcome (push.device.outcomes only): "accepted" or the handle's
//     error class.
//
// An error class names the sentinel the error matches: "invalid_notification",
// "invalid_target", "invalid_schedule", "payload_too_large", "unauthorized",
// "forbidden", "not_found", "conflict", "throttled", "unavailable",
// "outcome_unknown", "unregistered", "unsupported", "not_attempted"; for an
// error of no sentinel, "canceled" or "deadline_exceeded" when it is the
// context's, otherwise "_OTHER". For a send to several handles of which some
// failed (a *push.DevicesError) it is the class of the first failed handle;
// push.device.outcomes counts every handle.
//
// No attribute, span name or status holds a device handle, a tag or tag
// expression, a payload, a scheduled send's ID, a secret or an error message:
// an error's text may quote what a hostile server sent, so only its class is
// reported. Every attribute value comes from a small fixed set, so the
// metrics' cardinality stays bounded.
//
// # Cost
//
// The attribute sets are built once per combination of operation, platform,
// target kind and error class, on first use, and reused; a send builds none.
// With OpenTelemetry's no-op providers a send costs one allocation more than
// the wrapped Sender's (the context that carries the span);
// TestDecoratorAllocations asserts at most two, and BenchmarkSend measures it.
package telemetry
