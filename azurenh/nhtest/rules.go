package nhtest

import (
	"encoding/base64"
	"strings"
)

// Rights is a set of the claims a shared access rule grants, as the Azure portal
// shows them under "Access Policies". Combine them with |.
type Rights uint8

// The claims of Notification Hubs. Which operation needs which claim is listed in
// the package documentation.
const (
	// RightListen lets a device manage its own installation or registration.
	RightListen Rights = 1 << iota
	// RightSend lets a back end send and schedule notifications.
	RightSend
	// RightManage lets a back end read every registration and manage the hub.
	// Azure only grants Manage together with Send and Listen, and so does the
	// emulator: a rule with RightManage also has the other two.
	RightManage
)

// Has reports whether r includes every claim of want.
func (r Rights) Has(want Rights) bool { return r&want == want }

// String names the claims, as in "Listen, Send, Manage"; "none" for the empty set.
func (r Rights) String() string {
	var names []string
	for _, c := range [...]struct {
		r    Rights
		name string
	}{{RightListen, "Listen"}, {RightSend, "Send"}, {RightManage, "Manage"}} {
		if r.Has(c.r) {
			names = append(names, c.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// normalize adds the claims Azure implies: Manage comes with Send and Listen.
func (r Rights) normalize() Rights {
	if r.Has(RightManage) {
		r |= RightSend | RightListen
	}
	return r
}

// Rule is a shared access rule of the emulated hub: a name, the key that signs
// tokens and the claims it grants. Key is the key text exactly as it appears in a
// connection string; the emulator, like the service, signs with those bytes and
// never base64-decodes them.
type Rule struct {
	Name   string
	Key    string
	Rights Rights
}

// The rules every emulated hub has. The first two are the rules Azure creates with
// every hub; the third is the emulator's own, for clients that only send.
const (
	// FullRuleName grants Listen, Send and Manage: ConnectionString.
	FullRuleName = "DefaultFullSharedAccessSignature"
	// ListenRuleName grants Listen only: ListenConnectionString.
	ListenRuleName = "DefaultListenSharedAccessSignature"
	// SendRuleName grants Send only: SendConnectionString.
	SendRuleName = "DefaultSendSharedAccessSignature"
)

// keySize is the number of random bytes in a generated key; Azure's keys are 32
// bytes, written as 44 characters of base64.
const keySize = 32

// newKey returns a random key as Azure writes one: 32 random bytes in base64.
func (s *Server) newKey() string {
	b := make([]byte, keySize)
	s.random.read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// ruleByName finds a rule; names match case-sensitively, as the service's do.
func (s *Server) ruleByName(name string) (Rule, bool) {
	for _, r := range s.rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// connectionString builds the connection string of a rule.
func (s *Server) connectionString(r Rule) string {
	return "Endpoint=sb://" + s.host + "/;SharedAccessKeyName=" + r.Name + ";SharedAccessKey=" + r.Key
}
