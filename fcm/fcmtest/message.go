package fcmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The size limits of a message: its compact JSON, target left out.
const (
	MaxMessageSize      = 4096 // to a token or an FID
	MaxTopicMessageSize = 2048 // to a topic or a condition
)

// maxTTL is the longest android.ttl FCM takes: 4 weeks.
const maxTTL = 28 * 24 * 3600

// kind is the JSON type a message field must have.
type kind uint8

const (
	kString    kind = iota
	kBool           // true or false
	kInt            // a whole number
	kObject         // an object of the fields of sub
	kStringMap      // an object of strings
	kStrings        // an array of strings
	kAnyObject      // any object (a web notification, an APNs payload)
	kDuration       // a protobuf Duration string, "3.5s"
)

// field is a message field's type; sub lists an object's fields.
type field struct {
	kind kind
	sub  schema
}

// schema maps the fields of an object, by their proto (snake_case) names,
// to their types. JSON may also name them in lowerCamelCase.
type schema map[string]field

var (
	fcmOptions = schema{"analytics_label": {kind: kString}}

	androidNotification = schema{
		"title": {kind: kString}, "body": {kind: kString}, "icon": {kind: kString}, "color": {kind: kString},
		"sound": {kind: kString}, "tag": {kind: kString}, "click_action": {kind: kString},
		"body_loc_key": {kind: kString}, "body_loc_args": {kind: kStrings},
		"title_loc_key": {kind: kString}, "title_loc_args": {kind: kStrings},
		"channel_id": {kind: kString}, "ticker": {kind: kString}, "sticky": {kind: kBool},
		"event_time": {kind: kString}, "local_only": {kind: kBool}, "notification_priority": {kind: kString},
		"default_sound": {kind: kBool}, "default_vibrate_timings": {kind: kBool}, "default_light_settings": {kind: kBool},
		"vibrate_timings": {kind: kStrings}, "visibility": {kind: kString}, "notification_count": {kind: kInt},
		"light_settings": {kind: kAnyObject}, "image": {kind: kString}, "bypass_proxy_notification": {kind: kBool},
		"proxy": {kind: kString},
	}

	messageSchema = schema{
		"name":         {kind: kString},
		"data":         {kind: kStringMap},
		"notification": {kind: kObject, sub: schema{"title": {kind: kString}, "body": {kind: kString}, "image": {kind: kString}}},
		"android": {kind: kObject, sub: schema{
			"collapse_key": {kind: kString}, "priority": {kind: kString}, "ttl": {kind: kDuration},
			"restricted_package_name": {kind: kString}, "data": {kind: kStringMap},
			"notification": {kind: kObject, sub: androidNotification}, "fcm_options": {kind: kObject, sub: fcmOptions},
			"direct_boot_ok": {kind: kBool}, "bandwidth_constrained_ok": {kind: kBool}, "restricted_satellite_ok": {kind: kBool},
		}},
		"webpush": {kind: kObject, sub: schema{
			"headers": {kind: kStringMap}, "data": {kind: kStringMap}, "notification": {kind: kAnyObject},
			"fcm_options": {kind: kObject, sub: schema{"link": {kind: kString}, "analytics_label": {kind: kString}}},
		}},
		"apns": {kind: kObject, sub: schema{
			"headers": {kind: kStringMap}, "payload": {kind: kAnyObject},
			"fcm_options":         {kind: kObject, sub: schema{"analytics_label": {kind: kString}, "image": {kind: kString}}},
			"live_activity_token": {kind: kString},
		}},
		"fcm_options": {kind: kObject, sub: fcmOptions},
		"token":       {kind: kString},
		"topic":       {kind: kString},
		"condition":   {kind: kString},
		"fid":         {kind: kString},
	}
)

