package push_test

import (
	"testing"

	"github.com/pushwire/push"
)

func BenchmarkParseExpression(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := push.ParseExpression(sixTagExpr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExprMatch(b *testing.B) {
	e, err := push.ParseExpression(sixTagExpr)
	if err != nil {
		b.Fatal(err)
	}
	device := deviceWith60Tags()
	b.Run("slice of 60 tags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !e.Match(device) {
				b.Fatal("no match")
			}
		}
	})
	set := make(map[string]bool, len(device))
	for _, tag := range device {
		set[tag] = true
	}
	has := func(tag string) bool { return set[tag] }
	b.Run("MatchFunc with a map of 60 tags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !e.MatchFunc(has) {
				b.Fatal("no match")
			}
		}
	})
}
