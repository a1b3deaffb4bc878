package azurenh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pushwire/push"
)

// opPatch names installation patches in errors.
const opPatch = "azurenh: installation patch"

// PatchOperation is the verb of a JSON-Patch (RFC 6902) operation on an
// installation. The service takes these three.
type PatchOperation string

// The patch operations the service applies. Replace is a remove followed by an add.
const (
	PatchAdd     PatchOperation = "add"
	PatchRemove  PatchOperation = "remove"
	PatchReplace PatchOperation = "replace"
)

// PatchOp is one operation of an installation patch (PATCH
// /HUB/installations/ID, Content-Type application/json-patch+json). On the wire
// it is {"op":"add","path":"/tags","value":"sports"}.
//
// Value is a string, as the service takes it: a tag, a user ID, a handle, or the
// JSON text of an object (a template, headers, a browser subscription). Values,
// when not nil, is sent as a JSON array instead: the service takes an array of
// tags on tag paths. A remove carries no value.
//
// Build operations with the constructors (AddTag, RemoveTag, SetTags, SetUserID,
// SetPushChannel, AddTemplate, ...). They never fail: an operation built from
// bad input carries the error (see Err), which encodePatch returns before any
// I/O. A PatchOp is plain data, safe to share.
type PatchOp struct {
	Op     PatchOperation
	Path   string
	Value  string
	Values []string

	err error
}

// Err returns the error the operation was built with, or nil.
func (p PatchOp) Err() error { return p.err }

// patchJSON is the wire form of a PatchOp.
type patchJSON struct {
	Op    PatchOperation  `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value,omitempty"`
}

// MarshalJSON writes {"op","path","value"}; the value is left out of a remove.
func (p PatchOp) MarshalJSON() ([]byte, error) {
	w := patchJSON{Op: p.Op, Path: p.Path}
	if p.Op != PatchRemove {
		var err error
		if w.Value, err = p.valueJSON(); err != nil {
			return nil, err
		}
	}
	return marshalNoEscape(w)
}

func (p PatchOp) valueJSON() ([]byte, error) {
	if p.Values != nil {
		return marshalNoEscape(p.Values)
	}
	return marshalNoEscape(p.Value)
}

// marshalNoEscape marshals v as compact JSON without HTML escaping.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads an operation whose value is a string, an array of strings
// or absent.
func (p *PatchOp) UnmarshalJSON(b []byte) error {
	var w patchJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = PatchOp{Op: w.Op, Path: w.Path}
	if len(w.Value) == 0 || string(w.Value) == "null" {
		return nil
	}
	if w.Value[0] == '[' {
		p.Values = []string{}
		return json.Unmarshal(w.Value, &p.Values)
	}
	if err := json.Unmarshal(w.Value, &p.Value); err != nil {
		return fmt.Errorf("the value of %s must be a string or an array of strings", w.Path)
	}
	return nil
}

// patchError returns an error about a patch.
func patchError(format string, args ...any) *push.Error {
	return &push.Error{Op: opPatch, Kind: push.ErrInvalidTarget, Detail: fmt.Sprintf(format, args...)}
}

func patchFail(format string, args ...any) error { return patchError(format, args...) }

// badOp returns an operation that carries an error.
func badOp(op PatchOperation, path string, err error) PatchOp {
	return PatchOp{Op: op, Path: path, err: err}
}

// AddTag returns the operation that adds tag to the installation's tags (a tag
// it already has stays once).
func AddTag(tag string) PatchOp {
	if err := checkDeviceTag(tag, patchFail); err != nil {
		return badOp(PatchAdd, "/tags", err)
	}
	return PatchOp{Op: PatchAdd, Path: "/tags", Value: tag}
}

// AddTags returns the operation that adds every tag to the installation's tags,
// sent as one array.
func AddTags(tags ...string) PatchOp {
	return tagsOp(PatchAdd, "/tags", tags)
}

// SetTags returns the operation that replaces all the installation's tags with
// tags; with no tag, it removes them all.
func SetTags(tags ...string) PatchOp {
	if len(tags) == 0 {
		return PatchOp{Op: PatchRemove, Path: "/tags"}
	}
	return tagsOp(PatchReplace, "/tags", tags)
}

