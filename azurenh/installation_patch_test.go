package azurenh_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

var sampleSubscription = push.BrowserSubscription{Endpoint: "https://push.example/sub?a=1&b=2", P256DH: "BKey", Auth: "secret"}

// TestEncodePatchGolden pins the JSON-Patch body of every constructor.
func TestEncodePatchGolden(t *testing.T) {
	cases := []struct {
		name string
		ops  []azurenh.PatchOp
	}{
		{"patch_tags", []azurenh.PatchOp{azurenh.AddTag("sports"), azurenh.AddTags("a", "b"), azurenh.RemoveTag("news"),
			azurenh.SetTags("x", "y"), azurenh.SetTags()}},
		{"patch_user_channel", []azurenh.PatchOp{azurenh.SetUserID("ada@example.com"), azurenh.RemoveUserID(),
			azurenh.SetPushChannel(sampleToken), azurenh.SetBrowserPushChannel(sampleSubscription)}},
		{"patch_templates", []azurenh.PatchOp{
			azurenh.AddTemplate("scores", azurenh.InstallationTemplate{Body: `<toast><visual><binding template="ToastText01"><text id="1">$(team)</text></binding></visual></toast>`,
				Headers: map[string]string{"X-WNS-Type": "wns/toast"}, Tags: []string{"scores"}}),
			azurenh.SetTemplateBody("scores", `{"aps":{"alert":"$(msg)"}}`), azurenh.AddTemplateTag("scores", "late"),
			azurenh.RemoveTemplateTag("scores", "early"), azurenh.RemoveTemplate("old")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, err := azurenh.EncodePatch(c.ops)
			require.NoError(t, err)
			checkMgmtGolden(t, c.name, body)
			back, err := azurenh.DecodePatch(body)
			require.NoError(t, err)
			again, err := azurenh.EncodePatch(back)
			require.NoError(t, err)
			assert.Equal(t, string(body), string(again), "a patch reads back as it was written")
		})
	}
}

func TestPatchWire(t *testing.T) {
	body, err := azurenh.EncodePatch([]azurenh.PatchOp{azurenh.AddTag("sports")})
	require.NoError(t, err)
	assert.Equal(t, `[{"op":"add","path":"/tags","value":"sports"}]`, string(body), "the form the documentation shows")
	body, err = azurenh.EncodePatch([]azurenh.PatchOp{azurenh.RemoveTag("sports")})
	require.NoError(t, err)
	assert.Equal(t, `[{"op":"remove","path":"/tags/sports"}]`, string(body), "a remove carries no value")
}

