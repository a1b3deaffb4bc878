package memory_test

import (
	"context"
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

// Newsroom is application code: it depends on a push.Sender, not on a provider.
type Newsroom struct{ Push push.Sender }

// Publish alerts the readers who follow breaking news.
func (nr Newsroom) Publish(ctx context.Context, headline string) error {
	n, err := push.AppleNotification(map[string]any{"aps": map[string]any{"alert": headline}})
	if err != nil {
		return err
	}
	_, err = nr.Push.Send(ctx, n, push.Tags("breaking-news"))
	return err
}

// A unit test of application code hands it a memory Sender, then checks what
// it would have sent.
func Example_unitTest() {
	sender := memory.New()
	app := Newsroom{Push: sender}

	if err := app.Publish(context.Background(), "Rain expected"); err != nil {
		fmt.Println("publish:", err)
	}

	for _, d := range sender.ByTag("breaking-news") {
		fmt.Println(d.Envelope.Platform, d.Envelope.Tags, string(d.Envelope.Body))
	}
	// Output:
	// apple breaking-news {"aps":{"alert":"Rain expected"}}
}
