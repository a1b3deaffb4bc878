package newsroom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/examples/unittest/newsroom"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/recorder"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with what the tests produce")

// subscribers registers the devices of the tests: alice follows politics on her
// iPhone, bob follows sports on his iPhone and politics on his Pixel.
func subscribers(t *testing.T, s *memory.Sender) {
	t.Helper()
	for _, d := range []memory.Device{
		{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"Politics", "World"}, UserID: "alice"},
		{Handle: "bob-iphone", Platform: push.Apple, Tags: []string{"Sports"}, UserID: "bob"},
		{Handle: "bob-pixel", Platform: push.FCMV1, Tags: []string{"Politics"}, UserID: "bob"},
	} {
		require.NoError(t, s.Register(d))
	}
}

var election = newsroom.Story{Category: "Politics", Headline: "Polls close in the general election", URL: "https://news.example/election"}

func TestPublishReachesSubscribers(t *testing.T) {
	sender := memory.New()
	subscribers(t, sender)

	results, err := newsroom.New(sender).Publish(context.Background(), election)
	require.NoError(t, err)
	require.Len(t, results, 2)

	apple := sender.ByPlatform(push.Apple)
	require.Len(t, apple, 1)
	assert.Equal(t, "Politics", apple[0].Envelope.Tags)
	assert.True(t, apple[0].Reaches("alice-iphone"), "alice follows politics")
	assert.False(t, apple[0].Reaches("bob-iphone"), "bob's iPhone follows sports only")

	android := sender.ByPlatform(push.FCMV1)
	require.Len(t, android, 1)
	assert.Equal(t, []string{"bob-pixel"}, android[0].Reached)
	assert.JSONEq(t, `{"message":{
		"notification":{"title":"Breaking news: Politics","body":"Polls close in the general election"},
		"data":{"category":"Politics","deepLink":"https://news.example/election"},
		"android":{"priority":"high","notification":{"sound":"default"}}}}`, string(android[0].Envelope.Body))
}

func TestPublishNobodySubscribed(t *testing.T) {
	sender := memory.New()
	subscribers(t, sender)

	_, err := newsroom.New(sender).Publish(context.Background(), newsroom.Story{Category: "Science", Headline: "Comet visible tonight"})
	require.NoError(t, err, "sending to a tag nobody carries is not an error")
	for _, d := range sender.Deliveries() {
		assert.Empty(t, d.Reached, "%s reached nobody", d.Envelope.Platform)
	}
}

func TestPublishReportsPartialFailure(t *testing.T) {
	sender := memory.New()
	subscribers(t, sender)
	outage := &push.Error{Op: "azurenh: send", Kind: push.ErrUnavailable, StatusCode: 503, Detail: "the hub is busy"}
	sender.FailWhen(func(e push.Envelope) bool { return e.Platform == push.FCMV1 }, outage)

	results, err := newsroom.New(sender).Publish(context.Background(), election)

	require.Error(t, err)
	assert.ErrorIs(t, err, push.ErrUnavailable, "the provider's error kind shows through")
	assert.Contains(t, err.Error(), `"Polls close in the general election" reached 1 of 2 platforms`)
	assert.Contains(t, err.Error(), "fcmv1: azurenh: send: unavailable: the hub is busy")
	var fanOut *push.FanOutError
	require.ErrorAs(t, err, &fanOut)
	assert.Equal(t, push.FCMV1, fanOut.Failed[0].Platform)

	require.Len(t, results, 2)
	assert.NoError(t, results[0].Err, "apple went out")
	assert.Equal(t, 1, sender.Len(), "only the apple send was kept")
	assert.Equal(t, 1, sender.Failures())
}

func TestPublishThrottled(t *testing.T) {
	sender := memory.New()
	sender.FailNext(2, &push.Error{Op: "azurenh: send", Kind: push.ErrThrottled, StatusCode: 429})

	_, err := newsroom.New(sender).Publish(context.Background(), election)

	assert.ErrorIs(t, err, push.ErrThrottled)
	assert.Contains(t, err.Error(), "reached 0 of 2 platforms")
	assert.Zero(t, sender.Len())
}

func TestPublishRefusesBadStories(t *testing.T) {
	tests := []struct {
		name  string
		story newsroom.Story
		want  string
	}{
		{name: "no headline", story: newsroom.Story{Category: "World", Headline: "  "}, want: "the headline is empty"},
		{name: "unknown category", story: newsroom.Story{Category: "Gossip", Headline: "x"}, want: `category "Gossip" is not one of World, Politics`},
		{name: "category is case-sensitive, as tags are", story: newsroom.Story{Category: "politics", Headline: "x"}, want: `category "politics"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sender := memory.New()
			_, err := newsroom.New(sender).Publish(context.Background(), tt.story)
			assert.ErrorIs(t, err, newsroom.ErrBadStory)
			assert.ErrorContains(t, err, tt.want)
			assert.Zero(t, sender.Len(), "nothing was sent")
		})
	}
}

func TestPublishCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sender := memory.New()
	_, err := newsroom.New(sender).Publish(ctx, election)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, sender.Len())
}

// TestPublishGolden keeps testdata/publish.golden: one JSON line per send the
// newsroom makes for a day's stories, as recorder.WithJSONLines writes it.
// FanOut sends each platform concurrently, so the lines of one story come in
// no fixed order: the test sorts them before comparing.
func TestPublishGolden(t *testing.T) {
	var lines bytes.Buffer
	sender := memory.New()
	sender.FailWhen(func(e push.Envelope) bool { return e.Tags == "Business" && e.Platform == push.FCMV1 },
		&push.Error{Op: "azurenh: send", Kind: push.ErrThrottled, StatusCode: 429})
	rec := recorder.New(sender, recorder.WithJSONLines(&lines))
	p := newsroom.New(rec)

	for _, s := range []newsroom.Story{
		election,
		{Category: "Business", Headline: "Markets open higher"},
		{Category: "Sports", Headline: "Final score: 2–1", URL: "myapp://scores/final"},
	} {
		_, _ = p.Publish(context.Background(), s)
	}
	require.NoError(t, rec.WriteErr())

	got := sortedLines(t, lines.String())
	golden := filepath.Join("testdata", "publish.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got, "what the newsroom sends changed; if that is intended, run go test -update and review the diff")
}

// sortedLines checks that each line is JSON and returns the lines sorted.
func sortedLines(t *testing.T, s string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for _, l := range lines {
		require.True(t, json.Valid([]byte(l)), "not JSON: %s", l)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

func TestCategoriesAreTags(t *testing.T) {
	for _, c := range newsroom.Categories() {
		assert.NoError(t, push.ValidateTag(c), c)
	}
	assert.False(t, errors.Is(push.Tags(newsroom.Categories()...).Err(), push.ErrInvalidTarget))
}
