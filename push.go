// Package push is the portable core of a push-notification library: what a
// notification is, who receives it, and what leaves a provider.
//
//	Notification + Target --Render--> Envelope --provider--> the push service
//
// Rendering is pure and lives here, once, so every provider emits the same
// headers and bodies for the same input: a hub that resolves tags to devices
// (Azure Notification Hubs, package azurenh), the direct providers that send
// to device handles (apns, fcm, webpush), and the in-memory fake (memory). A
// provider only moves an Envelope and reports what happened.
//
// Every provider is a Sender. What it can deliver it declares in
// Capabilities, and it refuses anything else before any I/O with an error
// matching ErrUnsupported. A send to device handles reports one Result per
// handle in Receipt.Results; a handle the service says is dead fails with
// ErrUnregistered, the same from every provider:
//
//	receipt, err := sender.Send(ctx, n, push.Devices(tokens...))
//	for _, r := range receipt.Results {
//		if r.Unregistered() {
//			forget(r.Handle) // the app was uninstalled
//		}
//	}
//	if err != nil { // some handle failed; errors.Is finds each kind
//		log.Print(err)
//	}
//
// A Router sends each platform through its own provider, and FanOutTo sends
// one Alert to each platform's devices at once.
package push
