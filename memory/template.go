package memory

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/pushwire/push"
)

// Payload is what one template of one registered device expands to.
type Payload struct {
	Handle   string        // the device's handle
	Template string        // the template's name in Device.Templates
	Platform push.Platform // the device's platform: the native format Body is for
	Body     []byte        // the template expanded with the notification's properties
}

// PayloadFor returns the Body of the Payload of the device with the given
// handle for its template of the given name, and whether d has that Payload:
// it has none for a native notification, a device the send did not reach, or
// a name the device has no template by. The Body belongs to d, which is the
// caller's copy.
func (d Delivery) PayloadFor(handle, template string) ([]byte, bool) {
	for _, p := range d.Payloads {
		if p.Handle == handle && p.Template == template {
			return p.Body, true
		}
	}
	return nil, false
}

// clonePayloads returns a deep copy of ps; nil stays nil.
func clonePayloads(ps []Payload) []Payload {
	if ps == nil {
		return nil
	}
	out := make([]Payload, len(ps))
	for i, p := range ps {
		p.Body = slices.Clone(p.Body)
		out[i] = p
	}
	return out
}

// namedTemplate is one of a registered device's templates, compiled once at
// Register.
type namedTemplate struct {
	name     string
	compiled *push.CompiledTemplate // immutable, safe to share
}

// compileTemplates compiles d's templates, in order of name, or says which
// one is wrong.
func compileTemplates(d Device) ([]namedTemplate, error) {
	if len(d.Templates) == 0 {
		return nil, nil
	}
	out := make([]namedTemplate, 0, len(d.Templates))
	for _, name := range slices.Sorted(maps.Keys(d.Templates)) {
		t, err := compileTemplate(d.Handle, name, d.Templates[name])
		if err != nil {
			return nil, err
		}
		out = append(out, namedTemplate{name: name, compiled: t})
	}
	return out, nil
}

func compileTemplate(handle, name, body string) (*push.CompiledTemplate, error) {
	switch {
	case name == "":
		return nil, registerError(fmt.Sprintf("device %.40q has a template with an empty name", handle))
	case body == "":
		return nil, registerError(fmt.Sprintf("device %.40q: template %q has an empty body", handle, name))
	}
	t, err := push.CompileTemplate(body)
	if err != nil {
		return nil, registerError(fmt.Sprintf("device %.40q: template %q does not compile: %s", handle, name, errorDetail(err)))
	}
	return t, nil
}

// errorDetail returns the Detail of the *push.Error err is, or its text.
func errorDetail(err error) string {
	if pe, ok := errors.AsType[*push.Error](err); ok && pe.Detail != "" {
		return pe.Detail
	}
	return err.Error()
}

// expand appends what d's templates expand to with props, in order of
// template name.
func (d *device) expand(out []Payload, props map[string]string) []Payload {
	for _, t := range d.templates {
		out = append(out, Payload{Handle: d.Handle, Template: t.name, Platform: d.Platform, Body: t.compiled.Expand(props)})
	}
	return out
}

// templateProperties decodes the body of a Template notification, a flat JSON
// object of strings. It never returns nil.
func templateProperties(body []byte) map[string]string {
	props := make(map[string]string)
	// push.Render has checked that body is such an object, so this cannot
	// fail; if it did, the properties it lacks would expand to "", as the
	// properties a send does not have do.
	_ = json.Unmarshal(body, &props)
	return props
}
