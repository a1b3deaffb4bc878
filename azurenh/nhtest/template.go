package nhtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/pushwire/push"
)

// Payload is what one template of one installation or registration expands to for a template send.
// The Payloads of the Sends that Sends and Scheduled return are copies that the caller owns.
type Payload struct {
	ID       string        // the installation or registration ID, as in Send.Matched
	Template string        // the template's name in the installation; "" for a template registration (or its TemplateName if the registration has one)
	Handle   string        // the device's PNS handle
	Platform push.Platform // the device's platform (the native format the body is for)
	Body     []byte        // the template expanded with the send's properties
}

// clone returns a deep copy of p.
func (p Payload) clone() Payload {
	p.Body = bytes.Clone(p.Body)
	return p
}

// clonePayloads returns a deep copy of ps; nil stays nil.
func clonePayloads(ps []Payload) []Payload {
	if ps == nil {
		return nil
	}
	out := make([]Payload, len(ps))
	for i, p := range ps {
		out[i] = p.clone()
	}
	return out
}

// namedTemplate is a template as the emulator keeps it: compiled once, when the
// installation or registration is stored, and never modified.
type namedTemplate struct {
	name string   // the name in the installation; the TemplateName of a registration
	tags []string // the template's own tags; none for a registration
	body *push.CompiledTemplate
}

// compileInstallationTemplates compiles the templates of a validated
// installation, sorted by name. The error, the detail of a 400, names the first
// template (in name order) whose body does not compile.
func compileInstallationTemplates(templates map[string]InstallationTemplate) ([]namedTemplate, error) {
	if len(templates) == 0 {
		return nil, nil
	}
	out := make([]namedTemplate, 0, len(templates))
	for _, name := range slices.Sorted(maps.Keys(templates)) {
		t := templates[name]
		body, err := push.CompileTemplate(t.Body)
		if err != nil {
			return nil, detailError(sentence(fmt.Sprintf("The installation template %q does not compile: %s", name, detailOf(err))))
		}
		out = append(out, namedTemplate{name: name, tags: t.Tags, body: body})
	}
	return out, nil
}

// compileRegistrationTemplate compiles the BodyTemplate of a template
// registration. The error, the detail of a 400, names the registration's kind
// and, when it has one, its TemplateName.
func compileRegistrationTemplate(kind string, r Registration) (namedTemplate, error) {
	body, err := push.CompileTemplate(r.BodyTemplate)
	if err != nil {
		what := "the " + kind + descriptionSuffix
		if r.TemplateName != "" {
			what += fmt.Sprintf(" (TemplateName %q)", r.TemplateName)
		}
		return namedTemplate{}, detailError(sentence(fmt.Sprintf("The BodyTemplate of %s does not compile: %s", what, detailOf(err))))
	}
	return namedTemplate{name: r.TemplateName, body: body}, nil
}

// templateProperties decodes the body of a template send: a JSON object of
// strings. ok is false when it is not one.
func templateProperties(body []byte) (props map[string]string, ok bool) {
	if json.Unmarshal(body, &props) != nil {
		return nil, false
	}
	return props, true
}

// expandPayloads returns what each template of the devices reached receives:
// one Payload per template, in the order of devices, then of each device's
// templates (by name). It is nil when no device has a template, as for any
// send other than a template send.
func expandPayloads(devices []reached, props map[string]string) []Payload {
	n := 0
	for _, d := range devices {
		n += len(d.templates)
	}
	if n == 0 {
		return nil
	}
	out := make([]Payload, 0, n)
	for _, d := range devices {
		for _, t := range d.templates {
			out = append(out, Payload{ID: d.id, Template: t.name, Handle: d.handle,
				Platform: push.Platform(d.format), Body: t.body.Expand(props)})
		}
	}
	return out
}
