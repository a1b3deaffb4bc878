package push_test

import (
	"errors"
	"fmt"

	"github.com/pushwire/push"
)

// NewNotification reads the WNS type from the XML root element, whatever its
// attributes or declaration: the Python sample's substring test misses both.
func ExampleNewNotification() {
	for _, body := range []string{
		`<toast launch="app://open"><visual/></toast>`,
		`<?xml version="1.0" encoding="utf-8"?><badge value="7"/>`,
		`Hello`,
	} {
		n, err := push.NewNotification(push.Windows, []byte(body), nil)
		if err != nil {
			fmt.Println(errors.Is(err, push.ErrInvalidNotification), err)
			continue
		}
		fmt.Println(n.Header.Get("X-WNS-Type"), n.ContentType)
	}
	// Output:
	// wns/toast application/xml
	// wns/badge application/xml
	// true push: invalid notification: windows body: text outside the root element; WNS takes <toast>, <tile> or <badge> XML, or raw bytes declared with X-WNS-Type: wns/raw
}

func ExampleAppleNotification() {
	n, err := push.AppleNotification(map[string]any{
		"aps": map[string]any{"alert": map[string]string{"title": "Order shipped", "body": "Arriving Tuesday"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(n.Platform, n.ContentType)
	fmt.Println(string(n.Body))
	// Output:
	// apple application/json;charset=utf-8
	// {"aps":{"alert":{"body":"Arriving Tuesday","title":"Order shipped"}}}
}

func ExampleTemplateNotification() {
	n, _ := push.TemplateNotification(map[string]string{"greeting_en": "Hello", "greeting_fr": "Salut"})
	fmt.Println(n.Platform, string(n.Body))
	// Output: template {"greeting_en":"Hello","greeting_fr":"Salut"}
}
