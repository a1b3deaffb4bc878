package push_test

import (
	"errors"
	"fmt"

	"github.com/pushwire/push"
)

func ExampleParseExpression() {
	e, err := push.ParseExpression("(follows_RedSox||follows_Cardinals) && (location_Boston)")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e)
	fmt.Println(e.Tags())
	fmt.Println(e.Match([]string{"follows_RedSox", "location_Boston", "lang_en"}))
	fmt.Println(e.Match([]string{"follows_RedSox", "location_Denver"}))

	_, err = push.ParseExpression("follows_RedSox & location_Boston")
	fmt.Println(err)
	fmt.Println(errors.Is(err, push.ErrInvalidTarget))
	// Output:
	// (follows_RedSox || follows_Cardinals) && location_Boston
	// [follows_RedSox follows_Cardinals location_Boston]
	// true
	// false
	// push: invalid target: column 16: single "&"; use "&&"
	// true
}

func ExampleValidateTag() {
	fmt.Println(push.ValidateTag("location_Boston"))
	fmt.Println(push.ValidateTag("$UserId:{alice}"))
	fmt.Println(push.ValidateTag("location Boston"))
	// Output:
	// <nil>
	// <nil>
	// push: invalid target: tag "location Boston": a space at column 9 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)
}
