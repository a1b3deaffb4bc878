package push_test

import (
	"testing"

	"github.com/pushwire/push"
)

const (
	benchAppleTemplate = `{"aps":{"alert":{"title":"$(title)","body":".(body, 120)"},"badge":"#(badge)","sound":"default"},"deepLink":"{'app://news/' + %(id)}"}`
	benchToastTemplate = `<toast launch="{'app://news/' + %(id)}"><visual><binding template="ToastGeneric"><text>$(title)</text><text>.(body, 120)</text></binding></visual></toast>`
)

var benchProps = map[string]string{"title": "Storm warning", "body": "Winds up to 120 km/h are expected tonight; stay indoors.", "badge": "3", "id": "a1/b2"}

// BenchmarkExpandTemplate is the cost a test double pays per device a template
// send reaches: one expansion of a compiled template.
func BenchmarkExpandTemplate(b *testing.B) {
	for _, bench := range []struct{ name, body string }{{"json", benchAppleTemplate}, {"xml", benchToastTemplate}} {
		ct, err := push.CompileTemplate(bench.body)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = ct.Expand(benchProps)
			}
		})
	}
}

// BenchmarkCompileTemplate is the cost paid once per template, when a device
// registers it.
func BenchmarkCompileTemplate(b *testing.B) {
	for _, bench := range []struct{ name, body string }{{"json", benchAppleTemplate}, {"xml", benchToastTemplate}} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := push.CompileTemplate(bench.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
