// Package direct is what every direct provider (apns, fcm, webpush, and any
// written outside this module) shares: a push.Sender that renders a
// notification, refuses what the provider cannot deliver, and sends a device
// list with bounded concurrency, in input order, cancellably, retrying each
// handle under a push.RetryPolicy and reporting one push.Result per handle.
//
// A provider writes only a Driver: "send this rendered notification to this
// one handle, once, and say what happened". It builds a Sender around it
// with New and exposes the Sender's Send as its own; users see nothing of
// this package but the push.Sender it makes. The split is gocloud's: a
// portable type that owns the behaviour every provider must share, and a
// small driver interface that owns the wire.
//
//	type driver struct{ ... } // the provider's HTTP client, token cache, ...
//
//	func (d *driver) Send(ctx context.Context, env *push.Envelope, i int) push.Result {
//		// POST env.Body to env.Devices[i]; classify the answer into a *push.Error
//	}
//
//	s := direct.New(&driver{...}, direct.Config{Op: "apns: send", Capabilities: caps})
package direct