// durationPattern is a protobuf Duration in JSON: seconds, up to nine
// fractional digits, "s".
var durationPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,9})?s$`)

// snake returns the proto name of a JSON field name: lowerCamelCase becomes
// snake_case; a snake_case name stays.
func snake(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return 'A' <= r && r <= 'Z' }) < 0 {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			if i == 0 {
				return "_" + name // no proto field starts with a capital
			}
			b.WriteByte('_')
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// checkObject checks the members of obj against sc; path names obj in
// errors ("message", "message.android").
func checkObject(obj map[string]json.RawMessage, sc schema, path string) *apiError {
	for _, k := range sortedKeys(obj) {
		f, ok := sc[snake(k)]
		where := path + "." + k
		if !ok {
			return invalid(path, fmt.Sprintf("Invalid JSON payload received. Unknown name %q at '%s': Cannot find field.", k, path))
		}
		if err := checkValue(obj[k], f, where); err != nil {
			return err
		}
	}
	return nil
}

// checkValue checks one field's value.
func checkValue(v json.RawMessage, f field, where string) *apiError {
	v = bytes.TrimSpace(v)
	if string(v) == "null" {
		return nil
	}
	wrongType := func(want string) *apiError {
		return invalid(where, fmt.Sprintf("Invalid value at '%s' (%s), %s", where, want, clip(string(v), 60)))
	}
	switch f.kind {
	case kString, kDuration:
		var s string
		if json.Unmarshal(v, &s) != nil {
			return wrongType("TYPE_STRING")
		}
		if f.kind == kDuration && !durationPattern.MatchString(s) {
			return invalid(where, fmt.Sprintf("Invalid value at '%s' (type.googleapis.com/google.protobuf.Duration), Field '%s', Illegal duration format; duration must end with 's'", where, where))
		}
	case kBool:
		if string(v) != "true" && string(v) != "false" {
			return wrongType("TYPE_BOOL")
		}
	case kInt:
		if _, err := strconv.ParseInt(string(v), 10, 32); err != nil {
			return wrongType("TYPE_INT32")
		}
	case kStrings:
		var ss []string
		if json.Unmarshal(v, &ss) != nil {
			return wrongType("TYPE_STRING")
		}
	case kStringMap:
		return checkStringMap(v, where)
	case kObject, kAnyObject:
		var obj map[string]json.RawMessage
		if json.Unmarshal(v, &obj) != nil {
			return wrongType("TYPE_MESSAGE")
		}
		if f.kind == kObject {
			return checkObject(obj, f.sub, where)
		}
	}
	return nil
}

// checkStringMap checks a map<string, string>: an object of strings.
func checkStringMap(v json.RawMessage, where string) *apiError {
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil {
		return invalid(where, fmt.Sprintf("Invalid value at '%s' (type.googleapis.com/google.protobuf.Map), %s", where, clip(string(v), 60)))
	}
	for i, k := range sortedKeys(obj) {
		var s string
		if json.Unmarshal(obj[k], &s) != nil {
			at := fmt.Sprintf("%s[%d].value", where, i)
			return invalid(at, fmt.Sprintf("Invalid value at '%s' (TYPE_STRING), %s", at, clip(string(bytes.TrimSpace(obj[k])), 60)))
		}
	}
	return nil
}

// checkRules applies FCM's rules beyond types: reserved data keys, the TTL's
// range, the priority, an https link.
func checkRules(m map[string]any) *apiError {
	for _, path := range []string{"data", "android.data"} {
		for k := range asObject(lookup(m, path)) {
			if reservedDataKey(k) {
				return invalid("message."+path, fmt.Sprintf("Invalid data payload key: %q is reserved (from, message_type, google*, gcm*).", k))
			}
		}
	}
	if ttl, ok := lookup(m, "android.ttl").(string); ok {
		secs, _ := strconv.ParseFloat(strings.TrimSuffix(ttl, "s"), 64)
		if secs > maxTTL {
			return invalid("message.android.ttl", "The TTL is longer than 4 weeks (2419200s).")
		}
	}
	if p, ok := lookup(m, "android.priority").(string); ok && !strings.EqualFold(p, "normal") && !strings.EqualFold(p, "high") {
		return invalid("message.android.priority", fmt.Sprintf("Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), %q", clip(p, 40)))
	}
	if link, ok := lookup(m, "webpush.fcm_options.link").(string); ok && !strings.HasPrefix(link, "https://") {
		return invalid("message.webpush.fcm_options.link", "The link must be an https URL.")
	}
	return nil
}

// reservedDataKey reports the data keys FCM refuses.
func reservedDataKey(k string) bool {
	return k == "from" || k == "message_type" || strings.HasPrefix(k, "google") || strings.HasPrefix(k, "gcm")
}

// lookup returns the value at a dotted path of snake_case names, trying
// lowerCamelCase spellings too; nil when absent.
func lookup(m map[string]any, path string) any {
	var v any = m
	for _, name := range strings.Split(path, ".") {
		obj := asObject(v)
		if obj == nil {
			return nil
		}
		next, ok := obj[name]
		if !ok {
			next = obj[camel(name)]
		}
		v = next
	}
	return v
}

func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// camel returns the lowerCamelCase of a snake_case name.
func camel(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// messageSize is the length of the message's compact JSON without its
// target member.
func messageSize(raw map[string]json.RawMessage) int {
	n, members := 2, 0
	for k, v := range raw {
		switch snake(k) {
		case "token", "topic", "condition", "fid":
			continue
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(k)
		keyLen := buf.Len() - 1 // Encode ends with a newline
		buf.Reset()
		if json.Compact(&buf, v) != nil {
			buf.Write(v)
		}
		n += keyLen + 1 + buf.Len()
		members++
	}
	if members > 1 {
		n += members - 1
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
