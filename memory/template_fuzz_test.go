package memory_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
)

// FuzzTemplatePayload checks that Register accepts exactly the templates
// push.CompileTemplate compiles, explains a refusal with the compiler's
// detail, and that a template send's payload is the template expanded with
// the notification's properties.
func FuzzTemplatePayload(f *testing.F) {
	for _, seed := range [][2]string{
		{appleAlert, "Rain"}, {appleClip, "Breaking news"}, {windowsAttr, `"<&>'`}, {fcmData, "a b/ü"},
		{"Hello", ""}, {"", "x"}, {`{"a":"$(x"}`, "x"}, {`<toast/><toast/>`, ""}, {`{"a":"{$(title) + ' '}"}`, "\x00"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, body, title string) {
		compiled, compileErr := push.CompileTemplate(body)
		s := memory.New()
		err := s.Register(memory.Device{Handle: "h", Platform: push.Apple, Tags: []string{"t"},
			Templates: map[string]string{"n": body}})
		if err != nil {
			checkTemplateRefusal(t, err, compileErr)
			return
		}
		if compileErr != nil {
			t.Fatalf("Register accepted a template CompileTemplate refuses: %v", compileErr)
		}
		n, err := push.TemplateNotification(map[string]string{"title": title})
		if err != nil {
			return // too large
		}
		if _, err := s.Send(context.Background(), n, push.Tags("t")); err != nil {
			t.Fatal(err)
		}
		var props map[string]string
		if err := json.Unmarshal(n.Body, &props); err != nil {
			t.Fatal(err)
		}
		got, ok := s.Take()[0].PayloadFor("h", "n")
		if want := compiled.Expand(props); !ok || !bytes.Equal(got, want) {
			t.Fatalf("payload %q, %v; want %q", got, ok, want)
		}
	})
}

// checkTemplateRefusal fails unless err is Register's refusal of a template
// CompileTemplate also refuses (or of an empty body), quoting its detail.
func checkTemplateRefusal(t *testing.T, err, compileErr error) {
	t.Helper()
	var pe, ce *push.Error
	if !errors.As(err, &pe) || !errors.Is(err, push.ErrInvalidTarget) || pe.Op != "memory: register" {
		t.Fatalf("refusal is not a memory: register *push.Error of kind ErrInvalidTarget: %#v", err)
	}
	if !errors.As(compileErr, &ce) {
		t.Fatalf("Register refused a template CompileTemplate compiles: %v", err)
	}
	if !strings.Contains(pe.Detail, "empty body") && !strings.Contains(pe.Detail, ce.Detail) {
		t.Fatalf("detail %q does not quote the compiler's %q", pe.Detail, ce.Detail)
	}
}
