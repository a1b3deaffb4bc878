// Package provider is the registry of push providers: a program picks one
// from a configuration URL at run time, the way database/sql picks a driver
// and gocloud opens a bucket.
//
// A provider registers itself from an init function of its own package, so a
// program imports the providers it wants for their side effect:
//
//	import (
//		"github.com/pushwire/push/provider"
//		_ "github.com/pushwire/push/memory" // registers "memory"
//	)
//
//	sender, err := provider.Open(ctx, "memory://")
//	if err != nil {
//		return err
//	}
//	defer sender.Close()
//	_, err = sender.Send(ctx, n, push.Tags("breaking-news"))
//
// The registry is the only package-level mutable state of the module. It is
// guarded by a mutex: Register, Open and Schemes may be called from any
// goroutine, though Register normally runs only during init.
package provider
