package azurenh_test

import (
	"context"
	"fmt"

	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/provider"
)

// Importing the package registers the provider "azurenh": a program can then
// pick Notification Hubs by name, its connection string naming the hub with
// EntityPath.
func Example_provider() {
	sender, err := provider.Open(context.Background(), "azurenh", exampleConnection+";EntityPath=myhub")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sender.(*azurenh.Client).Hub())

	_, err = provider.Open(context.Background(), "azurenh", exampleConnection)
	fmt.Println(err)
	// Output:
	// myhub
	// provider azurenh: azurenh: new client: no hub name: pass it to New, or add EntityPath=HUB to the connection string
}
