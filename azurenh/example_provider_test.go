package azurenh_test

import (
	"context"
	"fmt"
	"os"

	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/provider"
)

// Importing the package registers the provider "azurenh": a program can then
// pick Notification Hubs from a configuration URL, the key kept in an
// environment variable or a file rather than in the URL.
func Example_provider() {
	os.Setenv("EXAMPLE_NH_KEY", "c2VjcmV0") // set by the deployment, not by code
	sender, err := provider.Open(context.Background(),
		"azurenh://mynamespace.servicebus.windows.net/myhub?key_name=DefaultFullSharedAccessSignature&key_env=EXAMPLE_NH_KEY")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sender.Close()
	fmt.Println(sender.(*azurenh.Client).Hub())

	_, err = provider.Open(context.Background(), "azurenh://mynamespace.servicebus.windows.net/myhub?key_name=DefaultFullSharedAccessSignature&key=c2VjcmV0")
	fmt.Println(err)
	// Output:
	// myhub
	// provider azurenh: parameter "key": a secret is not written in the URL; give key_file=PATH or key_env=VAR
}
