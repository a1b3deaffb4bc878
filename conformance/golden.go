package conformance

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/pushwire/push"
)

//go:embed testdata/*.golden
var goldenFiles embed.FS

// goldenEnvelope is the JSON form of an Envelope in testdata. Empty fields are
// left out; a body that is not UTF-8 text is written in base64.
type goldenEnvelope struct {
	Platform      push.Platform              `json:"platform"`
	ContentType   string                     `json:"contentType"`
	Header        http.Header                `json:"header,omitempty"`
	Body          string                     `json:"body,omitempty"`
	BodyBase64    []byte                     `json:"bodyBase64,omitempty"`
	Tags          string                     `json:"tags,omitempty"`
	Devices       []string                   `json:"devices,omitempty"`
	Subscriptions []push.BrowserSubscription `json:"subscriptions,omitempty"`
	ScheduleTime  string                     `json:"scheduleTime,omitempty"`
}

func toGolden(e push.Envelope) goldenEnvelope {
	g := goldenEnvelope{Platform: e.Platform, ContentType: e.ContentType, Tags: e.Tags, Devices: e.Devices, Subscriptions: e.Subscriptions}
	if len(e.Header) > 0 {
		g.Header = e.Header
	}
	if utf8.Valid(e.Body) {
		g.Body = string(e.Body)
	} else {
		g.BodyBase64 = e.Body
	}
	if !e.ScheduleTime.IsZero() {
		g.ScheduleTime = e.ScheduleTime.Format(time.RFC3339Nano)
	}
	return g
}

// encodeEnvelopes returns the golden-file form of envs: indented JSON.
func encodeEnvelopes(envs []push.Envelope) ([]byte, error) {
	gs := make([]goldenEnvelope, len(envs))
	for i, e := range envs {
		gs[i] = toGolden(e)
	}
	return encodeGolden(gs)
}

// encodeGolden writes golden Envelopes as indented JSON.
func encodeGolden(gs []goldenEnvelope) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(gs); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// goldenPath returns where a case's golden Envelopes live.
func goldenPath(name string) string { return "testdata/" + name + ".golden" }

func readGolden(name string) ([]byte, error) {
	b, err := goldenFiles.ReadFile(goldenPath(name))
	if err != nil {
		return nil, fmt.Errorf("no golden file for case %q (run `go test ./conformance -update`): %w", name, err)
	}
	return b, nil
}
