package httpx

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter caps the wait a Retry-After header may ask for, so that a
// wrong header cannot stall a caller for days.
const MaxRetryAfter = time.Hour

// RetryAfter reads the values of a Retry-After header (RFC 9110, section
// 10.2.3): a number of seconds or an HTTP date, the latter relative to now.
// ok reports whether the header was present, even if it did not parse (the
// wait is then 0). A date in the past is a wait of 0; a wait is at most
// MaxRetryAfter.
func RetryAfter(values []string, now time.Time) (wait time.Duration, ok bool) {
	if len(values) == 0 {
		return 0, false
	}
	v := strings.TrimSpace(values[0])
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0, true
		}
		return time.Duration(min(secs, int64(MaxRetryAfter/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), MaxRetryAfter), true
	}
	return 0, true
}
