package azurenh_test

import (
	"encoding/json"
	"testing"

	"github.com/pushwire/push/azurenh"
)

// FuzzApplyPatch checks that decoding and applying any patch to any
// installation never panics, never modifies its input, is deterministic, and
// only ever yields a valid installation.
func FuzzApplyPatch(f *testing.F) {
	for _, p := range azurenh.InstallationPlatforms() {
		in, err := json.Marshal(sampleInstallation(p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(in, []byte(`[{"op":"add","path":"/tags","value":"news"},{"op":"remove","path":"/tags/sports"}]`))
	}
	f.Add([]byte(serviceInstallation), []byte(`[{"op":"replace","path":"/pushChannel","value":"{\"endpoint\":\"https://e/1\",\"p256dh\":\"k\",\"auth\":\"a\"}"}]`))
	f.Add([]byte(`{}`), []byte(`[{"op":"add","path":"/templates/t","value":"{\"body\":\"x\",\"tags\":[\"a\"]}"},{"op":"add","path":"/templates/t/headers","value":"{\"X-WNS-Type\":\"wns/toast\"}"}]`))
	f.Add([]byte(`{"platform":"wns"}`), []byte(`[{"op":"add","path":"/secondaryTiles/a/templates/b/tags","value":["x","y"]},{"op":"remove","path":"/secondaryTiles/a"}]`))
	f.Add([]byte(`null`), []byte(`[{"op":"remove","path":"/"}]`))
	f.Fuzz(func(t *testing.T, installation, patch []byte) {
		var in azurenh.Installation
		if json.Unmarshal(installation, &in) != nil {
			in = sampleInstallation(azurenh.InstallationAPNS)
		}
		ops, err := azurenh.DecodePatch(patch)
		if err != nil {
			return
		}
		before, _ := json.Marshal(in)
		got, err := azurenh.ApplyPatch(in, ops)
		after, _ := json.Marshal(in)
		if string(before) != string(after) {
			t.Fatalf("ApplyPatch modified its input:\n%s\n%s", before, after)
		}
		if err != nil {
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("ApplyPatch returned an invalid installation: %v", err)
		}
		again, err := azurenh.ApplyPatch(in, ops)
		if err != nil || !equalJSON(got, again) {
			t.Fatalf("ApplyPatch is not deterministic: %v", err)
		}
	})
}
