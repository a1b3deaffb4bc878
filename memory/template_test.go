package memory_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/memory"
	"github.com/pushwire/push/pushtest"
)

const (
	appleAlert  = `{"aps":{"alert":"$(title)","badge":"#(badge)"}}`
	appleClip   = `{"aps":{"alert":".(title, 8)"}}`
	fcmData     = `{"message":{"data":{"title":"$(Title)","link":"{'https://news.example/?q=' + %(title)}"}}}`
	windowsAttr = `<toast launch="$(title)"><visual><binding template="ToastText01"><text id="1">{'Score: ' + $(score)}</text></binding></visual></toast>`
)

// newsReaders registers, in this order: an iPhone with two templates, a
// Windows laptop, an Android phone, and an iPhone without templates; all follow
// "news", and only the Windows laptop follows "sports".
func newsReaders(t *testing.T) *memory.Sender {
	t.Helper()
	s := memory.New()
	for _, d := range []memory.Device{
		{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"news"},
			Templates: map[string]string{"short": appleClip, "alert": appleAlert}},
		{Handle: "bob-surface", Platform: push.Windows, Tags: []string{"news", "sports"},
			Templates: map[string]string{"toast": windowsAttr}},
		{Handle: "carol-pixel", Platform: push.FCMV1, Tags: []string{"news"},
			Templates: map[string]string{"data": fcmData}},
		{Handle: "dave-iphone", Platform: push.Apple, Tags: []string{"news", "sports"}},
	} {
		if err := s.Register(d); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// payload is a memory.Payload with a string body, for readable wants.
type payload struct {
	handle, template string
	platform         push.Platform
	body             string
}

func payloads(ps []memory.Payload) []payload {
	var out []payload
	for _, p := range ps {
		out = append(out, payload{p.Handle, p.Template, p.Platform, string(p.Body)})
	}
	return out
}

func TestTemplatePayloadsPerDevice(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]string
		to    push.Target
		want  []payload
	}{
		{"every device's templates, in Reached order then by name",
			map[string]string{"title": "Rain expected", "badge": "3", "score": "2-1"}, push.Tags("news"),
			[]payload{
				{"alice-iphone", "alert", push.Apple, `{"aps":{"alert":"Rain expected","badge":3}}`},
				{"alice-iphone", "short", push.Apple, `{"aps":{"alert":"Rain ..."}}`},
				{"bob-surface", "toast", push.Windows, `<toast launch="Rain expected"><visual><binding template="ToastText01"><text id="1">Score: 2-1</text></binding></visual></toast>`},
				{"carol-pixel", "data", push.FCMV1, `{"message":{"data":{"title":"Rain expected","link":"https://news.example/?q=Rain%20expected"}}}`},
			}},
		{"a device without templates gets none",
			map[string]string{"title": "Goal", "score": "1-0"}, push.Tags("sports"),
			[]payload{
				{"bob-surface", "toast", push.Windows, `<toast launch="Goal"><visual><binding template="ToastText01"><text id="1">Score: 1-0</text></binding></visual></toast>`},
			}},
		{"a missing property expands to nothing; a badge that is not a number stays a string",
			map[string]string{"badge": "many"}, push.Expression("news && !sports"),
			[]payload{
				{"alice-iphone", "alert", push.Apple, `{"aps":{"alert":"","badge":"many"}}`},
				{"alice-iphone", "short", push.Apple, `{"aps":{"alert":""}}`},
				{"carol-pixel", "data", push.FCMV1, `{"message":{"data":{"title":"","link":"https://news.example/?q="}}}`},
			}},
		{"values are escaped for JSON and XML",
			map[string]string{"TITLE": `"A" & <B>`, "score": "1<2"}, push.Tags("sports"),
			[]payload{
				{"bob-surface", "toast", push.Windows, `<toast launch="&quot;A&quot; &amp; &lt;B&gt;"><visual><binding template="ToastText01"><text id="1">Score: 1&lt;2</text></binding></visual></toast>`},
			}},
		{"a send no templated device gets", map[string]string{"title": "x"}, push.Tags("weather"), nil},
	}
	s := newsReaders(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := mustNotification(t)(push.TemplateNotification(c.props))
			if _, err := s.Send(context.Background(), n, c.to); err != nil {
				t.Fatal(err)
			}
			d := s.Take()[0]
			if got := payloads(d.Payloads); !reflect.DeepEqual(got, c.want) {
				t.Errorf("payloads\n got %+v\nwant %+v", got, c.want)
			}
			if d.Payloads != nil && d.Payloads[0].Handle != d.Reached[0] {
				t.Errorf("first payload for %s, first reached %s", d.Payloads[0].Handle, d.Reached[0])
			}
		})
	}
}

