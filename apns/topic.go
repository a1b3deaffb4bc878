package apns

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/pushwire/push"
)

// topicSuffixes maps each push type APNs addresses with a suffixed topic to
// its suffix, and the types addressed by the bare bundle ID to "". mdm (whose
// topic is the UID of the MDM certificate) and types this client does not
// know are sent to the topic as given.
var topicSuffixes = map[string]string{
	"alert":        "",
	"background":   "",
	"location":     ".location-query",
	"voip":         ".voip",
	"complication": ".complication",
	"fileprovider": ".pushkit.fileprovider",
	"liveactivity": ".push-type.liveactivity",
	"pushtotalk":   ".voip-ptt",
	"widgets":      ".push-type.widgets",
}

// suffixOf returns the push-type suffix topic ends with, and the push type
// it belongs to; "", "" for a bare bundle ID.
func suffixOf(topic string) (suffix, pushType string) {
	for t, s := range topicSuffixes {
		if s != "" && strings.HasSuffix(topic, s) && len(topic) > len(s) {
			return s, t
		}
	}
	return "", ""
}

// resolveTopic returns the apns-topic of a push of pushType to base (a
// bundle ID, or a topic with its suffix): base with the push type's suffix
// appended when it is bare, base itself when it already ends with it, and
// an error when it ends with another type's suffix.
func resolveTopic(base, pushType string) (string, error) {
	want, known := topicSuffixes[pushType]
	if !known {
		return base, nil
	}
	have, haveType := suffixOf(base)
	switch {
	case have == want:
		return base, nil
	case have == "":
		return base + want, nil
	}
	bundle := strings.TrimSuffix(base, have)
	detail := "apns-topic " + quote(base) + " is the topic of " + haveType + " pushes, not of apns-push-type " + quote(pushType)
	if want == "" {
		detail += "; " + pushType + " pushes go to the bundle ID " + quote(bundle)
	} else {
		detail += "; they go to " + quote(bundle+want) + " (give the bare bundle ID and the suffix is added)"
	}
	return "", &push.Error{Op: opSend, Kind: push.ErrInvalidNotification, Detail: detail}
}

// topicHeaders returns, for the default topic, the apns-topic header value
// of each known push type whose topic it can be; nil when there is no
// default topic.
func topicHeaders(topic string) map[string][]string {
	if topic == "" {
		return nil
	}
	m := make(map[string][]string, len(topicSuffixes))
	for t := range topicSuffixes {
		if v, err := resolveTopic(topic, t); err == nil {
			m[t] = []string{v}
		}
	}
	return m
}

// pushTypeValues are the header values of derived push types, shared.
var pushTypeValues = map[string][]string{"alert": {"alert"}, "background": {"background"}}

// pushTypeOf returns the push type of env: its apns-push-type header, or when
// it has none the type APNs would infer from the payload (see derivePushType),
// and whether it was derived.
func pushTypeOf(env *push.Envelope) (pushType string, derived bool) {
	if v := env.Header[headerPushType]; len(v) > 0 {
		return v[0], false
	}
	return derivePushType(env.Body), true
}

// derivePushType returns "background" for a payload whose aps dictionary has
// content-available 1 and no alert, badge or sound, and "alert" for any
// other: the types Apple documents for such payloads.
func derivePushType(body []byte) string {
	var p struct {
		Aps struct {
			ContentAvailable json.RawMessage `json:"content-available"`
			Alert            json.RawMessage `json:"alert"`
			Badge            json.RawMessage `json:"badge"`
			Sound            json.RawMessage `json:"sound"`
		} `json:"aps"`
	}
	if json.Unmarshal(body, &p) != nil {
		return "alert"
	}
	a := p.Aps
	if bytes.Equal(a.ContentAvailable, []byte("1")) && a.Alert == nil && a.Badge == nil && a.Sound == nil {
		return "background"
	}
	return "alert"
}

// quote quotes s for an error, shortened.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "..."
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}
