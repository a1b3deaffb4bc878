// Package provider is the registry of push providers: a program picks one by
// name and configuration string at run time, the way database/sql picks a
// driver.
//
// A provider registers itself from an init function of its own package, so a
// program imports the providers it wants for their side effect:
//
//	import (
//		"github.com/pushwire/push/provider"
//		_ "github.com/pushwire/push/memory" // registers "memory"
//	)
//
//	sender, err := provider.Open(ctx, "memory", "")
//	if err != nil {
//		return err
//	}
//	_, err = sender.Send(ctx, n, push.Tags("breaking-news"))
//
// The registry is the only package-level mutable state of the module. It is
// guarded by a mutex: Register, Open and Names may be called from any
// goroutine, though Register normally runs only during init.
package provider
