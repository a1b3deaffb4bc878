package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pushwire/push"
)

// compare explains the first difference between two Envelopes.
func compare(want, got push.Envelope) error {
	w, err := encodeEnvelopes([]push.Envelope{want})
	if err != nil {
		return err
	}
	g, err := encodeEnvelopes([]push.Envelope{sameTags(want, got)})
	if err != nil {
		return err
	}
	return diff(w, g)
}

// sameTags returns got with want's Tags when the two expressions select the
// same devices in the same way (equal canonical forms): a provider sends the
// author's text (Notification Hubs) or its own translation of it (an FCM
// condition), and a harness may read back either.
func sameTags(want, got push.Envelope) push.Envelope {
	if got.Tags != want.Tags && canonicalTags(got.Tags) == canonicalTags(want.Tags) && want.Tags != "" {
		got.Tags = want.Tags
	}
	return got
}

func canonicalTags(s string) string {
	e, err := push.ParseExpression(s)
	if err != nil {
		return "\x00" + s // never equal to a parsed expression's form
	}
	return e.String()
}

// mergeBatches joins the direct Envelopes that differ only in their devices
// into the first of them, its devices (and subscriptions) in the order the
// case made them: a provider may split a device list into several requests
// (Notification Hubs' batches of 1000, a direct provider's one per handle,
// sent concurrently). Other Envelopes keep their place. The input is not
// modified.
func mergeBatches(envs []push.Envelope) []push.Envelope {
	var out []push.Envelope
	for _, e := range envs {
		i := slices.IndexFunc(out, func(o push.Envelope) bool { return sameButDevices(o, e) })
		if i < 0 {
			out = append(out, e)
			continue
		}
		out[i].Devices = append(slices.Clip(out[i].Devices), e.Devices...)
		if e.Subscriptions != nil {
			out[i].Subscriptions = append(slices.Clip(out[i].Subscriptions), e.Subscriptions...)
		}
	}
	for i := range out {
		sortDevices(&out[i])
	}
	return out
}

func sameButDevices(a, b push.Envelope) bool {
	if len(a.Devices) == 0 || len(b.Devices) == 0 {
		return false
	}
	a.Devices, b.Devices, a.Subscriptions, b.Subscriptions = nil, nil, nil, nil
	return compare(a, b) == nil
}

// sortDevices orders e's canonical handles (and their subscriptions) as the
// case made them; handles that are not canonical go last, in their order.
func sortDevices(e *push.Envelope) {
	if len(e.Devices) < 2 {
		return
	}
	idx := make([]int, len(e.Devices))
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) int {
		if k := position(e.Devices[i]); k > 0 {
			return k
		}
		return int(^uint(0) >> 1)
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) < key(idx[b]) })
	devices := make([]string, len(idx))
	for i, j := range idx {
		devices[i] = e.Devices[j]
	}
	if len(e.Subscriptions) == len(e.Devices) {
		subs := make([]push.BrowserSubscription, len(idx))
		for i, j := range idx {
			subs[i] = e.Subscriptions[j]
		}
		e.Subscriptions = subs
	}
	e.Devices = devices
}

// compareGolden compares emitted Envelopes with the case's golden file. A
// retargeted case (see testCase.retarget) expects the golden's notification
// at the one device handle the suite sent it to: retarget is that handle's
// Envelope, whose addressing replaces the golden's.
func compareGolden(name string, got []push.Envelope, retarget *push.Envelope) error {
	raw, err := readGolden(name)
	if err != nil {
		return err
	}
	var want []goldenEnvelope
	if err := json.Unmarshal(raw, &want); err != nil {
		return fmt.Errorf("golden file %s does not parse: %v", goldenPath(name), err)
	}
	if retarget != nil && len(want) == 1 {
		want[0].Tags, want[0].Devices, want[0].Subscriptions = "", retarget.Devices, retarget.Subscriptions
	}
	gs := make([]goldenEnvelope, len(got))
	for i, e := range got {
		gs[i] = toGolden(e)
		if i < len(want) && gs[i].Tags != want[i].Tags && want[i].Tags != "" && canonicalTags(gs[i].Tags) == canonicalTags(want[i].Tags) {
			gs[i].Tags = want[i].Tags
		}
	}
	w, err := encodeGolden(want)
	if err != nil {
		return err
	}
	g, err := encodeGolden(gs)
	if err != nil {
		return fmt.Errorf("cannot encode what was emitted: %v", err)
	}
	if err := diff(w, g); err != nil {
		return fmt.Errorf("what it emitted differs from %s: %w", goldenPath(name), err)
	}
	return nil
}

// diff explains the first difference between two golden encodings.
func diff(want, got []byte) error {
	if bytes.Equal(want, got) {
		return nil
	}
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	return fmt.Errorf("first difference at line %d:\n  want: %s\n  got:  %s", i+1, lineAt(w, i), lineAt(g, i))
}

func lineAt(lines []string, i int) string {
	if i >= len(lines) {
		return "(end)"
	}
	return strings.TrimSpace(lines[i])
}
