package httpx

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		values []string
		wait   time.Duration
		ok     bool
	}{
		{"absent", nil, 0, false},
		{"seconds", []string{"120"}, 2 * time.Minute, true},
		{"seconds with space", []string{" 7 "}, 7 * time.Second, true},
		{"zero", []string{"0"}, 0, true},
		{"negative", []string{"-5"}, 0, true},
		{"capped", []string{"86400"}, MaxRetryAfter, true},
		{"date", []string{now.Add(90 * time.Second).Format(http.TimeFormat)}, 90 * time.Second, true},
		{"past date", []string{now.Add(-time.Hour).Format(http.TimeFormat)}, 0, true},
		{"far date", []string{now.Add(48 * time.Hour).Format(http.TimeFormat)}, MaxRetryAfter, true},
		{"garbage", []string{"soon"}, 0, true},
		{"first value wins", []string{"3", "9"}, 3 * time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wait, ok := RetryAfter(tc.values, now)
			if wait != tc.wait || ok != tc.ok {
				t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tc.values, wait, ok, tc.wait, tc.ok)
			}
		})
	}
}

// FuzzRetryAfter checks that any Retry-After gives a wait from 0 to the cap.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "7", "-1", "99999999999999999999", "Wed, 02 Jan 2030 03:04:35 GMT", "Monday, 02-Jan-30 03:04:35 GMT", "soon", ""} {
		f.Add(s)
	}
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		wait, ok := RetryAfter([]string{v}, now)
		if !ok || wait < 0 || wait > MaxRetryAfter {
			t.Fatalf("RetryAfter(%q) = %v, %v", v, wait, ok)
		}
	})
}
