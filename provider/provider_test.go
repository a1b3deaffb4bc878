package provider_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/provider"
)

// Test-only providers, registered once for the whole test binary.
var (
	fakeSender   = memory.New()
	errFakeOpen  = errors.New("fake: bad config")
	fakePushErr  = &push.Error{Op: "fakepush: open", Kind: push.ErrUnauthorized, Detail: "key refused"}
	registerOnce sync.Once
)

func registerFakes() {
	registerOnce.Do(func() {
		provider.Register("test_fake", func(ctx context.Context, config string) (push.Sender, error) {
			if config != "ok" {
				return nil, errFakeOpen
			}
			return fakeSender, ctx.Err()
		})
		provider.Register("test_fake_push_error", func(context.Context, string) (push.Sender, error) { return nil, fakePushErr })
		provider.Register("test_fake_nil", func(context.Context, string) (push.Sender, error) { return nil, nil })
	})
}

func TestOpen(t *testing.T) {
	registerFakes()
	s, err := provider.Open(context.Background(), "test_fake", "ok")
	if err != nil || s != push.Sender(fakeSender) {
		t.Fatalf("Open = %v, %v; want the fake's Sender", s, err)
	}
}

func TestOpenErrors(t *testing.T) {
	registerFakes()
	cases := []struct {
		name, provider, config string
		is                     error
		says                   []string
	}{
		{"unknown provider", "nope", "", push.ErrNotFound, []string{`no provider named "nope"`, "memory", "test_fake", `import _ "github.com/pushwire/push/memory"`}},
		{"name in another case", "MEMORY", "", push.ErrNotFound, []string{`"MEMORY"`}},
		{"opener error", "test_fake", "bad", errFakeOpen, []string{"provider test_fake: fake: bad config"}},
		{"opener push error", "test_fake_push_error", "", push.ErrUnauthorized, []string{"provider test_fake_push_error: fakepush: open: unauthorized: key refused"}},
		{"opener returns nothing", "test_fake_nil", "", nil, []string{"provider test_fake_nil", "no Sender"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := provider.Open(context.Background(), c.provider, c.config)
			if s != nil || err == nil {
				t.Fatalf("Open = %v, %v; want an error", s, err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v does not match %v", err, c.is)
			}
			var pe *push.Error
			if !errors.As(err, &pe) {
				t.Errorf("error %v is not a *push.Error", err)
			}
			for _, want := range c.says {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

func TestOpenerErrorsNeverShowTheConfig(t *testing.T) {
	registerFakes()
	_, err := provider.Open(context.Background(), "test_fake", "Endpoint=sb://x/;SharedAccessKey=TOPSECRET")
	if err == nil || strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("error %v", err)
	}
}

func TestOpenPassesTheContext(t *testing.T) {
	registerFakes()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := provider.Open(ctx, "test_fake", "ok"); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want the opener's context.Canceled", err)
	}
}

func TestNamesSorted(t *testing.T) {
	registerFakes()
	names := provider.Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() = %v, not sorted", names)
	}
	for _, want := range []string{"memory", "test_fake", "test_fake_nil", "test_fake_push_error"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() = %v lacks %q", names, want)
		}
	}
	names[0] = "changed"
	if provider.Names()[0] == "changed" {
		t.Error("Names returned the registry's own slice")
	}
}

func TestRegisterPanics(t *testing.T) {
	registerFakes()
	opener := func(context.Context, string) (push.Sender, error) { return nil, nil }
	cases := []struct {
		name, provider string
		opener         provider.Opener
		says           string
	}{
		{"twice", "test_fake", opener, "twice"},
		{"memory twice", "memory", opener, "twice"},
		{"nil opener", "test_nil_opener", nil, "nil"},
		{"upper case", "Test", opener, "lower-case identifier"},
		{"empty", "", opener, "lower-case identifier"},
		{"dash", "test-dash", opener, "lower-case identifier"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, _ := r.(string); !strings.Contains(msg, c.says) {
					t.Errorf("panic %v, want one saying %q", r, c.says)
				}
			}()
			provider.Register(c.provider, c.opener)
		})
	}
	if slices.Contains(provider.Names(), "test_nil_opener") {
		t.Error("a nil opener was registered")
	}
}

// runs numbers the runs of a test, so that each registers fresh names even
// with -count.
var runs atomic.Int64

func TestConcurrentUse(t *testing.T) {
	registerFakes()
	run := strconv.FormatInt(runs.Add(1), 10)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if i%2 == 0 {
				name := "test_concurrent_" + run + "_" + strconv.Itoa(i)
				provider.Register(name, func(context.Context, string) (push.Sender, error) { return memory.New(), nil })
			}
			_ = provider.Names()
			_, _ = provider.Open(context.Background(), "memory", "")
		})
	}
	wg.Wait()
}