func tagsOp(op PatchOperation, path string, tags []string) PatchOp {
	if len(tags) == 0 {
		return badOp(op, path, patchError("%s %s needs at least one tag", op, path))
	}
	if err := checkDeviceTags("tags", tags, patchFail); err != nil {
		return badOp(op, path, err)
	}
	return PatchOp{Op: op, Path: path, Values: slices.Clone(tags)}
}

// RemoveTag returns the operation that removes tag from the installation's tags.
func RemoveTag(tag string) PatchOp {
	path := "/tags/" + escapePointer(tag)
	if err := checkDeviceTag(tag, patchFail); err != nil {
		return badOp(PatchRemove, path, err)
	}
	return PatchOp{Op: PatchRemove, Path: path}
}

// SetUserID returns the operation that sets the installation's user ID, making
// it reachable by push.User(id).
func SetUserID(id string) PatchOp {
	err := checkIdentifier("user ID", id, MaxUserIDLength, isUserIDByte, "letters, digits and _ @ # . : - =", patchFail)
	if err != nil {
		return badOp(PatchAdd, "/userId", err)
	}
	return PatchOp{Op: PatchAdd, Path: "/userId", Value: id}
}

// RemoveUserID returns the operation that removes the installation's user ID.
func RemoveUserID() PatchOp { return PatchOp{Op: PatchRemove, Path: "/userId"} }

// SetPushChannel returns the operation that replaces the device handle of an
// installation (any platform but browser). The service then clears
// PushChannelExpired.
func SetPushChannel(handle string) PatchOp {
	if err := push.Device(handle).Err(); err != nil {
		return badOp(PatchAdd, "/pushChannel", patchError("push channel: %s", errorDetail(err)))
	}
	return PatchOp{Op: PatchAdd, Path: "/pushChannel", Value: handle}
}

// SetBrowserPushChannel returns the operation that replaces the Web Push
// subscription of a browser installation; the value is the subscription's JSON
// text, {"endpoint","p256dh","auth"}.
func SetBrowserPushChannel(sub push.BrowserSubscription) PatchOp {
	if err := checkSubscription(sub, patchFail); err != nil {
		return badOp(PatchAdd, "/pushChannel", err)
	}
	text, err := BrowserChannel(sub).MarshalJSON()
	if err != nil {
		return badOp(PatchAdd, "/pushChannel", patchError("browser push channel: %v", err))
	}
	return PatchOp{Op: PatchAdd, Path: "/pushChannel", Value: string(text)}
}

// AddTemplate returns the operation that adds the template name, or replaces
// it whole; the value is the template's JSON text.
func AddTemplate(name string, t InstallationTemplate) PatchOp {
	path := "/templates/" + escapePointer(name)
	if err := checkPatchTemplate(name, t); err != nil {
		return badOp(PatchAdd, path, err)
	}
	text, err := marshalNoEscape(t)
	if err != nil {
		return badOp(PatchAdd, path, patchError("template %q: %v", name, err))
	}
	return PatchOp{Op: PatchAdd, Path: path, Value: string(text)}
}

// checkPatchTemplate checks what a template holds whatever the platform: a
// name, a body, valid tags and headers.
func checkPatchTemplate(name string, t InstallationTemplate) error {
	if err := checkTemplateName(name, patchFail); err != nil {
		return err
	}
	if t.Body == "" {
		return patchError("template %q has an empty body", name)
	}
	if err := checkDeviceTags(fmt.Sprintf("templates[%q].tags", name), t.Tags, patchFail); err != nil {
		return err
	}
	return checkTemplateHeaders("", fmt.Sprintf("template %q", name), t.Headers, patchFail)
}

// RemoveTemplate returns the operation that removes the template name.
func RemoveTemplate(name string) PatchOp {
	path := "/templates/" + escapePointer(name)
	if err := checkTemplateName(name, patchFail); err != nil {
		return badOp(PatchRemove, path, err)
	}
	return PatchOp{Op: PatchRemove, Path: path}
}

