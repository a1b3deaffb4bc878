package push_test

import (
	"net/http"
	"testing"

	"github.com/pushwire/push"
)

// A tagged Apple send is the common case: Render must stay cheap.
func BenchmarkRender(b *testing.B) {
	n := mustNotification(b, push.Apple, `{"aps":{"alert":{"title":"Breaking news","body":"Something happened"},"sound":"default"}}`,
		http.Header{"apns-push-type": {"alert"}, "apns-priority": {"10"}})
	to := push.Expression("(sports || politics) && !muted")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := push.Render(n, to); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderWindowsToast(b *testing.B) {
	n := mustNotification(b, push.Windows, wnsToastBody, nil)
	to := push.Tags("sports")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := push.Render(n, to); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewNotificationApple(b *testing.B) {
	body := []byte(`{"aps":{"alert":"hi"}}`)
	h := http.Header{"apns-push-type": {"alert"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := push.NewNotification(push.Apple, body, h); err != nil {
			b.Fatal(err)
		}
	}
}

// The goal for Render of a tagged Apple notification is at most 4 allocations.
func TestRenderAllocations(t *testing.T) {
	n := mustNotification(t, push.Apple, `{"aps":{"alert":"hi"}}`, http.Header{"apns-push-type": {"alert"}, "apns-priority": {"10"}})
	to := push.Tags("sports", "politics")
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := push.Render(n, to); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 4 {
		t.Errorf("Render allocates %.0f times; the goal is at most 4", allocs)
	}
}