func TestNativeSendsHaveNoPayloads(t *testing.T) {
	s := newsReaders(t)
	apple := mustNotification(t)(push.AppleNotification(`{"aps":{"alert":"x"}}`))
	if _, err := s.Send(context.Background(), apple, push.Tags("news")); err != nil {
		t.Fatal(err)
	}
	d := s.Take()[0]
	if !reflect.DeepEqual(d.Reached, []string{"alice-iphone", "dave-iphone"}) || d.Payloads != nil {
		t.Errorf("reached %v with payloads %+v; want both iPhones and no payloads", d.Reached, payloads(d.Payloads))
	}
}

func TestTemplateSendWithoutDevicesHasNoPayloads(t *testing.T) {
	s := memory.New()
	n := mustNotification(t)(push.TemplateNotification(map[string]string{"title": "x"}))
	if _, err := s.Send(context.Background(), n, push.Broadcast()); err != nil {
		t.Fatal(err)
	}
	if d := s.Take()[0]; d.Reached != nil || d.Payloads != nil {
		t.Errorf("reached %v, payloads %v; want none", d.Reached, d.Payloads)
	}
}

func TestPayloadFor(t *testing.T) {
	s := newsReaders(t)
	n := mustNotification(t)(push.TemplateNotification(map[string]string{"title": "Hi", "badge": "1"}))
	if _, err := s.Send(context.Background(), n, push.Tags("news")); err != nil {
		t.Fatal(err)
	}
	d := s.Deliveries()[0]
	cases := []struct {
		name, handle, template string
		want                   string
		ok                     bool
	}{
		{"first template", "alice-iphone", "alert", `{"aps":{"alert":"Hi","badge":1}}`, true},
		{"second template", "alice-iphone", "short", `{"aps":{"alert":"Hi"}}`, true},
		{"another device", "carol-pixel", "data", `{"message":{"data":{"title":"Hi","link":"https://news.example/?q=Hi"}}}`, true},
		{"a template of another device", "alice-iphone", "toast", "", false},
		{"a device without templates", "dave-iphone", "alert", "", false},
		{"an unknown device", "erin-iphone", "alert", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := d.PayloadFor(c.handle, c.template)
			if string(got) != c.want || ok != c.ok {
				t.Errorf("PayloadFor(%q, %q) = %q, %v; want %q, %v", c.handle, c.template, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestRegisterRefusesTemplatesThatDoNotCompile(t *testing.T) {
	longHandle := strings.Repeat("h", 100)
	cases := []struct {
		name   string
		handle string
		body   string
	}{
		{"neither JSON nor XML", "h", "Hello"},
		{"broken JSON", "h", `{"aps":{"alert":"$(title)"}`},
		{"unclosed expression", "h", `{"aps":{"alert":"$(title"}}`},
		{"two expressions without braces", "h", `{"aps":{"alert":"$(a) $(b)"}}`},
		{"clip without a length", "h", `{"aps":{"alert":".(title)"}}`},
		{"two XML roots", "h", `<toast/><toast/>`},
		{"a long handle is clipped", longHandle, "Hello"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, compileErr := push.CompileTemplate(c.body)
			var want *push.Error
			if !errors.As(compileErr, &want) {
				t.Fatalf("CompileTemplate(%q) = %v, want a *push.Error", c.body, compileErr)
			}
			s := memory.New()
			err := s.Register(memory.Device{Handle: c.handle, Platform: push.Apple,
				Templates: map[string]string{"good": appleAlert, "bad one": c.body}})
			var pe *push.Error
			if !errors.Is(err, push.ErrInvalidTarget) || !errors.As(err, &pe) || pe.Op != "memory: register" {
				t.Fatalf("error %v, want a memory: register *push.Error of kind ErrInvalidTarget", err)
			}
			for _, part := range []string{c.handle[:min(len(c.handle), 40)], `template "bad one"`, want.Detail} {
				if !strings.Contains(pe.Detail, part) {
					t.Errorf("detail %q does not mention %q", pe.Detail, part)
				}
			}
			if strings.Contains(pe.Detail, c.handle[:min(len(c.handle), 41)]+`"`) && len(c.handle) > 40 {
				t.Errorf("detail %q has the handle unclipped", pe.Detail)
			}
			if len(s.Devices()) != 0 {
				t.Error("the device was registered")
			}
		})
	}
}

func TestRegisterRefusingATemplateKeepsTheDeviceItWouldReplace(t *testing.T) {
	s := newsReaders(t)
	err := s.Register(memory.Device{Handle: "alice-iphone", Platform: push.Apple, Templates: map[string]string{"alert": "{"}})
	if !errors.Is(err, push.ErrInvalidTarget) {
		t.Fatalf("error %v, want ErrInvalidTarget", err)
	}
	if got := s.Devices()[0].Templates["alert"]; got != appleAlert {
		t.Errorf("alice's alert template is %q, want the one registered first", got)
	}
}

func TestPayloadsAreCopies(t *testing.T) {
	s := newsReaders(t)
	n := mustNotification(t)(push.TemplateNotification(map[string]string{"title": "Hi", "badge": "1"}))
	if _, err := s.Send(context.Background(), n, push.Tags("news")); err != nil {
		t.Fatal(err)
	}
	want := payloads(s.Deliveries()[0].Payloads)
	// A test scribbles on what it got back, every way it can get it.
	for _, got := range [][]memory.Delivery{s.Deliveries(), s.ByDevice("alice-iphone"), s.ByPlatform(push.Template)} {
		got[0].Payloads[0].Body[0] = 'X'
		got[0].Payloads[1].Handle = "changed"
		got[0].Payloads = append(got[0].Payloads[:1], got[0].Payloads[2:]...)
	}
	waited, err := s.WaitFor(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	waited[0].Payloads[0].Body[1] = 'Y'
	if got := payloads(s.Take()[0].Payloads); !reflect.DeepEqual(got, want) {
		t.Errorf("kept payloads changed:\n got %+v\nwant %+v", got, want)
	}
}

func TestScheduledTemplateSendExpandsWhenDue(t *testing.T) {
	clock := pushtest.NewClock(start)
	s := memory.New(memory.WithClock(clock))
	register := func(template string) {
		t.Helper()
		err := s.Register(memory.Device{Handle: "alice-iphone", Platform: push.Apple, Tags: []string{"news"},
			Templates: map[string]string{"alert": template}})
		if err != nil {
			t.Fatal(err)
		}
	}
	register(appleAlert)
	n := mustNotification(t)(push.TemplateNotification(map[string]string{"title": "Morning news"}))
	if _, err := s.Schedule(context.Background(), n, push.Tags("news"), start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if p := s.Pending(); len(p) != 1 || p[0].Payloads != nil || p[0].Reached != nil {
		t.Fatalf("pending %+v, want one send without payloads", p)
	}
	register(appleClip) // the template the device has when the send falls due counts
	clock.Advance(time.Hour)
	got := payloads(s.Take()[0].Payloads)
	want := []payload{{"alice-iphone", "alert", push.Apple, `{"aps":{"alert":"Morni..."}}`}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("payloads\n got %+v\nwant %+v", got, want)
	}
}
