package azurenh_test

import (
	"fmt"

	"github.com/pushwire/push/azurenh"
)

func ExampleParseConnectionString() {
	// The connection string of an access policy, as the Azure portal shows it.
	// The key is made up.
	cs, err := azurenh.ParseConnectionString("Endpoint=sb://contoso.servicebus.windows.net/;" +
		"SharedAccessKeyName=DefaultFullSharedAccessSignature;" +
		"SharedAccessKey=bm90IGEgcmVhbCBrZXksIGp1c3QgYW4gZXhhbXBsZQ==")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cs.Endpoint)
	fmt.Println(cs.KeyName)
	fmt.Println(cs.Key()) // a Key never prints itself; string(cs.Key()) reads it
	fmt.Printf("%+v\n", cs)
	// Output:
	// https://contoso.servicebus.windows.net/
	// DefaultFullSharedAccessSignature
	// REDACTED
	// Endpoint=https://contoso.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=REDACTED
}