// SetTemplateBody returns the operation that replaces the body of the template
// name, keeping its headers and tags.
func SetTemplateBody(name, body string) PatchOp {
	path := "/templates/" + escapePointer(name) + "/body"
	if err := checkTemplateName(name, patchFail); err != nil {
		return badOp(PatchAdd, path, err)
	}
	if body == "" {
		return badOp(PatchAdd, path, patchError("template %q: the body is empty", name))
	}
	return PatchOp{Op: PatchAdd, Path: path, Value: body}
}

// AddTemplateTag returns the operation that adds tag to the tags of the
// template name.
func AddTemplateTag(name, tag string) PatchOp {
	path := "/templates/" + escapePointer(name) + "/tags"
	if err := checkTemplateName(name, patchFail); err != nil {
		return badOp(PatchAdd, path, err)
	}
	if err := checkDeviceTag(tag, patchFail); err != nil {
		return badOp(PatchAdd, path, err)
	}
	return PatchOp{Op: PatchAdd, Path: path, Value: tag}
}

// RemoveTemplateTag returns the operation that removes tag from the tags of the
// template name.
func RemoveTemplateTag(name, tag string) PatchOp {
	path := "/templates/" + escapePointer(name) + "/tags/" + escapePointer(tag)
	if err := checkTemplateName(name, patchFail); err != nil {
		return badOp(PatchRemove, path, err)
	}
	if err := checkDeviceTag(tag, patchFail); err != nil {
		return badOp(PatchRemove, path, err)
	}
	return PatchOp{Op: PatchRemove, Path: path}
}

// escapePointer escapes s as one JSON-Pointer (RFC 6901) segment.
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// unescapePointer reverses escapePointer.
func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// encodePatch returns the JSON body of an installation patch, after checking
// every operation: the error it was built with, a known verb, a path that
// starts with "/", and a value for add and replace. It refuses an empty patch.
// Errors are *push.Error of kind push.ErrInvalidTarget, naming the operation by
// its index.
func encodePatch(ops []PatchOp) ([]byte, error) {
	if len(ops) == 0 {
		return nil, patchError("the patch has no operation")
	}
	for i, op := range ops {
		if err := op.check(); err != nil {
			return nil, withIndex(err, i)
		}
	}
	return marshalNoEscape(ops)
}

// withIndex prefixes the detail of a patch error with the operation's index.
func withIndex(err error, i int) error {
	e, ok := err.(*push.Error)
	if !ok {
		return patchError("operation %d: %v", i, err)
	}
	c := *e
	c.Detail = fmt.Sprintf("operation %d: %s", i, e.Detail)
	return &c
}

// check checks the shape of p, not the installation it applies to.
func (p PatchOp) check() error {
	switch {
	case p.err != nil:
		return p.err
	case p.Op != PatchAdd && p.Op != PatchRemove && p.Op != PatchReplace:
		return patchError("op %q is not add, remove or replace", string(p.Op))
	case !strings.HasPrefix(p.Path, "/"):
		return patchError("path %s does not start with \"/\"", quoteShort(p.Path))
	case p.Op != PatchRemove && p.Values == nil && p.Value == "":
		return patchError("%s %s has no value", p.Op, p.Path)
	}
	return nil
}

// decodePatch reads the JSON body of an installation patch: an array of
// operations. Each operation is checked as encodePatch checks it.
func decodePatch(body []byte) ([]PatchOp, error) {
	var ops []PatchOp
	if err := json.Unmarshal(body, &ops); err != nil {
		return nil, patchError("the body is not a JSON-Patch array of {op, path, value}: %v", err)
	}
	if _, err := encodePatch(ops); err != nil {
		return nil, err
	}
	return ops, nil
}

