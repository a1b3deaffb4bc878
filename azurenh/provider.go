package azurenh

import (
	"context"

	"github.com/pushwire/push"
	"github.com/pushwire/push/provider"
)

// ProviderName is the name under which this package registers itself with
// package provider.
const ProviderName = "azurenh"

// init registers the provider "azurenh". Its configuration is a connection
// string that names the hub with EntityPath:
//
//	Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=RULE;SharedAccessKey=KEY;EntityPath=HUB
//
// so that a program can pick Notification Hubs at run time:
//
//	import _ "github.com/pushwire/push/azurenh"
//
//	sender, err := provider.Open(ctx, "azurenh", os.Getenv("NOTIFICATION_HUB"))
//
// The Sender is a *Client with the default options (see New).
func init() {
	provider.Register(ProviderName, open)
}

// open is the provider's Opener. It does no I/O; its errors never contain the
// configuration, which holds the key.
func open(_ context.Context, config string) (push.Sender, error) {
	c, err := New(config, "")
	if err != nil {
		return nil, err
	}
	return c, nil
}
