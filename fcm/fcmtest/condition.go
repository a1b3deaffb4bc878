package fcmtest

import (
	"fmt"
	"strings"
)

// MaxConditionTopics is the most topics FCM takes in a condition; each
// occurrence counts.
const MaxConditionTopics = 5

// Condition is a parsed FCM condition, such as
//
//	'TopicA' in topics && ('TopicB' in topics || 'TopicC' in topics)
//
// Parse one with ParseCondition. A Condition is immutable and safe for
// concurrent use.
type Condition struct {
	root   *condNode
	topics []string
}

// condNode is a node of a condition: a topic test, a negation, or a chain of
// operands joined by && and || in the order written.
type condNode struct {
	topic string      // a topic test when ops and operands are empty and not is nil
	not   *condNode   // !operand
	items []*condNode // a chain: items[0] ops[0] items[1] ops[1] ...
	ops   []string    // "&&" or "||", len(items)-1 of them
}

// ParseCondition parses an FCM condition as FCM does: topic tests
// 'NAME' in topics (single quotes; NAME as a topic name,
// [a-zA-Z0-9-_.~%]+), combined with !, && and || and parentheses, with
// spaces between tokens. At most MaxConditionTopics topics. The error says
// what is wrong and where, 1-based, in bytes.
func ParseCondition(s string) (*Condition, error) {
	p := condParser{src: s}
	p.space()
	root, err := p.chain(0)
	if err != nil {
		return nil, err
	}
	if p.space(); p.pos < len(p.src) {
		return nil, p.errorf("unexpected %q", p.src[p.pos:p.pos+1])
	}
	if len(p.topics) > MaxConditionTopics {
		return nil, fmt.Errorf("the condition has %d topics; at most %d", len(p.topics), MaxConditionTopics)
	}
	return &Condition{root: root, topics: p.topics}, nil
}

// Topics returns the topics the condition tests, one entry per occurrence,
// in order. The slice is the caller's.
func (c *Condition) Topics() []string { return append([]string(nil), c.topics...) }

// Match reports whether a device subscribed to the topics subscribed says
// yes to is reached, evaluating as FCM does: parentheses first, then left to
// right, && and || with no precedence over each other (so a || b && c is
// (a || b) && c).
func (c *Condition) Match(subscribed func(topic string) bool) bool {
	return c.root.eval(subscribed)
}

func (n *condNode) eval(subscribed func(string) bool) bool {
	switch {
	case n.not != nil:
		return !n.not.eval(subscribed)
	case len(n.items) == 0:
		return subscribed(n.topic)
	}
	v := n.items[0].eval(subscribed)
	for i, op := range n.ops {
		w := n.items[i+1].eval(subscribed)
		if op == "&&" {
			v = v && w
		} else {
			v = v || w
		}
	}
	return v
}

// Expression returns the condition as a tag expression of the core
// (push.ParseExpression), with the grouping of FCM's left-to-right
// evaluation written out in parentheses, and each topic replaced by
// tag(topic) (as it is when tag is nil). ParseExpression of the result
// matches exactly the devices Match does.
func (c *Condition) Expression(tag func(topic string) string) string {
	if tag == nil {
		tag = func(t string) string { return t }
	}
	var b strings.Builder
	c.root.write(&b, tag)
	return b.String()
}

func (n *condNode) write(b *strings.Builder, tag func(string) string) {
	switch {
	case n.not != nil:
		b.WriteString("!")
		n.not.writeOperand(b, tag)
		return
	case len(n.items) == 0:
		b.WriteString(tag(n.topic))
		return
	}
	// ((a op b) op c) op d: every operator groups what is on its left.
	for range len(n.ops) {
		b.WriteByte('(')
	}
	n.items[0].writeOperand(b, tag)
	for i, op := range n.ops {
		b.WriteString(" " + op + " ")
		n.items[i+1].writeOperand(b, tag)
		b.WriteByte(')')
	}
}

