package nhtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/pushwire/push"
)

// patchOp is one operation of a JSON Patch (RFC 6902).
type patchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value"`
}

// maxPatchOps bounds the work one PATCH request can ask for.
const maxPatchOps = 1000

// applyPatch applies a JSON Patch to a copy of in and returns it, validated. The
// operations are those the service documents: add, remove and replace (replace is
// remove then add) on
//
//	/pushChannel             a string; for a browser the subscription object
//	/userId                  a string
//	/tags                    add: a tag, or an array of tags (or its JSON text), added
//	                         to the tags; replace: the new tags; remove: every tag
//	/tags/{tag}              remove: that tag; add: add it
//	/pushVariables           an object of strings (or its JSON text)
//	/pushVariables/{name}    a string
//	/templates/{name}        a template object (or its JSON text)
//	/templates/{name}/body, /headers, /expiry, /tags, /tags/{tag}
//
// Removing the last tag removes the tags property. Values are JSON strings in the
// service's examples, with objects and arrays written as JSON text inside the
// string; real JSON objects and arrays are accepted too. The patch applies as a
// whole or not at all; the error is the detail of a 400.
func applyPatch(in Installation, body []byte) (Installation, error) {
	var ops []patchOp
	if err := json.Unmarshal(body, &ops); err != nil {
		return in, detailError("The patch is not a JSON array of operations {\"op\",\"path\",\"value\"}: " + err.Error())
	}
	if len(ops) > maxPatchOps {
		return in, detailf("The patch has %d operations; nhtest takes at most %d.", len(ops), maxPatchOps)
	}
	out := in.Clone()
	for i, op := range ops {
		if err := out.apply(op); err != nil {
			return in, detailf("Patch operation %d (%s %s): %v", i+1, op.Op, op.Path, err)
		}
	}
	if err := out.validate(); err != nil {
		return in, err
	}
	return out, nil
}

// apply applies one operation.
func (in *Installation) apply(op patchOp) error {
	kind := strings.ToLower(op.Op)
	if kind != "add" && kind != "remove" && kind != "replace" {
		return errors.New("the operation must be add, remove or replace")
	}
	path, err := splitPointer(op.Path)
	if err != nil {
		return err
	}
	p := patch{op: kind, path: path, value: op.Value}
	if p.op != "remove" && len(bytes.TrimSpace(op.Value)) == 0 {
		return errors.New("the operation has no value")
	}
	return in.applyAt(p)
}

// patch is an operation with its path split into reference tokens.
type patch struct {
	op    string
	path  []string
	value json.RawMessage
}

