package fcm

import (
	"fmt"
	"strings"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// MaxConditionTopics is the most topics FCM takes in one condition. Each
// occurrence of a tag in a tag expression counts.
const MaxConditionTopics = 5

// Topic returns the FCM topic name of a tag: the tag with every byte outside
// A-Z a-z 0-9 - _ . percent-encoded as %XX (upper-case hex), so that every tag
// the core accepts, reserved ones included, becomes a name FCM accepts
// ([a-zA-Z0-9-_.~%]+). Tags of letters, digits, - _ and . are their own topic:
//
//	Topic("sports")                   == "sports"
//	Topic("follows:RedSox")           == "follows%3ARedSox"
//	Topic("$InstallationId:{42}")     == "%24InstallationId%3A%7B42%7D"
//
// The mapping is reversible (url.PathUnescape gives the tag back), so two
// tags never share a topic. A send to push.Tags or push.Expression goes to
// the topics Topic names: an app subscribes each device to Topic(tag) for each
// tag it would carry at Notification Hubs (the Firebase SDK's
// subscribeToTopic, or the Instance ID API on a server).
func Topic(tag string) string {
	n := 0
	for i := 0; i < len(tag); i++ {
		if !plainTopicByte(tag[i]) {
			n++
		}
	}
	if n == 0 {
		return tag
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(tag)+2*n)
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		if plainTopicByte(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&0xF])
	}
	return string(b)
}

// plainTopicByte reports whether Topic keeps c as it is. '~' and '%' are in
// FCM's charset but no tag holds them: '%' starts an escape, and '~' is
// escaped too so that the mapping is the one url.PathEscape undoes.
func plainTopicByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
}

// condition returns the FCM target of a canonical tag expression (the Tags
// of a rendered push.Envelope): the topic of a single tag, or else an FCM
// condition, with each tag written as 'Topic(tag)' in topics:
//
//	sports                  topic "sports"
//	a || b                  condition "'a' in topics || 'b' in topics"
//	a && !b                 condition "'a' in topics && !('b' in topics)"
//	a || b && c             condition "'a' in topics || ('b' in topics && 'c' in topics)"
//
// FCM evaluates a condition's parentheses first, then left to right, with no
// precedence between && and ||; condition parenthesises every operand that
// mixes operators, so that FCM reaches exactly the devices the core's
// precedence (! before && before ||) says. A condition holds at most
// MaxConditionTopics topics; more gives a *push.Error of kind
// push.ErrInvalidTarget.
func condition(expr string) (topic, condition string, err error) {
	p := conditionParser{src: expr}
	n, err := p.parse()
	if err != nil {
		return "", "", err
	}
	if p.tags == 1 && n.kind == nodeTag {
		return n.topic, "", nil
	}
	if p.tags > MaxConditionTopics {
		return "", "", &push.Error{Op: opSend, Kind: push.ErrInvalidTarget, Detail: fmt.Sprintf(
			"the tag expression %q has %d tags; an FCM condition takes at most %d topics (each occurrence counts): send several times, or give the devices a common topic",
			httpx.Clip(expr, 200), p.tags, MaxConditionTopics)}
	}
	return "", n.text, nil
}

// The kinds of translated operand, which decide where parentheses go.
const (
	nodeTag = iota // 'topic' in topics
	nodeNot        // !(...)
	nodeAnd        // x && y && ...
	nodeOr         // x || y || ...
)

// condNode is a translated operand: its condition text and its kind (and
// for a tag, its topic).
type condNode struct {
	text  string
	kind  int
	topic string
}

// conditionParser reads a canonical tag expression, as push.Expr.String
// writes it, and translates it as it goes. The input was checked by
// push.ParseExpression, so the grammar is the canonical one:
//
//	or    = and {" || " and}
//	and   = unary {" && " unary}
//	unary = {"!"} primary
//	primary = tag | "(" or ")"
type conditionParser struct {
	src  string
	pos  int
	tags int
}

func (p *conditionParser) parse() (condNode, error) {
	p.skipSpace()
	n, err := p.chain(nodeOr)
	if err != nil {
		return condNode{}, err
	}
	if p.skipSpace(); p.pos != len(p.src) {
		return condNode{}, p.errorf("unexpected %q", p.src[p.pos:p.pos+1])
	}
	return n, nil
}

// chain reads operands joined by the operator of kind (|| or &&).
func (p *conditionParser) chain(kind int) (condNode, error) {
	op, operand := "||", func() (condNode, error) { return p.chain(nodeAnd) }
	if kind == nodeAnd {
		op, operand = "&&", p.unary
	}
	first, err := operand()
	if err != nil {
		return condNode{}, err
	}
	parts := []string{wrap(first, kind)}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.pos:], op) {
			break
		}
		p.pos += len(op)
		p.skipSpace()
		next, err := operand()
		if err != nil {
			return condNode{}, err
		}
		parts = append(parts, wrap(next, kind))
	}
	if len(parts) == 1 {
		return first, nil
	}
	return condNode{text: strings.Join(parts, " "+op+" "), kind: kind}, nil
}

// wrap returns the text of n as an operand of an op node: in parentheses
// when n mixes in the other operator, since FCM gives && and || no
// precedence.
func wrap(n condNode, op int) string {
	if (n.kind == nodeAnd || n.kind == nodeOr) && n.kind != op {
		return "(" + n.text + ")"
	}
	return n.text
}

func (p *conditionParser) unary() (condNode, error) {
	nots := 0
	for p.pos < len(p.src) && p.src[p.pos] == '!' {
		nots++
		p.pos++
		p.skipSpace()
	}
	n, err := p.primary()
	if err != nil || nots%2 == 0 {
		// An even number of "!" cancels out.
		return n, err
	}
	return condNode{text: "!(" + n.text + ")", kind: nodeNot}, nil
}

func (p *conditionParser) primary() (condNode, error) {
	if p.pos < len(p.src) && p.src[p.pos] == '(' {
		p.pos++
		p.skipSpace()
		n, err := p.chain(nodeOr)
		if err != nil {
			return condNode{}, err
		}
		if p.skipSpace(); p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return condNode{}, p.errorf("expected %q", ")")
		}
		p.pos++
		return n, nil
	}
	start := p.pos
	for p.pos < len(p.src) && !isDelimiter(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		return condNode{}, p.errorf("expected a tag")
	}
	p.tags++
	topic := Topic(p.src[start:p.pos])
	return condNode{text: "'" + topic + "' in topics", kind: nodeTag, topic: topic}, nil
}

func (p *conditionParser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
}

// isDelimiter reports whether c ends a tag.
func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '(', ')', '!', '&', '|':
		return true
	}
	return false
}

func (p *conditionParser) errorf(format string, args ...any) error {
	return &push.Error{Op: opSend, Kind: push.ErrInvalidTarget, Detail: fmt.Sprintf("tag expression %q, byte %d: ", httpx.Clip(p.src, 200), p.pos+1) + fmt.Sprintf(format, args...)}
}
