// Package memory is an in-memory push.Sender and push.Scheduler for tests: it
// sends nothing, and keeps what it would have sent.
//
// A Sender renders every notification with push.Render (push.RenderAt for a
// scheduled send), exactly as a network provider does, so bad input fails with
// the same errors, and keeps each accepted send as a Delivery holding a deep
// copy of the Envelope. Tests inspect the Deliveries (Deliveries, Take, Len,
// ByPlatform, ByTag, ByDevice, Filter, WaitFor), register devices to see which
// ones a send would reach (Register, Delivery.Reached) and what a Template
// notification expands to on each (Device.Templates, Delivery.Payloads),
// inject failures and latency (FailNext, FailWhen, SetLatency), and drive
// scheduled sends with a clock (WithClock, Schedule, Pending, Cancel).
//
//	func TestPublish(t *testing.T) {
//		sender := memory.New()
//		app := newsroom.New(sender) // application code that takes a push.Sender
//		if err := app.Publish(ctx, "Rain expected"); err != nil {
//			t.Fatal(err)
//		}
//		got := sender.ByTag("breaking-news")
//		if len(got) != 1 || got[0].Envelope.Platform != push.Apple {
//			t.Errorf("deliveries = %v, want one Apple notification", got)
//		}
//	}
//
// The package registers itself as provider "memory" (see package provider);
// it takes no configuration: provider.Open(ctx, "memory", "").
//
// # Templates
//
// A Template notification carries properties, not a payload: Notification
// Hubs expands them into the templates each device registered. The Sender does
// the same with push.CompiledTemplate, so a test sees what every device would
// get. Register compiles a Device's Templates once and refuses a body that
// does not compile; each Template send that reaches the device then has, in
// its Delivery's Payloads, one Payload per template: the device's handle and
// platform, the template's name, and the expanded native body
// (Delivery.PayloadFor picks one out). Native notifications have no Payloads.
//
// # Cost
//
// A Send costs push.Render plus one allocation, for the receipt ID: the
// Delivery goes into a chunk of 256 kept ones, and a body of up to 2 KB into a
// shared 16 KB buffer (a header map or device list costs its own copy).
// BenchmarkSend, a tagged Apple notification sent from parallel goroutines
// with -cpu 1, measures 1 allocation and about 370 bytes per send, and under
// 1000 ns a send: over a million sends a second on one core, half of it in
// push.Render. Every Delivery is kept until Take, so a long benchmark holds
// them all in memory. A Template send that reaches devices also decodes its
// properties and allocates each Payload's body (BenchmarkSendTemplate).
package memory
