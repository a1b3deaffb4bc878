package azurenh

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a push.Clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.advance(d)
	return ctx.Err()
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const testAudience = "https://Contoso.servicebus.windows.net/MyHub"

// testExpiry is 2030-01-01T00:00:00Z.
var testExpiry = time.Unix(1893456000, 0)

// TestSignSASGolden pins the header for a fixed input. The expected value was
// computed outside Go, with Python's hmac, hashlib, base64 and urllib.parse.quote_plus.
func TestSignSASGolden(t *testing.T) {
	got := signSAS("https://NS.servicebus.windows.net/MyHub", "Default Full+Rule", testKey, testExpiry)
	assert.Equal(t,
		"SharedAccessSignature sr=https%3A%2F%2Fns.servicebus.windows.net%2Fmyhub"+
			"&sig=OgezBfEYWiOErwdGvtsELta%2FX7miXJ0LIpOzyuOHaVo%3D&se=1893456000&skn=Default+Full%2BRule",
		got)
}

// TestSignSASRecomputed takes the header apart and checks the signature with HMAC
// math written again here.
func TestSignSASRecomputed(t *testing.T) {
	header := signSAS(testAudience, testKeyName, testKey, testExpiry)

	rest, ok := strings.CutPrefix(header, "SharedAccessSignature ")
	require.True(t, ok, "header %q lacks the scheme", header)
	fields := strings.Split(rest, "&")
	require.Len(t, fields, 4)
	got := map[string]string{}
	var order []string
	for _, f := range fields {
		name, value, ok := strings.Cut(f, "=")
		require.True(t, ok)
		got[name] = value
		order = append(order, name)
	}
	assert.Equal(t, []string{"sr", "sig", "se", "skn"}, order)

	wantSR := "https%3A%2F%2Fcontoso.servicebus.windows.net%2Fmyhub"
	assert.Equal(t, wantSR, got["sr"])
	assert.Equal(t, "1893456000", got["se"])
	assert.Equal(t, testKeyName, got["skn"])

	mac := hmac.New(sha256.New, []byte(testKey)) // the key text, not its base64 decoding
	mac.Write([]byte(wantSR + "\n" + "1893456000"))
	wantSig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	sig, err := url.QueryUnescape(got["sig"])
	require.NoError(t, err)
	assert.Equal(t, wantSig, sig)
	assert.Equal(t, url.QueryEscape(wantSig), got["sig"])
}

func TestSignSASExpiryIsDecimalSeconds(t *testing.T) {
	header := signSAS(testAudience, testKeyName, testKey, time.Unix(65, 999_999_999))
	assert.Contains(t, header, "&se=65&")
}

// countingSource returns a tokenSource on clock whose signings are counted.
func countingSource(clock *fakeClock) (*tokenSource, *atomic.Int64) {
	ts := newTokenSource(testAudience, testKeyName, testKey, clock)
	var n atomic.Int64
	ts.sign = func(audience, keyName string, key Key, expiry time.Time) string {
		n.Add(1)
		return signSAS(audience, keyName, key, expiry)
	}
	return ts, &n
}

func TestTokenSourceCaches(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := newFakeClock(start)
	ts, signings := countingSource(clock)

	first := ts.header()
	assert.Equal(t, signSAS(testAudience, testKeyName, testKey, start.Add(20*time.Minute)), first)
	assert.Contains(t, first, fmt.Sprintf("&se=%d&", start.Add(20*time.Minute).Unix()))
	assert.EqualValues(t, 1, signings.Load())

	clock.advance(18*time.Minute - time.Nanosecond) // just before the refresh point
	assert.Equal(t, first, ts.header())
	assert.EqualValues(t, 1, signings.Load())

	clock.advance(time.Nanosecond) // 2 minutes of life left: refresh
	second := ts.header()
	assert.NotEqual(t, first, second)
	assert.Equal(t, signSAS(testAudience, testKeyName, testKey, start.Add(38*time.Minute)), second)
	assert.EqualValues(t, 2, signings.Load())

	clock.advance(time.Minute)
	assert.Equal(t, second, ts.header(), "the expiry is absolute, not sliding")
	assert.EqualValues(t, 2, signings.Load())
}

func TestTokenSourceSignsOnceUnderContention(t *testing.T) {
	clock := newFakeClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	ts, signings := countingSource(clock)

	hammer := func() []string {
		const n = 100
		headers := make([]string, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				headers[i] = ts.header()
			})
		}
		close(start)
		wg.Wait()
		return headers
	}

	first := hammer() // no token yet
	assert.EqualValues(t, 1, signings.Load())
	clock.advance(19 * time.Minute) // token due for refresh
	second := hammer()
	assert.EqualValues(t, 2, signings.Load())

	for i := range first {
		assert.Equal(t, first[0], first[i])
		assert.Equal(t, second[0], second[i])
	}
	assert.NotEqual(t, first[0], second[0])
}

func TestTokenSourceCachedHeaderAllocatesNothing(t *testing.T) {
	ts := newTokenSource(testAudience, testKeyName, testKey, newFakeClock(testExpiry))
	ts.header()
	allocs := testing.AllocsPerRun(1000, func() { _ = ts.header() })
	assert.Zero(t, allocs)
}

func TestTokenSourceNilClockIsSystemClock(t *testing.T) {
	ts := newTokenSource(testAudience, testKeyName, testKey, nil)
	before := time.Now().Add(20 * time.Minute).Unix()
	header := ts.header()
	after := time.Now().Add(20 * time.Minute).Unix()
	_, se, ok := strings.Cut(header, "&se=")
	require.True(t, ok)
	se, _, _ = strings.Cut(se, "&")
	expiry, err := strconv.ParseInt(se, 10, 64)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, expiry, before)
	assert.LessOrEqual(t, expiry, after)
}

func TestTokenSourcePrintsNoKey(t *testing.T) {
	ts := newTokenSource(testAudience, testKeyName, testKey, newFakeClock(testExpiry))
	ts.header()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, ts), testKey[:8], verb)
	}
	assert.NotContains(t, ts.header(), testKey[:8])
}
