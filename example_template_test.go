package push_test

import (
	"fmt"

	"github.com/pushwire/push"
)

// A device registered a template; a Template notification carries only
// properties. CompileTemplate and Expand show the payload that device gets,
// as Notification Hubs would build it.
func ExampleCompileTemplate() {
	ct, err := push.CompileTemplate(`{"aps":{"alert":".(headline, 24)","badge":"#(unread)"},"url":"{'news://' + %(slug)}"}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ct.Properties())
	fmt.Printf("%s\n", ct.Expand(map[string]string{
		"headline": "Storm warning for the whole coast",
		"unread":   "3",
		"slug":     "storm warning",
	}))
	// Output:
	// [headline unread slug]
	// {"aps":{"alert":"Storm warning for the...","badge":3},"url":"news://storm%20warning"}
}

// An expression fills a whole value; text around it needs braces.
func ExampleCompileTemplate_error() {
	_, err := push.CompileTemplate(`<toast><visual><binding template="ToastGeneric"><text>$(city) $(temp)</text></binding></visual></toast>`)
	fmt.Println(err)
	// Output:
	// push: template: invalid notification: value "$(city) $(temp)": column 8: an expression must fill the whole value; to add text, concatenate in braces: {$(city) + ' ...'}
}
