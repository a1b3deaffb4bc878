package newsroom

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pushwire/push"
)

// Categories returns the news categories, in a fixed order. A device subscribes
// to a category by carrying it as a tag.
func Categories() []string {
	return []string{"World", "Politics", "Business", "Technology", "Science", "Sports"}
}

// Platforms returns the platforms a story goes to: iOS and Android.
func Platforms() []push.Platform { return []push.Platform{push.Apple, push.FCMV1} }

// Story is a piece of breaking news.
type Story struct {
	// Category is one of Categories.
	Category string
	// Headline is the text of the notification.
	Headline string
	// URL is the page the app opens on a tap; optional.
	URL string
}

// Publisher publishes breaking news through a push.Sender. It is safe for
// concurrent use when its Sender is, as every push.Sender is.
type Publisher struct {
	sender push.Sender
}

// New returns a Publisher that sends through s.
func New(s push.Sender) *Publisher { return &Publisher{sender: s} }

// Publish sends story to the devices subscribed to its category, on every
// platform of Platforms, and returns one result per platform.
//
// A story without a headline, or of an unknown category, is refused before
// anything is sent. When the story reached some platforms but not all, the
// error says so, names each failed platform and wraps its error, so that
// errors.Is(err, push.ErrThrottled) and the like see through it; the results
// still tell which platforms succeeded.
func (p *Publisher) Publish(ctx context.Context, story Story) (push.FanOutResults, error) {
	if err := story.check(); err != nil {
		return nil, err
	}
	results := push.FanOut(ctx, p.sender, story.alert(), push.Tags(story.Category), Platforms()...)
	if err := results.Err(); err != nil {
		return results, fmt.Errorf("newsroom: %q reached %d of %d platforms: %w",
			story.Headline, succeeded(results), len(results), err)
	}
	return results, nil
}

// ErrBadStory is what Publish returns, wrapped, for a story it cannot publish.
var ErrBadStory = errors.New("newsroom: bad story")

func (s Story) check() error {
	switch {
	case strings.TrimSpace(s.Headline) == "":
		return fmt.Errorf("%w: the headline is empty", ErrBadStory)
	case !slices.Contains(Categories(), s.Category):
		return fmt.Errorf("%w: category %q is not one of %s", ErrBadStory, s.Category, strings.Join(Categories(), ", "))
	}
	return nil
}

// alert is the story as a portable notification.
func (s Story) alert() push.Alert {
	return push.Alert{
		Title:    "Breaking news: " + s.Category,
		Body:     s.Headline,
		Sound:    "default",
		Priority: push.PriorityHigh,
		DeepLink: s.URL,
		Data:     map[string]string{"category": s.Category},
	}
}

// succeeded counts the platforms that accepted the story.
func succeeded(results push.FanOutResults) int {
	n := 0
	for _, r := range results {
		if r.Err == nil {
			n++
		}
	}
	return n
}