func TestPatchConstructorErrors(t *testing.T) {
	cases := []struct {
		name string
		op   azurenh.PatchOp
		want string
	}{
		{"AddTag reserved", azurenh.AddTag("$InstallationId:{x}"), `tag "$InstallationId:{x}" is reserved: the service adds the $InstallationId and $UserId tags itself`},
		{"AddTag space", azurenh.AddTag("a b"), `tag "a b": a space at column 2 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)`},
		{"AddTags none", azurenh.AddTags(), "add /tags needs at least one tag"},
		{"SetTags bad", azurenh.SetTags("ok", ""), "tags[1]: tag is empty; a tag has 1 to 120 characters"},
		{"RemoveTag empty", azurenh.RemoveTag(""), "tag is empty; a tag has 1 to 120 characters"},
		{"SetUserID", azurenh.SetUserID("a/b"), `user ID "a/b": "/" at column 2 is not allowed (allowed: letters, digits and _ @ # . : - =)`},
		{"SetPushChannel", azurenh.SetPushChannel(""), "push channel: device handle is empty"},
		{"SetBrowserPushChannel", azurenh.SetBrowserPushChannel(push.BrowserSubscription{Endpoint: "https://e/1"}),
			"browser push channel: browser subscription needs its P256DH and Auth keys"},
		{"AddTemplate body", azurenh.AddTemplate("t", azurenh.InstallationTemplate{}), `template "t" has an empty body`},
		{"AddTemplate name", azurenh.AddTemplate("a b", azurenh.InstallationTemplate{Body: "{}"}),
			`template name "a b": a space at column 2 is not allowed (no '/', '~', space or control character)`},
		{"AddTemplate header", azurenh.AddTemplate("t", azurenh.InstallationTemplate{Body: "{}", Headers: map[string]string{"X-A": ""}}),
			`template "t": header X-A has an empty value`},
		{"RemoveTemplate", azurenh.RemoveTemplate(""), "template name is empty"},
		{"SetTemplateBody", azurenh.SetTemplateBody("t", ""), `template "t": the body is empty`},
		{"AddTemplateTag", azurenh.AddTemplateTag("t", "a,b"), `tag "a,b": "," at column 2 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)`},
		{"RemoveTemplateTag", azurenh.RemoveTemplateTag("t~", "a"), `template name "t~": "~" at column 2 is not allowed (no '/', '~', space or control character)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			requireInvalid(t, c.op.Err(), "azurenh: installation patch", c.want)
			_, err := azurenh.EncodePatch([]azurenh.PatchOp{azurenh.AddTag("fine"), c.op})
			requireInvalid(t, err, "azurenh: installation patch", "operation 1: "+c.want)
		})
	}
}

func TestEncodePatchErrors(t *testing.T) {
	cases := []struct {
		name string
		ops  []azurenh.PatchOp
		want string
	}{
		{"empty", nil, "the patch has no operation"},
		{"verb", []azurenh.PatchOp{{Op: "move", Path: "/tags", Value: "a"}}, `operation 0: op "move" is not add, remove or replace`},
		{"path", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "tags", Value: "a"}}, `operation 0: path "tags" does not start with "/"`},
		{"value", []azurenh.PatchOp{{Op: azurenh.PatchReplace, Path: "/userId"}}, "operation 0: replace /userId has no value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := azurenh.EncodePatch(c.ops)
			requireInvalid(t, err, "azurenh: installation patch", c.want)
		})
	}
}

func TestDecodePatch(t *testing.T) {
	ops, err := azurenh.DecodePatch([]byte(`[{"op":"add","path":"/tags","value":["a","b"]},{"op":"remove","path":"/userId","value":null},{"op":"replace","path":"/pushChannel","value":"x"}]`))
	require.NoError(t, err)
	assert.Equal(t, []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/tags", Values: []string{"a", "b"}},
		{Op: azurenh.PatchRemove, Path: "/userId"}, {Op: azurenh.PatchReplace, Path: "/pushChannel", Value: "x"}}, ops)

	_, err = azurenh.DecodePatch([]byte(`{"op":"add"}`))
	requireInvalid(t, err, "azurenh: installation patch", "the body is not a JSON-Patch array of {op, path, value}: json: cannot unmarshal object into Go value of type []azurenh.PatchOp")
	_, err = azurenh.DecodePatch([]byte(`[{"op":"add","path":"/userId","value":{"a":1}}]`))
	requireInvalid(t, err, "azurenh: installation patch", "the body is not a JSON-Patch array of {op, path, value}: the value of /userId must be a string or an array of strings")
	_, err = azurenh.DecodePatch([]byte(`[]`))
	requireInvalid(t, err, "azurenh: installation patch", "the patch has no operation")
}

// patchBase is the installation the ApplyPatch cases start from.
func patchBase() azurenh.Installation {
	in := sampleInstallation(azurenh.InstallationAPNS)
	in.Templates["other"] = azurenh.InstallationTemplate{Body: `{"aps":{"alert":"other"}}`, Tags: []string{"t1", "t2"}}
	return in
}

func TestApplyPatch(t *testing.T) {
	cases := []struct {
		name string
		ops  []azurenh.PatchOp
		edit func(*azurenh.Installation)
	}{
		{"add tag", []azurenh.PatchOp{azurenh.AddTag("news")}, func(in *azurenh.Installation) { in.Tags = append(in.Tags, "news") }},
		{"add present tag", []azurenh.PatchOp{azurenh.AddTag("sports")}, func(*azurenh.Installation) {}},
		{"add tags", []azurenh.PatchOp{azurenh.AddTags("a", "sports", "b")}, func(in *azurenh.Installation) { in.Tags = append(in.Tags, "a", "b") }},
		{"remove tag", []azurenh.PatchOp{azurenh.RemoveTag("sports")}, func(in *azurenh.Installation) { in.Tags = []string{"city_Boston"} }},
		{"remove last tags", []azurenh.PatchOp{azurenh.RemoveTag("sports"), azurenh.RemoveTag("city_Boston")}, func(in *azurenh.Installation) { in.Tags = nil }},
		{"remove absent tag", []azurenh.PatchOp{azurenh.RemoveTag("absent")}, func(*azurenh.Installation) {}},
		{"set tags", []azurenh.PatchOp{azurenh.SetTags("x", "y")}, func(in *azurenh.Installation) { in.Tags = []string{"x", "y"} }},
		{"clear tags", []azurenh.PatchOp{azurenh.SetTags()}, func(in *azurenh.Installation) { in.Tags = nil }},
		{"replace tags with one", []azurenh.PatchOp{{Op: azurenh.PatchReplace, Path: "/tags", Value: "solo"}}, func(in *azurenh.Installation) { in.Tags = []string{"solo"} }},
		{"user ID", []azurenh.PatchOp{azurenh.SetUserID("bob")}, func(in *azurenh.Installation) { in.UserID = "bob" }},
		{"remove user ID", []azurenh.PatchOp{azurenh.RemoveUserID()}, func(in *azurenh.Installation) { in.UserID = "" }},
		{"path any case", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/UserId", Value: "carol"}}, func(in *azurenh.Installation) { in.UserID = "carol" }},
		{"channel", []azurenh.PatchOp{azurenh.SetPushChannel("00FF")}, func(in *azurenh.Installation) { in.PushChannel = azurenh.HandleChannel("00FF") }},
		{"template", []azurenh.PatchOp{azurenh.AddTemplate("new", azurenh.InstallationTemplate{Body: "{}", Tags: []string{"n"}})},
			func(in *azurenh.Installation) {
				in.Templates["new"] = azurenh.InstallationTemplate{Body: "{}", Tags: []string{"n"}}
			}},
		{"replace template", []azurenh.PatchOp{{Op: azurenh.PatchReplace, Path: "/templates/other", Value: `{"body":"{}"}`}},
			func(in *azurenh.Installation) { in.Templates["other"] = azurenh.InstallationTemplate{Body: "{}"} }},
		{"remove template", []azurenh.PatchOp{azurenh.RemoveTemplate("other")}, func(in *azurenh.Installation) { delete(in.Templates, "other") }},
		{"remove every template", []azurenh.PatchOp{azurenh.RemoveTemplate("other"), azurenh.RemoveTemplate("scores")}, func(in *azurenh.Installation) { in.Templates = nil }},
		{"template body", []azurenh.PatchOp{azurenh.SetTemplateBody("other", `{"aps":{}}`)}, func(in *azurenh.Installation) {
			t := in.Templates["other"]
			t.Body = `{"aps":{}}`
			in.Templates["other"] = t
		}},
		{"template tag", []azurenh.PatchOp{azurenh.AddTemplateTag("other", "t3"), azurenh.RemoveTemplateTag("other", "t1")}, func(in *azurenh.Installation) {
			t := in.Templates["other"]
			t.Tags = []string{"t2", "t3"}
			in.Templates["other"] = t
		}},
		{"template headers", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/templates/scores/headers", Value: `{"apns-priority":"5"}`}}, func(in *azurenh.Installation) {
			t := in.Templates["scores"]
			t.Headers = map[string]string{"apns-priority": "5"}
			in.Templates["scores"] = t
		}},
		{"template expiry", []azurenh.PatchOp{{Op: azurenh.PatchRemove, Path: "/templates/scores/expiry"}}, func(in *azurenh.Installation) {
			t := in.Templates["scores"]
			t.Expiry = ""
			in.Templates["scores"] = t
		}},
		{"remove part of absent template", []azurenh.PatchOp{{Op: azurenh.PatchRemove, Path: "/templates/none/tags"}}, func(*azurenh.Installation) {}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := patchBase()
			got, err := azurenh.ApplyPatch(base, c.ops)
			require.NoError(t, err)
			want := patchBase()
			c.edit(&want)
			assert.Equal(t, want, got)
			assert.Equal(t, patchBase(), base, "ApplyPatch does not modify its input")
		})
	}
}

func TestApplyPatchBrowserAndTiles(t *testing.T) {
	in := sampleInstallation(azurenh.InstallationBrowser)
	expired := true
	in.PushChannelExpired = &expired
	got, err := azurenh.ApplyPatch(in, []azurenh.PatchOp{azurenh.SetBrowserPushChannel(sampleSubscription)})
	require.NoError(t, err)
	assert.Equal(t, sampleSubscription, *got.PushChannel.Subscription)
	require.NotNil(t, got.PushChannelExpired)
	assert.False(t, *got.PushChannelExpired, "a new channel is not expired")

	wns := sampleInstallation(azurenh.InstallationWNS)
	got, err = azurenh.ApplyPatch(wns, []azurenh.PatchOp{
		{Op: azurenh.PatchAdd, Path: "/secondaryTiles/tile1/pushChannel", Value: sampleChannel + "3"},
		{Op: azurenh.PatchAdd, Path: "/secondaryTiles/tile1/tags", Value: "more"},
		{Op: azurenh.PatchAdd, Path: "/secondaryTiles/tile2", Value: `{"pushChannel":"` + sampleChannel + `4"}`},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]azurenh.SecondaryTile{
		"tile1": {PushChannel: sampleChannel + "3", Tags: []string{"tile", "more"}},
		"tile2": {PushChannel: sampleChannel + "4"},
	}, got.SecondaryTiles)
}

func TestApplyPatchErrors(t *testing.T) {
	cases := []struct {
		name string
		ops  []azurenh.PatchOp
		want string
	}{
		{"unknown path", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/platform", Value: "wns"}},
			`operation 0: path "/platform" is not one the service patches (/pushChannel, /userId, /tags, /templates/NAME, /secondaryTiles/ID)`},
		{"remove channel", []azurenh.PatchOp{{Op: azurenh.PatchRemove, Path: "/pushChannel"}},
			"operation 0: /pushChannel cannot be removed; delete the installation instead"},
		{"array user ID", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/userId", Values: []string{"a"}}},
			"operation 0: the value of /userId must be a string, not an array"},
		{"add to a tag path", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/tags/x", Value: "x"}},
			`operation 0: /tags/x takes only remove; add a tag with {"op":"add","path":"/tags","value":TAG}`},
		{"template JSON", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/templates/t", Value: "not json"}},
			"operation 0: the value of /templates/t must be the JSON text of a template: invalid character 'o' in literal null (expecting 'u')"},
		{"headers JSON", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/templates/scores/headers", Value: "[]"}},
			"operation 0: the value of /templates/scores/headers must be the JSON text of an object of strings"},
		{"template part", []azurenh.PatchOp{{Op: azurenh.PatchAdd, Path: "/templates/scores/priority", Value: "5"}},
			`operation 0: path "/templates/scores/priority" is not one the service patches (/pushChannel, /userId, /tags, /templates/NAME, /secondaryTiles/ID)`},
		{"invalid result", []azurenh.PatchOp{azurenh.AddTag("ok"), {Op: azurenh.PatchAdd, Path: "/tags", Value: "not ok"}},
			`the patched installation is invalid: tags[3]: tag "not ok": a space at column 4 is not allowed in a tag (allowed: letters, digits and _ @ # . : -)`},
		{"too many tags", []azurenh.PatchOp{azurenh.AddTags(manyTags(59)...)}, "the patched installation is invalid: 61 tags; an installation carries at most 60"},
		{"constructor error", []azurenh.PatchOp{azurenh.SetUserID("")}, "operation 0: user ID is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := azurenh.ApplyPatch(patchBase(), c.ops)
			requireInvalid(t, err, "azurenh: installation patch", c.want)
			assert.Equal(t, azurenh.Installation{}, got)
		})
	}
}

func TestApplyPatchBrowserChannelShape(t *testing.T) {
	_, err := azurenh.ApplyPatch(sampleInstallation(azurenh.InstallationBrowser), []azurenh.PatchOp{azurenh.SetPushChannel("https://e/1")})
	requireInvalid(t, err, "azurenh: installation patch", `operation 0: the value of /pushChannel must be the JSON text of a browser subscription {"endpoint","p256dh","auth"}`)
}

// TestPatchValueIsJSONText checks that object values travel as JSON text in a
// string, as the service takes them.
func TestPatchValueIsJSONText(t *testing.T) {
	op := azurenh.AddTemplate("t", azurenh.InstallationTemplate{Body: `{"a":"<b>"}`})
	var wire []map[string]any
	b, err := azurenh.EncodePatch([]azurenh.PatchOp{op})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &wire))
	value, ok := wire[0]["value"].(string)
	require.True(t, ok, "the value is a string")
	assert.Equal(t, `{"body":"{\"a\":\"<b>\"}"}`, value)
	assert.False(t, strings.Contains(string(b), `\u003c`), "no HTML escaping")
}
