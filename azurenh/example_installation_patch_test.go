package azurenh_test

import (
	"encoding/json"
	"fmt"

	"github.com/pushwire/push/azurenh"
)

// A patch adds a tag to an installation without rewriting it:
// Client.PatchInstallation sends the operations (see
// ExampleClient_PutInstallation). Each operation is checked when it is built,
// and PatchInstallation refuses one that is wrong before any I/O.
func ExampleAddTag() {
	ops := []azurenh.PatchOp{azurenh.AddTag("breaking_news"), azurenh.RemoveTag("sports")}
	body, err := json.Marshal(ops) // what PATCH /HUB/installations/ID carries
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(body))
	fmt.Println(azurenh.AddTag("breaking news").Err())
	// Output:
	// [{"op":"add","path":"/tags","value":"breaking_news"},{"op":"remove","path":"/tags/sports"}]
	// azurenh: installation patch: invalid target: tag "breaking news": a space at column 9 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)
}