// writeOperand writes n where an operator's operand goes: in parentheses
// unless it is a topic.
func (n *condNode) writeOperand(b *strings.Builder, tag func(string) string) {
	if n.not == nil && len(n.items) == 0 {
		n.write(b, tag)
		return
	}
	b.WriteByte('(')
	n.write(b, tag)
	b.WriteByte(')')
}

// maxConditionDepth bounds the nesting of parentheses.
const maxConditionDepth = 32

type condParser struct {
	src    string
	pos    int
	topics []string
}

// chain reads operands joined by && and ||.
func (p *condParser) chain(depth int) (*condNode, error) {
	first, err := p.operand(depth)
	if err != nil {
		return nil, err
	}
	n := &condNode{items: []*condNode{first}}
	for {
		p.space()
		op := ""
		switch {
		case strings.HasPrefix(p.src[p.pos:], "&&"):
			op = "&&"
		case strings.HasPrefix(p.src[p.pos:], "||"):
			op = "||"
		default:
			if len(n.ops) == 0 {
				return first, nil
			}
			return n, nil
		}
		p.pos += 2
		p.space()
		next, err := p.operand(depth)
		if err != nil {
			return nil, err
		}
		n.items, n.ops = append(n.items, next), append(n.ops, op)
	}
}

func (p *condParser) operand(depth int) (*condNode, error) {
	if depth > maxConditionDepth {
		return nil, p.errorf("parentheses nested more than %d deep", maxConditionDepth)
	}
	if p.pos >= len(p.src) {
		return nil, p.errorf("expected a topic test, '(' or '!', found the end")
	}
	switch p.src[p.pos] {
	case '!':
		p.pos++
		p.space()
		inner, err := p.operand(depth + 1)
		if err != nil {
			return nil, err
		}
		return &condNode{not: inner}, nil
	case '(':
		p.pos++
		p.space()
		inner, err := p.chain(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.space(); p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return nil, p.errorf("expected ')'")
		}
		p.pos++
		return inner, nil
	case '\'':
		return p.topicTest()
	case '"':
		return nil, p.errorf("topic names go in single quotes, not double quotes")
	}
	return nil, p.errorf("expected a topic test, '(' or '!', found %q", p.src[p.pos:p.pos+1])
}

// topicTest reads 'NAME' in topics.
func (p *condParser) topicTest() (*condNode, error) {
	start := p.pos + 1
	end := strings.IndexByte(p.src[start:], '\'')
	if end < 0 {
		return nil, p.errorf("the topic name has no closing quote")
	}
	name := p.src[start : start+end]
	if !ValidTopic(name) {
		return nil, p.errorf("invalid topic name %q: want [a-zA-Z0-9-_.~%%]+", name)
	}
	p.pos = start + end + 1
	for _, word := range [...]string{"in", "topics"} {
		if !p.space() {
			return nil, p.errorf("expected a space before %q", word)
		}
		if !strings.HasPrefix(p.src[p.pos:], word) {
			return nil, p.errorf("expected %q", word)
		}
		p.pos += len(word)
	}
	if p.pos < len(p.src) && isWordByte(p.src[p.pos]) {
		return nil, p.errorf("expected \"topics\"")
	}
	p.topics = append(p.topics, name)
	return &condNode{topic: name}, nil
}

// space skips spaces and reports whether there were any.
func (p *condParser) space() bool {
	start := p.pos
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
	return p.pos > start
}

func (p *condParser) errorf(format string, args ...any) error {
	return fmt.Errorf("byte %d: %s", p.pos+1, fmt.Sprintf(format, args...))
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// ValidTopic reports whether name is a topic name FCM accepts:
// [a-zA-Z0-9-_.~%]+, without the /topics/ prefix.
func ValidTopic(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(isWordByte(c) || c == '-' || c == '.' || c == '~' || c == '%') {
			return false
		}
	}
	return true
}