// splitPointer splits a JSON Pointer (RFC 6901) into its unescaped tokens.
func splitPointer(ptr string) ([]string, error) {
	if !strings.HasPrefix(ptr, "/") || len(ptr) == 1 {
		return nil, errors.New("the path must be a JSON pointer like /tags")
	}
	tokens := strings.Split(ptr[1:], "/")
	for i, t := range tokens {
		tokens[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(t)
	}
	return tokens, nil
}

// applyAt dispatches on the first path token.
func (in *Installation) applyAt(p patch) error {
	switch field := strings.ToLower(p.path[0]); {
	case field == "pushchannel" && len(p.path) == 1:
		return in.patchChannel(p)
	case field == "userid" && len(p.path) == 1:
		return patchString(p, &in.UserID)
	case field == "tags":
		return patchTags(p, p.path[1:], &in.Tags)
	case field == "pushvariables":
		return patchStringMap(p, p.path[1:], &in.PushVariables)
	case field == "templates" && len(p.path) >= 2:
		return in.patchTemplate(p)
	case field == "secondarytiles":
		return errors.New("nhtest does not emulate patches of secondaryTiles")
	case field == "installationid" || field == "platform":
		return errors.New("the property cannot be patched; PUT the installation instead")
	}
	return errors.New("the path names no property an installation patch may change")
}

func (in *Installation) patchChannel(p patch) error {
	if p.op == "remove" {
		return errors.New("pushChannel cannot be removed")
	}
	if in.Platform == push.Browser {
		var c PushChannel
		if err := json.Unmarshal(unwrapJSONText(p.value), &c); err != nil {
			return err
		}
		in.PushChannel = c
		return nil
	}
	var handle string
	if err := json.Unmarshal(p.value, &handle); err != nil {
		return errors.New("the value must be a string")
	}
	in.PushChannel = PushChannel{Handle: handle}
	return nil
}

// patchString applies an operation to a string property.
func patchString(p patch, dst *string) error {
	if p.op == "remove" {
		*dst = ""
		return nil
	}
	if err := json.Unmarshal(p.value, dst); err != nil {
		return errors.New("the value must be a string")
	}
	return nil
}

// patchTags applies an operation to a tag list; rest is the path after it.
func patchTags(p patch, rest []string, tags *[]string) error {
	switch {
	case len(rest) == 1 && p.op == "remove":
		*tags = slices.DeleteFunc(*tags, func(t string) bool { return t == rest[0] })
	case len(rest) == 1 && p.op == "add":
		*tags = appendNew(*tags, rest[0])
	case len(rest) > 0:
		return errors.New("a single tag can be added or removed, not replaced")
	case p.op == "remove":
		*tags = nil
	default:
		values, err := tagValues(p.value)
		if err != nil {
			return err
		}
		if p.op == "replace" {
			*tags = nil
		}
		*tags = appendNew(*tags, values...)
	}
	if len(*tags) == 0 {
		*tags = nil
	}
	return nil
}

// tagValues reads a tag value: a string, a JSON array of strings, or a string
// holding a JSON array (a tag cannot start with "[").
func tagValues(v json.RawMessage) ([]string, error) {
	v = unwrapJSONText(v)
	var one string
	if err := json.Unmarshal(v, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(v, &many); err != nil {
		return nil, errors.New("the value must be a tag or an array of tags")
	}
	return many, nil
}

// appendNew appends the tags that tags does not hold yet.
func appendNew(tags []string, add ...string) []string {
	for _, t := range add {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}

// patchStringMap applies an operation to a map of strings; rest is the path after it.
func patchStringMap(p patch, rest []string, m *map[string]string) error {
	switch {
	case len(rest) > 1:
		return errors.New("the path is too deep")
	case len(rest) == 1 && p.op == "remove":
		delete(*m, rest[0])
	case len(rest) == 1:
		var v string
		if err := json.Unmarshal(p.value, &v); err != nil {
			return errors.New("the value must be a string")
		}
		if *m == nil {
			*m = make(map[string]string)
		}
		(*m)[rest[0]] = v
	case p.op == "remove":
		*m = nil
	default:
		var v map[string]string
		if err := json.Unmarshal(unwrapJSONText(p.value), &v); err != nil {
			return errors.New("the value must be an object of strings")
		}
		*m = v
	}
	if len(*m) == 0 {
		*m = nil
	}
	return nil
}

// patchTemplate applies an operation under /templates/{name}.
func (in *Installation) patchTemplate(p patch) error {
	name, rest := p.path[1], p.path[2:]
	if len(rest) == 0 {
		return in.patchWholeTemplate(p, name)
	}
	t, ok := in.Templates[name]
	if !ok {
		return errorf("the installation has no template %q", name)
	}
	if err := patchTemplatePart(p, rest, &t); err != nil {
		return err
	}
	in.Templates[name] = t
	return nil
}

func (in *Installation) patchWholeTemplate(p patch, name string) error {
	if p.op == "remove" {
		delete(in.Templates, name)
		if len(in.Templates) == 0 {
			in.Templates = nil
		}
		return nil
	}
	var t InstallationTemplate
	if err := json.Unmarshal(unwrapJSONText(p.value), &t); err != nil {
		return errors.New("the value must be a template {\"body\",\"headers\",\"expiry\",\"tags\"}")
	}
	if in.Templates == nil {
		in.Templates = make(map[string]InstallationTemplate)
	}
	in.Templates[name] = t
	return nil
}

// patchTemplatePart applies an operation to a part of a template.
func patchTemplatePart(p patch, rest []string, t *InstallationTemplate) error {
	switch part := strings.ToLower(rest[0]); {
	case part == "body" && len(rest) == 1:
		return patchString(p, &t.Body)
	case part == "expiry" && len(rest) == 1:
		return patchString(p, &t.Expiry)
	case part == "headers":
		return patchStringMap(p, rest[1:], &t.Headers)
	case part == "tags":
		return patchTags(p, rest[1:], &t.Tags)
	}
	return errors.New("a template has body, headers, expiry and tags")
}

// unwrapJSONText returns the JSON text inside v when v is a JSON string holding an
// object or an array, as the service's examples write values; v otherwise.
func unwrapJSONText(v json.RawMessage) json.RawMessage {
	var s string
	if json.Unmarshal(v, &s) != nil {
		return v
	}
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		return json.RawMessage(t)
	}
	return v
}
