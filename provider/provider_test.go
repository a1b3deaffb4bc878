package provider_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
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
	// lastOptions is what the "testfake" opener was last given.
	lastOptions atomic.Pointer[provider.Options]
)

func registerFakes() {
	registerOnce.Do(func() {
		provider.Register("testfake", func(ctx context.Context, u *provider.URL, o provider.Options) (provider.Sender, error) {
			lastOptions.Store(&o)
			if u.String("mode") != "ok" {
				return nil, errFakeOpen
			}
			return fakeSender, ctx.Err()
		})
		provider.Register("testfakepusherror", func(context.Context, *provider.URL, provider.Options) (provider.Sender, error) {
			return nil, fakePushErr
		})
		provider.Register("testfakenil", func(context.Context, *provider.URL, provider.Options) (provider.Sender, error) { return nil, nil })
	})
}

func TestOpen(t *testing.T) {
	registerFakes()
	s, err := provider.Open(context.Background(), "testfake://?mode=ok")
	if err != nil || s != provider.Sender(fakeSender) {
		t.Fatalf("Open = %v, %v; want the fake's Sender", s, err)
	}
}

func TestOpenSchemeIsCaseInsensitive(t *testing.T) {
	s, err := provider.Open(context.Background(), "MEMORY://")
	if _, ok := s.(*memory.Sender); !ok || err != nil {
		t.Errorf("Open(MEMORY://) = %T, %v; want a *memory.Sender", s, err)
	}
}

func TestOpenPassesOptions(t *testing.T) {
	registerFakes()
	policy := push.RetryPolicy{MaxAttempts: 7}
	clock := push.SystemClock()
	if _, err := provider.Open(context.Background(), "testfake://?mode=ok", provider.WithRetry(policy), provider.WithClock(clock), nil); err != nil {
		t.Fatal(err)
	}
	o := lastOptions.Load()
	if o.Retry == nil || o.Retry.MaxAttempts != 7 || o.Clock != clock || o.HTTPClient != nil || o.Logger != nil {
		t.Errorf("the opener got %+v", *o)
	}
}

func TestOpenErrors(t *testing.T) {
	registerFakes()
	cases := []struct {
		name, url string
		is        error
		says      []string
	}{
		{"unknown scheme", "nope://", push.ErrNotFound, []string{`no provider for the scheme "nope"`, "memory", "testfake", `import _ "github.com/pushwire/push/memory"`}},
		{"not a URL", "memory", nil, []string{"is not a URL like memory://"}},
		{"a connection string", "Endpoint=sb://x/;SharedAccessKey=k", nil, []string{"is not a URL"}},
		{"bad escape", "testfake://?mode=%zz", nil, []string{"do not parse"}},
		{"repeated parameter", "testfake://?mode=ok&mode=ok", nil, []string{`parameter "mode" is given 2 times`}},
		{"fragment", "testfake://?mode=ok#x", nil, []string{"has a fragment"}},
		{"opener error", "testfake://?mode=bad", errFakeOpen, []string{"provider testfake: fake: bad config"}},
		{"opener push error", "testfakepusherror://", push.ErrUnauthorized, []string{"provider testfakepusherror: fakepush: open: unauthorized: key refused"}},
		{"opener returns nothing", "testfakenil://", nil, []string{"provider testfakenil", "no Sender"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := provider.Open(context.Background(), c.url)
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

func TestOpenErrorsNeverShowTheURL(t *testing.T) {
	registerFakes()
	for _, raw := range []string{
		"testfake://?mode=TOPSECRET",
		"testfake://user:TOPSECRET@host/",
		"testfake://?mode=%zzTOPSECRET",
		"Endpoint=sb://x/;SharedAccessKey=TOPSECRET",
	} {
		_, err := provider.Open(context.Background(), raw)
		if err == nil || strings.Contains(err.Error(), "TOPSECRET") {
			t.Errorf("Open(%q): error %v", raw, err)
		}
	}
}

func TestOpenPassesTheContext(t *testing.T) {
	registerFakes()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := provider.Open(ctx, "testfake://?mode=ok"); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want the opener's context.Canceled", err)
	}
	//lint:ignore SA1012 a nil context is what this checks
	if _, err := provider.Open(nil, "memory://"); err == nil || !strings.Contains(err.Error(), "the context is nil") { //nolint:staticcheck
		t.Errorf("Open(nil, ...) = %v", err)
	}
}

func TestSchemesSorted(t *testing.T) {
	registerFakes()
	names := provider.Schemes()
	if !slices.IsSorted(names) {
		t.Errorf("Schemes() = %v, not sorted", names)
	}
	for _, want := range []string{"memory", "testfake", "testfakenil", "testfakepusherror"} {
		if !slices.Contains(names, want) {
			t.Errorf("Schemes() = %v lacks %q", names, want)
		}
	}
	names[0] = "changed"
	if provider.Schemes()[0] == "changed" {
		t.Error("Schemes returned the registry's own slice")
	}
}

func TestRegisterPanics(t *testing.T) {
	registerFakes()
	opener := func(context.Context, *provider.URL, provider.Options) (provider.Sender, error) { return nil, nil }
	cases := []struct {
		name, scheme string
		opener       provider.Opener
		says         string
	}{
		{"twice", "testfake", opener, "twice"},
		{"memory twice", "memory", opener, "twice"},
		{"nil opener", "testnilopener", nil, "nil"},
		{"upper case", "Test", opener, "lower-case name"},
		{"empty", "", opener, "lower-case name"},
		{"dash", "test-dash", opener, "lower-case name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, _ := r.(string); !strings.Contains(msg, c.says) {
					t.Errorf("panic %v, want one saying %q", r, c.says)
				}
			}()
			provider.Register(c.scheme, c.opener)
		})
	}
	if slices.Contains(provider.Schemes(), "testnilopener") {
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
				name := "testconcurrent" + run + "x" + strconv.Itoa(i)
				provider.Register(name, func(context.Context, *provider.URL, provider.Options) (provider.Sender, error) {
					return memory.New(), nil
				})
			}
			_ = provider.Schemes()
			_, _ = provider.Open(context.Background(), "memory://")
		})
	}
	wg.Wait()
}

func TestTranslate(t *testing.T) {
	type opt string
	m := provider.Mapper[opt]{
		HTTPClient: func(*http.Client) opt { return "http" },
		Logger:     func(*slog.Logger) opt { return "logger" },
		Retry:      func(p push.RetryPolicy) opt { return opt("retry " + strconv.Itoa(p.MaxAttempts)) },
		Clock:      func(push.Clock) opt { return "clock" },
	}
	var o provider.Options
	for _, set := range []provider.Option{provider.WithClock(push.SystemClock()), provider.WithRetry(push.RetryPolicy{MaxAttempts: 3}),
		provider.WithLogger(slog.New(slog.DiscardHandler)), provider.WithHTTPClient(&http.Client{})} {
		set(&o)
	}
	if got := provider.Translate(o, m); !slices.Equal(got, []opt{"http", "logger", "retry 3", "clock"}) {
		t.Errorf("Translate = %q", got)
	}
	m.Logger = nil
	if got := provider.Translate(provider.Options{Logger: slog.Default()}, m); len(got) != 0 {
		t.Errorf("an option the provider has no use for: %q", got)
	}
}
