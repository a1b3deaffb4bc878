package push_test

import (
	"errors"
	"fmt"

	"github.com/pushwire/push"
)

func ExampleRender() {
	n, _ := push.AppleNotification(`{"aps":{"alert":"Goal!"}}`)
	env, err := push.Render(n, push.Tags("sports", "politics"))
	if err != nil {
		panic(err)
	}
	fmt.Println(env.Platform, env.ContentType)
	fmt.Println(env.Tags)
	fmt.Println(string(env.Body))

	// A template lives in registrations, so it cannot go to a device handle.
	t, _ := push.TemplateNotification(map[string]string{"title": "Goal!"})
	_, err = push.Render(t, push.Device("a1b2c3"))
	fmt.Println(errors.Is(err, push.ErrInvalidTarget))
	// Output:
	// apple application/json;charset=utf-8
	// sports || politics
	// {"aps":{"alert":"Goal!"}}
	// true
}
