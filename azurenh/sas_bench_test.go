package azurenh

import (
	"testing"

	"github.com/pushwire/push"
)

// BenchmarkTokenCached measures the per-request cost of the Authorization header once
// a token is signed: what every send pays.
func BenchmarkTokenCached(b *testing.B) {
	ts := newTokenSource(testAudience, testKeyName, testKey, push.SystemClock())
	ts.header()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = ts.header()
		}
	})
}

// BenchmarkSignSAS measures signing a token: paid once per token lifetime.
func BenchmarkSignSAS(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = signSAS(testAudience, testKeyName, testKey, testExpiry)
	}
}
