package azurenh_test

import (
	"fmt"

	"github.com/pushwire/push/azurenh"
)

// A patch adds a tag to an installation without rewriting it. EncodePatch
// gives the body of PATCH /HUB/installations/ID; ApplyPatch shows what the
// service makes of it.
func ExampleAddTag() {
	ops := []azurenh.PatchOp{azurenh.AddTag("breaking_news"), azurenh.RemoveTag("sports")}
	body, err := azurenh.EncodePatch(ops)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(body))

	in := azurenh.Installation{ID: "pixel-42", Platform: azurenh.InstallationFCMV1,
		PushChannel: azurenh.HandleChannel("cRk3pW:APA91bH4z"), Tags: []string{"sports", "city_Boston"}}
	patched, err := azurenh.ApplyPatch(in, ops)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(patched.Tags)

	_, err = azurenh.EncodePatch([]azurenh.PatchOp{azurenh.AddTag("breaking news")})
	fmt.Println(err)
	// Output:
	// [{"op":"add","path":"/tags","value":"breaking_news"},{"op":"remove","path":"/tags/sports"}]
	// [city_Boston breaking_news]
	// azurenh: installation patch: invalid target: operation 0: tag "breaking news": a space at column 9 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)
}
