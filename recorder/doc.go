// Package recorder wraps any push.Sender and records every call: what the
// application asked for, the Envelope push.Render made of it, and what the
// wrapped Sender answered. It can also write each call as a line of JSON, so a
// test can keep a golden file of what an application sends.
//
//	rec := recorder.New(memory.New(), recorder.WithJSONLines(&golden))
//	app := newsroom.New(rec) // application code that takes a push.Sender
//	app.Publish(ctx, "Rain expected")
//	for _, c := range rec.Calls() {
//		fmt.Println(c.Op, c.Envelope.Tags, c.Err)
//	}
//
// A Recorder is a decorator in the manner of golang.org/x/oauth2's Transport:
// it never modifies the caller's Notification (it records a deep copy), it
// returns the wrapped Sender's results unchanged, and Unwrap returns the
// wrapped Sender. It implements push.Scheduler, forwarding to the wrapped
// Sender when that can schedule (see CanSchedule).
//
// Recording costs one allocation per call beyond the wrapped Sender's, for
// the copy of the body (two more when the notification has headers), and a
// second push.Render of the input, which allocates nothing for non-browser
// notifications. BenchmarkSend compares a memory Sender alone (1 allocation a
// send) with a Recorder over one (2).
package recorder
