// Package push is the portable core of a push-notification library: what a
// notification is, who receives it, and what leaves a provider.
//
//	Notification + Target --Render--> Envelope --provider--> the push service
//
// Rendering is pure and lives here, once, so every provider (Azure Notification
// Hubs in package azurenh, the in-memory fake in package memory, ...) emits the same
// headers and bodies for the same input. A provider only moves an Envelope and
// reports what happened.
package push
