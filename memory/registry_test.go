package memory_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

// household registers four devices of two users.
func household(t *testing.T) *memory.Sender {
	t.Helper()
	s := memory.New()
	devices := []memory.Device{
		{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"breaking-news", "lang:en"}, InstallationID: "inst-a1", UserID: "alice"},
		{Handle: "alice-pixel", Platform: push.FCMV1, Tags: []string{"breaking-news"}, UserID: "alice"},
		{Handle: "bob-iphone", Platform: push.Apple, Tags: []string{"sports", "lang:fr"}, InstallationID: "inst-b1", UserID: "bob"},
		{Handle: "bob-surface", Platform: push.Windows, Tags: []string{"sports"}, UserID: "bob",
			Templates: map[string]string{"toast": `<toast><visual><binding template="ToastText01"><text id="1">$(headline)</text></binding></visual></toast>`}},
	}
	for _, d := range devices {
		if err := s.Register(d); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestRegisteredDevicesReached(t *testing.T) {
	must := mustNotification(t)
	apple := must(push.AppleNotification(`{"aps":{"alert":"x"}}`))
	fcm := must(push.FCMV1Notification(`{"message":{}}`))
	template := must(push.TemplateNotification(map[string]string{"headline": "x"}))
	cases := []struct {
		name string
		n    push.Notification
		to   push.Target
		want []string
	}{
		{"apple to a tag reaches only apple devices with it", apple, push.Tags("breaking-news"), []string{"alice-iphone"}},
		{"fcm to the same tag", fcm, push.Tags("breaking-news"), []string{"alice-pixel"}},
		{"apple broadcast", apple, push.Broadcast(), []string{"alice-iphone", "bob-iphone"}},
		{"template broadcast reaches devices with a template", template, push.Broadcast(), []string{"bob-surface"}},
		{"template to a tag", template, push.Tags("sports"), []string{"bob-surface"}},
		{"template to a tag of no templated device", template, push.Tags("breaking-news"), nil},
		{"user tag", apple, push.User("alice"), []string{"alice-iphone"}},
		{"installation tag", apple, push.Installation("inst-b1"), []string{"bob-iphone"}},
		{"expression with not", apple, push.Expression("lang:en || lang:fr && !sports"), []string{"alice-iphone"}},
		{"expression with and", apple, push.Expression("$UserId:{bob} && lang:fr"), []string{"bob-iphone"}},
		{"direct send by handle", apple, push.Device("bob-iphone"), []string{"bob-iphone"}},
		{"batch send by handles", apple, push.Devices("alice-iphone", "unknown", "bob-iphone"), []string{"alice-iphone", "bob-iphone"}},
		{"direct send to a device of another platform", fcm, push.Device("bob-iphone"), nil},
		{"tag nobody has", apple, push.Tags("weather"), nil},
	}
	s := household(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.Send(context.Background(), c.n, c.to); err != nil {
				t.Fatal(err)
			}
			d := s.Take()[0]
			if !reflect.DeepEqual(d.Reached, c.want) {
				t.Errorf("reached %v, want %v", d.Reached, c.want)
			}
			for _, h := range c.want {
				if !d.Reaches(h) {
					t.Errorf("Reaches(%q) = false", h)
				}
			}
		})
	}
}

func TestByDeviceSeesReachedDevices(t *testing.T) {
	s := household(t)
	apple := mustNotification(t)(push.AppleNotification(`{"aps":{"alert":"x"}}`))
	for _, to := range []push.Target{push.Tags("breaking-news"), push.Tags("sports"), push.User("alice")} {
		if _, err := s.Send(context.Background(), apple, to); err != nil {
			t.Fatal(err)
		}
	}
	if got := ids(s.ByDevice("alice-iphone")); !reflect.DeepEqual(got, []string{"memory-1", "memory-3"}) {
		t.Errorf("alice's iPhone got %v", got)
	}
	if got := ids(s.ByDevice("bob-iphone")); !reflect.DeepEqual(got, []string{"memory-2"}) {
		t.Errorf("bob's iPhone got %v", got)
	}
}

func TestRegisterRefusesBadDevices(t *testing.T) {
	manyTags := make([]string, memory.MaxDeviceTags+1)
	for i := range manyTags {
		manyTags[i] = "t" + strings.Repeat("x", i)
	}
	cases := []struct {
		name string
		d    memory.Device
		want string
	}{
		{"no handle", memory.Device{Platform: push.Apple}, `device ""`},
		{"handle with space", memory.Device{Handle: "a b", Platform: push.Apple}, `device "a b"`},
		{"no platform", memory.Device{Handle: "h"}, "platform"},
		{"template platform", memory.Device{Handle: "h", Platform: push.Template}, "Device.Templates"},
		{"unknown platform", memory.Device{Handle: "h", Platform: "pager"}, "platform"},
		{"bad tag", memory.Device{Handle: "h", Platform: push.Apple, Tags: []string{"a b"}}, `device "h"`},
		{"empty tag", memory.Device{Handle: "h", Platform: push.Apple, Tags: []string{""}}, `device "h"`},
		{"too many tags", memory.Device{Handle: "h", Platform: push.Apple, Tags: manyTags}, "at most 60"},
		{"bad installation ID", memory.Device{Handle: "h", Platform: push.Apple, InstallationID: "a b"}, `device "h"`},
		{"bad user ID", memory.Device{Handle: "h", Platform: push.Apple, UserID: "}"}, `device "h"`},
		{"empty template body", memory.Device{Handle: "h", Platform: push.Apple, Templates: map[string]string{"t": ""}}, "template"},
	}
	s := memory.New()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.Register(c.d)
			if !errors.Is(err, push.ErrInvalidTarget) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want ErrInvalidTarget mentioning %q", err, c.want)
			}
		})
	}
	if len(s.Devices()) != 0 {
		t.Errorf("devices %v registered", s.Devices())
	}
}

func TestRegisterReplacesAndUnregisterRemoves(t *testing.T) {
	s := household(t)
	if err := s.Register(memory.Device{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"weather"}}); err != nil {
		t.Fatal(err)
	}
	devs := s.Devices()
	if len(devs) != 4 || devs[0].Handle != "alice-iphone" || !reflect.DeepEqual(devs[0].Tags, []string{"weather"}) || devs[0].UserID != "" {
		t.Fatalf("after replacing: %+v", devs)
	}
	if !s.Unregister("bob-iphone") || s.Unregister("bob-iphone") {
		t.Fatal("Unregister did not report the removal once")
	}
	apple := mustNotification(t)(push.AppleNotification(`{"aps":{}}`))
	if _, err := s.Send(context.Background(), apple, push.Broadcast()); err != nil {
		t.Fatal(err)
	}
	if got := s.Take()[0].Reached; !reflect.DeepEqual(got, []string{"alice-iphone"}) {
		t.Errorf("broadcast reached %v", got)
	}
}

func TestDevicesAreCopies(t *testing.T) {
	tags := []string{"a"}
	templates := map[string]string{"t": "{}"}
	s := memory.New()
	if err := s.Register(memory.Device{Handle: "h", Platform: push.Apple, Tags: tags, Templates: templates}); err != nil {
		t.Fatal(err)
	}
	tags[0] = "changed"
	templates["t"] = "changed"
	d := s.Devices()[0]
	d.Tags[0] = "changed"
	d.Templates["u"] = "added"
	again := s.Devices()[0]
	if again.Tags[0] != "a" || again.Templates["t"] != "{}" || len(again.Templates) != 1 {
		t.Errorf("registered device changed: %+v", again)
	}
}
