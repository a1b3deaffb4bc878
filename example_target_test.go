package push_test

import (
	"fmt"

	"github.com/pushwire/push"
)

func ExampleTags() {
	fmt.Println(push.Tags("sports", "politics").Expression())
	fmt.Println(push.Tags("sports", "a b").Err())
	// Output:
	// sports || politics
	// push: invalid target: tag 2 "a b": a space at column 2 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)
}

// An expression is sent as written; its parse checks it, evaluates it, and
// gives a canonical form to compare expressions by.
func ExampleExpression() {
	to := push.Expression("(follows_RedSox||follows_Cardinals)&&location_Boston")
	fmt.Println(to.Expression())
	fmt.Println(to.Expr().String())
	fmt.Println(to.Expr().Match([]string{"follows_RedSox", "location_Boston"}))
	// Output:
	// (follows_RedSox||follows_Cardinals)&&location_Boston
	// (follows_RedSox || follows_Cardinals) && location_Boston
	// true
}

func ExampleInstallation() {
	fmt.Println(push.Installation("2b0f0e2c").Expression())
	fmt.Println(push.User("alice@example.com").Expression())
	// Output:
	// $InstallationId:{2b0f0e2c}
	// $UserId:{alice@example.com}
}
