package push

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// checkJSONObject checks that n's body is one well-formed JSON object.
func checkJSONObject(n Notification) error {
	body := bytes.TrimLeft(n.Body, " \t\r\n")
	if len(body) == 0 || body[0] != '{' {
		return invalid(ErrInvalidNotification, fmt.Sprintf("%s body must be a JSON object, starting with '{'", n.Platform))
	}
	if json.Valid(body) {
		return nil
	}
	return invalid(ErrInvalidNotification, fmt.Sprintf("%s body is not valid JSON: %s", n.Platform, jsonSyntax(n.Body)))
}

// jsonSyntax explains why b is not valid JSON, with the byte offset.
func jsonSyntax(b []byte) string {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	if err != nil {
		return err.Error()
	}
	return "unexpected content"
}

// fcmMessage is the part of an FCM v1 message whose shape is checked.
type fcmMessage struct {
	Data    map[string]json.RawMessage `json:"data"`
	Android *struct {
		Data map[string]json.RawMessage `json:"data"`
	} `json:"android"`
}

// checkFCMV1 checks the {"message":{...}} envelope and that data values are strings.
func checkFCMV1(n Notification) error {
	if err := checkJSONObject(n); err != nil {
		return err
	}
	if fcmV1OK(n.Body) {
		return nil
	}
	return checkFCMV1Decoded(n)
}

// checkFCMV1Decoded is checkFCMV1 by decoding: the authority, and the words
// of its errors.
func checkFCMV1Decoded(n Notification) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(n.Body, &top); err != nil {
		return invalid(ErrInvalidNotification, "fcmv1 body: "+err.Error())
	}
	raw, ok := top["message"]
	if !ok || len(top) != 1 {
		return invalid(ErrInvalidNotification, fmt.Sprintf(`fcmv1 body must be {"message":{...}} and nothing else; found keys %s`, keysOf(top)))
	}
	var m fcmMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return invalid(ErrInvalidNotification, "fcmv1 message: "+fcmShapeError(err))
	}
	if err := checkFCMData("message.data", m.Data); err != nil {
		return err
	}
	if m.Android != nil {
		return checkFCMData("message.android.data", m.Android.Data)
	}
	return nil
}

// fcmShapeError explains a decoding error of the message object.
func fcmShapeError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return "must be a JSON object"
		}
		return fmt.Sprintf("%s must be a JSON object, not %s", te.Field, te.Value)
	}
	return err.Error()
}

// checkFCMData checks FCM's rules for a data map: string values, no reserved keys.
func checkFCMData(where string, data map[string]json.RawMessage) error {
	for _, k := range sortedKeys(data) {
		if v := bytes.TrimSpace(data[k]); len(v) == 0 || v[0] != '"' {
			return invalid(ErrInvalidNotification, fmt.Sprintf("fcmv1 %s[%q] is %s; FCM data values must be strings", where, k, v))
		}
		if fcmReservedKey(k) {
			return invalid(ErrInvalidNotification, fmt.Sprintf("fcmv1 %s key %q is reserved by FCM", where, k))
		}
	}
	return nil
}

// fcmReservedKey reports the data keys FCM refuses.
func fcmReservedKey(k string) bool {
	switch k {
	case "from", "notification", "message_type":
		return true
	}
	return strings.HasPrefix(k, "google") || strings.HasPrefix(k, "gcm")
}

// checkTemplate checks that the body is a flat object of string properties whose
// names a template expression can use: [A-Za-z0-9_]{1,120}.
func checkTemplate(n Notification) error {
	if err := checkJSONObject(n); err != nil {
		return err
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(n.Body, &props); err != nil {
		return invalid(ErrInvalidNotification, "template body: "+err.Error())
	}
	for _, k := range sortedKeys(props) {
		if err := checkPropertyName(k); err != nil {
			return err
		}
		if v := bytes.TrimSpace(props[k]); v[0] != '"' {
			return invalid(ErrInvalidNotification, fmt.Sprintf("template property %q is %s; template properties must be strings", k, v))
		}
	}
	return nil
}

// MaxPropertyNameLength is the longest template property name.
const MaxPropertyNameLength = 120

func checkPropertyName(k string) error {
	if k == "" || len(k) > MaxPropertyNameLength {
		return invalid(ErrInvalidNotification, fmt.Sprintf("template property name %q must have 1 to %d characters", k, MaxPropertyNameLength))
	}
	for i, c := range k {
		if c >= utf8.RuneSelf || !propertyNameByte(byte(c)) {
			return invalid(ErrInvalidNotification, fmt.Sprintf("template property name %q has %q at byte %d; names use ASCII letters, digits and _", k, c, i+1))
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func keysOf[V any](m map[string]V) string {
	keys := sortedKeys(m)
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}