// applyPatch returns a copy of in with ops applied, the way the service applies
// a patch (a test double of the service can use it); in is not modified. The
// service's rules, from its documentation:
//
//   - /pushChannel: add or replace sets the channel (for a browser installation,
//     the value is the subscription's JSON text) and clears PushChannelExpired;
//     it cannot be removed.
//   - /userId: add or replace sets it, remove clears it.
//   - /tags: add takes one tag (a string) or several (an array) and keeps each
//     tag once; remove drops them all; replace is both. /tags/TAG takes remove.
//   - /templates/NAME: add or replace sets the whole template (its JSON text),
//     remove drops it. /templates/NAME/body, /expiry and /headers (a JSON object
//     that replaces all the headers) take add, replace and remove;
//     /templates/NAME/tags and /templates/NAME/tags/TAG behave like /tags.
//   - /secondaryTiles/ID/pushChannel, /tags and /templates behave the same for
//     a WNS secondary tile.
//
// Path keywords match in any case; tags and names exactly. Removing what is not
// there is not an error. The result must pass Validate. The error, a *push.Error
// of kind push.ErrInvalidTarget, names the failing operation by its index.
func applyPatch(in Installation, ops []PatchOp) (Installation, error) {
	out := in.Clone()
	for i, op := range ops {
		if err := op.check(); err != nil {
			return Installation{}, withIndex(err, i)
		}
		if err := out.apply(op); err != nil {
			return Installation{}, withIndex(err, i)
		}
	}
	if err := out.Validate(); err != nil {
		return Installation{}, patchError("the patched installation is invalid: %s", errorDetail(err))
	}
	return out, nil
}

// apply applies one checked operation to in.
func (in *Installation) apply(op PatchOp) error {
	segs := splitPointer(op.Path)
	switch {
	case len(segs) == 1 && pathKeyword(segs[0], "pushChannel"):
		return in.applyChannel(op)
	case len(segs) == 1 && pathKeyword(segs[0], "userId"):
		return applyString(&in.UserID, op, true)
	case pathKeyword(segs[0], "tags"):
		return applyTags(&in.Tags, op, segs[1:])
	case pathKeyword(segs[0], "templates") && len(segs) > 1:
		return applyTemplate(&in.Templates, segs[1], op, segs[2:])
	case pathKeyword(segs[0], "secondaryTiles") && len(segs) > 1:
		return applyTile(&in.SecondaryTiles, segs[1], op, segs[2:])
	}
	return unknownPatchPath(op.Path)
}

func unknownPatchPath(path string) error {
	return patchError("path %s is not one the service patches (/pushChannel, /userId, /tags, /templates/NAME, /secondaryTiles/ID)", quoteShort(path))
}

// splitPointer splits a JSON Pointer into its unescaped segments; "/" gives [""].
func splitPointer(path string) []string {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for i, s := range segs {
		segs[i] = unescapePointer(s)
	}
	return segs
}

func pathKeyword(seg, name string) bool { return strings.EqualFold(seg, name) }

// patchStringValue returns the value of an operation that takes a string.
func patchStringValue(op PatchOp) (string, error) {
	if op.Values != nil {
		return "", patchError("the value of %s must be a string, not an array", op.Path)
	}
	return op.Value, nil
}

// applyString applies op to a string property; removable says whether remove
// may clear it.
func applyString(dst *string, op PatchOp, removable bool) error {
	if op.Op == PatchRemove {
		if !removable {
			return patchError("%s cannot be removed", op.Path)
		}
		*dst = ""
		return nil
	}
	v, err := patchStringValue(op)
	if err == nil {
		*dst = v
	}
	return err
}

func (in *Installation) applyChannel(op PatchOp) error {
	if op.Op == PatchRemove {
		return patchError("%s cannot be removed; delete the installation instead", op.Path)
	}
	v, err := patchStringValue(op)
	if err != nil {
		return err
	}
	if in.Platform == InstallationBrowser {
		if err := in.PushChannel.UnmarshalJSON([]byte(v)); err != nil || !in.PushChannel.IsBrowser() {
			return patchError(`the value of %s must be the JSON text of a browser subscription {"endpoint","p256dh","auth"}`, op.Path)
		}
	} else {
		in.PushChannel = HandleChannel(v)
	}
	if in.PushChannelExpired != nil {
		in.PushChannelExpired = new(bool)
	}
	return nil
}

// applyTags applies op to a tag list; rest is the path after "tags".
func applyTags(tags *[]string, op PatchOp, rest []string) error {
	switch {
	case len(rest) == 1 && op.Op == PatchRemove:
		*tags = nilIfEmpty(slices.DeleteFunc(*tags, func(t string) bool { return t == rest[0] }))
		return nil
	case len(rest) > 0:
		return patchError("%s takes only remove; add a tag with {\"op\":\"add\",\"path\":\"/tags\",\"value\":TAG}", op.Path)
	}
	if op.Op != PatchAdd {
		*tags = nil
	}
	if op.Op == PatchRemove {
		return nil
	}
	add := op.Values
	if add == nil {
		add = []string{op.Value}
	}
	for _, t := range add {
		if !slices.Contains(*tags, t) {
			*tags = append(*tags, t)
		}
	}
	return nil
}

func nilIfEmpty(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	return ss
}

// applyTemplate applies op to the template name; rest is the path after it.
func applyTemplate(templates *map[string]InstallationTemplate, name string, op PatchOp, rest []string) error {
	if len(rest) == 0 {
		return applyWhole(templates, name, op, "template")
	}
	t, ok := (*templates)[name]
	if !ok && op.Op == PatchRemove {
		return nil
	}
	if err := applyTemplatePart(&t, op, rest); err != nil {
		return err
	}
	setMapEntry(templates, name, t)
	return nil
}

// applyTemplatePart applies op to one part of a template.
func applyTemplatePart(t *InstallationTemplate, op PatchOp, rest []string) error {
	switch {
	case pathKeyword(rest[0], "tags"):
		return applyTags(&t.Tags, op, rest[1:])
	case len(rest) > 1:
		return unknownPatchPath(op.Path)
	case pathKeyword(rest[0], "body"):
		return applyString(&t.Body, op, true)
	case pathKeyword(rest[0], "expiry"):
		return applyString(&t.Expiry, op, true)
	case pathKeyword(rest[0], "headers"):
		return applyHeaders(&t.Headers, op)
	}
	return unknownPatchPath(op.Path)
}

// applyHeaders applies op to a template's headers: the value is a JSON object
// of strings that replaces them all.
func applyHeaders(headers *map[string]string, op PatchOp) error {
	*headers = nil
	if op.Op == PatchRemove {
		return nil
	}
	v, err := patchStringValue(op)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(v), headers); err != nil {
		return patchError("the value of %s must be the JSON text of an object of strings", op.Path)
	}
	return nil
}

// applyWhole adds, replaces or removes a whole entry of a map from the JSON
// text of op's value.
func applyWhole[T any](m *map[string]T, key string, op PatchOp, what string) error {
	if op.Op != PatchAdd {
		delete(*m, key)
		if len(*m) == 0 {
			*m = nil
		}
	}
	if op.Op == PatchRemove {
		return nil
	}
	v, err := patchStringValue(op)
	if err != nil {
		return err
	}
	var entry T
	if err := json.Unmarshal([]byte(v), &entry); err != nil {
		return patchError("the value of %s must be the JSON text of a %s: %v", op.Path, what, err)
	}
	setMapEntry(m, key, entry)
	return nil
}

func setMapEntry[T any](m *map[string]T, key string, v T) {
	if *m == nil {
		*m = make(map[string]T)
	}
	(*m)[key] = v
}

// applyTile applies op to the secondary tile id; rest is the path after it.
func applyTile(tiles *map[string]SecondaryTile, id string, op PatchOp, rest []string) error {
	if len(rest) == 0 {
		return applyWhole(tiles, id, op, "secondary tile")
	}
	t, ok := (*tiles)[id]
	if !ok && op.Op == PatchRemove {
		return nil
	}
	var err error
	switch {
	case len(rest) == 1 && pathKeyword(rest[0], "pushChannel"):
		err = applyString(&t.PushChannel, op, false)
	case pathKeyword(rest[0], "tags"):
		err = applyTags(&t.Tags, op, rest[1:])
	case pathKeyword(rest[0], "templates") && len(rest) > 1:
		err = applyTemplate(&t.Templates, rest[1], op, rest[2:])
	default:
		err = unknownPatchPath(op.Path)
	}
	if err == nil {
		setMapEntry(tiles, id, t)
	}
	return err
}
