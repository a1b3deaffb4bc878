package push

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The limits Azure Notification Hubs puts on tags and tag expressions. ParseExpression,
// ValidateTag and the Tags and Expression targets enforce them before any I/O.
const (
	// MaxTagLength is the most characters one tag may have, reserved tags included.
	MaxTagLength = 120
	// MaxOrTags is the most tags an expression may have when its only operator is ||.
	MaxOrTags = 20
	// MaxExpressionTags is the most tags an expression may have when it uses && or !.
	MaxExpressionTags = 6
	// MaxDeviceTags is the most tags one device (installation or registration)
	// may carry.
	MaxDeviceTags = 60
	// MaxExpressionLength is the longest tag expression accepted, in bytes: room
	// for MaxOrTags tags of MaxTagLength characters and their operators, with
	// whitespace to spare. Anything longer is refused before it is parsed.
	MaxExpressionLength = 4096
)

// maxNesting is the deepest nesting of parentheses ParseExpression accepts.
const maxNesting = 64

// The prefixes of the reserved tags that address one installation or one user.
const (
	installationPrefix = "$InstallationId:"
	userPrefix         = "$UserId:"
)

// Expr is a parsed tag expression: tags combined with || (or), && (and), ! (not)
// and parentheses, as in
//
//	(follows_RedSox || follows_Cardinals) && location_Boston
//
// Build one with ParseExpression. A parsed *Expr is immutable and safe for concurrent
// use by any number of goroutines. The zero Expr is empty: its String is "" and it
// matches no device.
type Expr struct {
	nodes []exprNode // post-order: children before their parent, the root last
	tags  []string   // the tag leaves, in order of appearance
	str   string     // the canonical form
	text  string     // as written, made safe for a header (see Text)
}

// nodeKind is the kind of a node of an Expr.
type nodeKind uint8

const (
	kindTag nodeKind = iota
	kindNot
	kindAnd
	kindOr
)

// exprNode is one node of an Expr. The subtree of the node at index i is nodes[start:i+1];
// its children are the subtrees that end at i-1, at start(i-1)-1, and so on, last child
// first.
type exprNode struct {
	tag   string // kindTag: the tag
	start int    // index of the first node of this subtree
	n     int    // kindNot: how many "!"; kindAnd, kindOr: how many children
	kind  nodeKind
}

// ParseExpression parses a tag expression and checks it against the service's limits.
//
// Grammar: tags combined with || (or), && (and), ! (not, prefix, may repeat) and
// parentheses, with any whitespace (space, tab, newline, carriage return) between
// tokens. ! binds tighter than &&, which binds tighter than ||. A tag is 1 to
// MaxTagLength characters of A-Z a-z 0-9 _ @ # . : - or one of the reserved forms
// $InstallationId:{ID} and $UserId:{ID}, whose ID may also contain "=". Tags are
// case-sensitive. An expression that uses only || may hold MaxOrTags tags; one that
// uses && or ! may hold MaxExpressionTags. Each occurrence of a tag counts.
//
// Every error is a *Error of kind ErrInvalidTarget whose detail gives the 1-based
// column in s of the problem, counted in characters, and says what was expected
// there, as in `column 6: expected a tag, "(" or "!" after "&&", found end of
// expression`. Input of any length or content is safe: nesting deeper than 64
// parentheses is refused, and time and memory grow no faster than the input.
func ParseExpression(s string) (*Expr, error) {
	if len(s) > MaxExpressionLength {
		return nil, invalid(ErrInvalidTarget, fmt.Sprintf("tag expression is %d bytes; at most %d are accepted", len(s), MaxExpressionLength))
	}
	p := exprParser{
		lex:   exprLexer{src: s},
		nodes: make([]exprNode, 0, 2*MaxExpressionTags),
		tags:  make([]string, 0, MaxExpressionTags),
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, invalid(ErrInvalidTarget, "empty tag expression; use push.Broadcast() to reach every device")
	}
	if err := p.parseBinary(kindOr); err != nil {
		return nil, err
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	if err := p.checkLimits(); err != nil {
		return nil, err
	}
	e := &Expr{nodes: slices.Clip(p.nodes), tags: slices.Clip(p.tags)}
	e.str = e.render()
	e.text = headerText(s)
	return e, nil
}

// headerText returns a parsed expression as written, trimmed, with each tab,
// carriage return and line feed turned into a space so that it fits in a
// header. Tokens, parentheses and spacing are kept: the service evaluates
// exactly what the author wrote.
func headerText(s string) string {
	s = strings.Trim(s, " \t\r\n")
	if !strings.ContainsAny(s, "\t\r\n") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// Text returns the expression as its author wrote it, trimmed, with tabs
// and line breaks turned into spaces: what Render puts in Envelope.Tags and a
// provider sends, so the service evaluates the author's expression, not a
// rewriting of it. Text does not allocate.
func (e *Expr) Text() string {
	if e == nil {
		return ""
	}
	return e.text
}

// String returns the canonical form of the expression: chains of one operator
// flattened, operators written " || " and " && ", "!" directly before its operand,
// and parentheses only where precedence needs them. ParseExpression of the canonical
// form yields the same canonical form and matches the same devices. String does not
// allocate.
func (e *Expr) String() string {
	if e == nil {
		return ""
	}
	return e.str
}

// Tags returns the tag leaves of the expression in order of appearance, one entry per
// occurrence. The slice is a fresh copy that the caller owns.
func (e *Expr) Tags() []string {
	if e == nil {
		return nil
	}
	return slices.Clone(e.tags)
}

// Match reports whether a device that carries exactly deviceTags is reached by the
// expression. Tags compare byte for byte. Match does not allocate and does not retain
// or modify deviceTags.
func (e *Expr) Match(deviceTags []string) bool {
	return e.MatchFunc(func(tag string) bool { return slices.Contains(deviceTags, tag) })
}

// MatchFunc reports whether a device is reached by the expression, where has reports
// whether the device carries a tag. has must not be nil; it may be called for any
// subset of the expression's tags, in any order, and must answer consistently.
// MatchFunc does not allocate.
func (e *Expr) MatchFunc(has func(tag string) bool) bool {
	if e == nil || len(e.nodes) == 0 {
		return false
	}
	return e.eval(len(e.nodes)-1, has)
}

// eval evaluates the subtree whose root is nodes[i].
func (e *Expr) eval(i int, has func(string) bool) bool {
	nd := &e.nodes[i]
	switch nd.kind {
	case kindTag:
		return has(nd.tag)
	case kindNot:
		return e.eval(i-1, has) != (nd.n%2 == 1)
	}
	// && stops at the first false child, || at the first true one.
	stop := nd.kind == kindOr
	for j, k := i-1, 0; k < nd.n; j, k = e.nodes[j].start-1, k+1 {
		if e.eval(j, has) == stop {
			return stop
		}
	}
	return !stop
}

// render returns the canonical form; see String.
func (e *Expr) render() string {
	var b strings.Builder
	b.Grow(e.renderedLen(len(e.nodes) - 1))
	e.write(&b, len(e.nodes)-1)
	return b.String()
}

// renderedLen returns an upper bound of the length of the canonical form of the
// subtree whose root is nodes[i]: its tags, its "!" and, per node, an operator and
// a pair of parentheses.
func (e *Expr) renderedLen(i int) int {
	n := 0
	for _, nd := range e.nodes[e.nodes[i].start : i+1] {
		n += len(nd.tag) + len(" && ") + len("()")
		if nd.kind == kindNot {
			n += nd.n
		}
	}
	return n
}

// write writes the subtree whose root is nodes[i].
func (e *Expr) write(b *strings.Builder, i int) {
	nd := &e.nodes[i]
	switch nd.kind {
	case kindTag:
		b.WriteString(nd.tag)
	case kindNot:
		for range nd.n {
			b.WriteByte('!')
		}
		e.writeOperand(b, i-1, kindNot)
	default:
		e.writeChildren(b, i-1, nd.n, nd.kind)
	}
}

// writeChildren writes the n children of an op node, the last of which ends at
// nodes[last], first child first.
func (e *Expr) writeChildren(b *strings.Builder, last, n int, op nodeKind) {
	if n > 1 {
		e.writeChildren(b, e.nodes[last].start-1, n-1, op)
		b.WriteString(op.separator())
	}
	e.writeOperand(b, last, op)
}

// writeOperand writes the subtree at nodes[i] as an operand of op, in parentheses when
// precedence needs them.
func (e *Expr) writeOperand(b *strings.Builder, i int, op nodeKind) {
	child := e.nodes[i].kind
	if child == kindOr && op != kindOr || child == kindAnd && op == kindNot {
		b.WriteByte('(')
		e.write(b, i)
		b.WriteByte(')')
		return
	}
	e.write(b, i)
}

// separator is how the canonical form joins the operands of an && or || node.
func (k nodeKind) separator() string {
	if k == kindAnd {
		return " && "
	}
	return " || "
}

// token returns the operator token of an && or || node.
func (k nodeKind) token() tokKind {
	if k == kindAnd {
		return tokAnd
	}
	return tokOr
}

// ValidateTag reports whether tag is a tag the service accepts: 1 to MaxTagLength
// characters of A-Z a-z 0-9 _ @ # . : -, or a reserved $InstallationId:{ID} or
// $UserId:{ID}. The error is a *Error of kind ErrInvalidTarget that names the
// offending character and its 1-based column in the tag.
func ValidateTag(tag string) error { return validateTag(tag, 0) }

// checkTag validates the index-th (1-based) tag given to Tags, like ValidateTag, with
// the index in the message: `tag 3 "a b": a space at column 2 is not allowed ...`.
func checkTag(tag string, index int) error { return validateTag(tag, index) }

// validateTag validates a tag, named in messages by its 1-based index when index > 0.
func validateTag(tag string, index int) error {
	if tag == "" {
		return invalid(ErrInvalidTarget, tagLabel(index)+" is empty; a tag has 1 to "+strconv.Itoa(MaxTagLength)+" characters")
	}
	if pr, bad := findTagProblem(tag, endOfTag); bad {
		return invalid(ErrInvalidTarget, tagLabel(index)+" "+quoteTag(tag)+": "+pr.describe(true))
	}
	return nil
}

// tagLabel names a tag in a message: "tag", or "tag 3" for the third one.
func tagLabel(index int) string {
	if index > 0 {
		return "tag " + strconv.Itoa(index)
	}
	return "tag"
}

// tagProblem says what is wrong with a non-empty tag. Its message is before, then
// " at column N" when the problem has a position and the column is wanted, then after.
type tagProblem struct {
	at     int // byte offset in the tag of the problem, or -1 when it is the whole tag
	before string
	after  string
	tag    string
}

// describe renders the problem, with the column in the tag when withColumn is set.
func (pr tagProblem) describe(withColumn bool) string {
	if !withColumn || pr.at < 0 {
		return pr.before + pr.after
	}
	return pr.before + " at column " + strconv.Itoa(columnAt(pr.tag, pr.at)) + pr.after
}

// The characters a tag and the ID of a reserved tag may contain, as messages say them.
const (
	tagAlphabet = "letters, digits and _ @ # . : -"
	idAlphabet  = "letters, digits and _ @ # . : - ="
)

// endOfTag is what follows a tag that is validated on its own, for messages.
const endOfTag = "end of tag"

// findTagProblem returns the first problem with the non-empty tag, if any. follow
// names what comes after the tag, for messages about a reserved tag cut short.
func findTagProblem(tag, follow string) (tagProblem, bool) {
	if tag[0] == '$' {
		return findReservedProblem(tag, follow)
	}
	if i := firstBad(tag, 0, isTagByte); i >= 0 {
		return charProblem(tag, i, tagAlphabet), true
	}
	return lengthProblem(tag)
}

// findReservedProblem checks a tag that starts with "$" against the reserved forms.
func findReservedProblem(tag, follow string) (tagProblem, bool) {
	open := reservedPrefixLen(tag)
	if open < 0 {
		return dollarProblem(tag, 0), true
	}
	if open == len(tag) {
		return missingBrace(tag, open, `"{"`, follow), true
	}
	if tag[open] != '{' {
		return missingBrace(tag, open, `"{"`, describeAt(tag, open)), true
	}
	end := firstBad(tag, open+1, isIDByte)
	switch {
	case end < 0:
		return missingBrace(tag, len(tag), `"}"`, follow), true
	case tag[end] != '}':
		return charProblem(tag, end, idAlphabet), true
	case end == open+1:
		return tagProblem{tag: tag, at: end, before: "empty ID", after: `; put 1 or more characters between "{" and "}"`}, true
	case end+1 < len(tag):
		return tagProblem{tag: tag, at: end + 1, before: describeAt(tag, end+1), after: ` is not allowed after the closing "}"`}, true
	}
	return lengthProblem(tag)
}

// reservedForms names the reserved tags in messages.
const reservedForms = "$InstallationId:{ID} or $UserId:{ID}"

// missingBrace reports that a brace was expected at byte at of tag, where found is.
func missingBrace(tag string, at int, brace, found string) tagProblem {
	return tagProblem{tag: tag, at: at, before: "expected " + brace,
		after: ", found " + found + "; a reserved tag is written " + reservedForms}
}

// reservedPrefixLen returns the length of the reserved prefix tag starts with, or -1.
func reservedPrefixLen(tag string) int {
	for _, p := range [...]string{installationPrefix, userPrefix} {
		if strings.HasPrefix(tag, p) {
			return len(p)
		}
	}
	return -1
}

// dollarProblem explains a "$" at byte i of tag that does not start a reserved tag.
func dollarProblem(tag string, i int) tagProblem {
	after := " is only allowed at the start of a reserved tag, " + reservedForms
	if i == 0 && hasReservedPrefixFold(tag) {
		after += " (their prefix is case-sensitive)"
	}
	return tagProblem{tag: tag, at: i, before: `"$"`, after: after}
}

// hasReservedPrefixFold reports whether tag starts with a reserved prefix in another case.
func hasReservedPrefixFold(tag string) bool {
	for _, p := range [...]string{installationPrefix, userPrefix} {
		if len(tag) >= len(p) && strings.EqualFold(tag[:len(p)], p) {
			return true
		}
	}
	return false
}

// charProblem explains the character at byte i of tag that the alphabet does not allow.
func charProblem(tag string, i int, alphabet string) tagProblem {
	if tag[i] == '$' {
		return dollarProblem(tag, i)
	}
	where := "in a tag"
	if alphabet == idAlphabet {
		where = "in the ID of a reserved tag"
	}
	return tagProblem{tag: tag, at: i, before: describeAt(tag, i),
		after: " is not allowed " + where + " (allowed: " + alphabet + ")"}
}

// lengthProblem reports a tag longer than MaxTagLength; tag is ASCII by now.
func lengthProblem(tag string) (tagProblem, bool) {
	if len(tag) <= MaxTagLength {
		return tagProblem{}, false
	}
	return tagProblem{tag: tag, at: -1, before: fmt.Sprintf("%d characters, but a tag may have at most %d", len(tag), MaxTagLength)}, true
}

// firstBad returns the index of the first byte of s at or after from that ok refuses,
// or -1.
func firstBad(s string, from int, ok func(byte) bool) int {
	for i := from; i < len(s); i++ {
		if !ok(s[i]) {
			return i
		}
	}
	return -1
}

// isTagByte reports whether c may appear in a tag.
func isTagByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '@' || c == '#' || c == '.' || c == ':' || c == '-'
}

// isIDByte reports whether c may appear in the ID of a reserved tag.
func isIDByte(c byte) bool { return c == '=' || isTagByte(c) }

// describeAt names the character at byte i of s for a message: `","`, "a space",
// `"é" (U+00E9)`, "invalid UTF-8 byte 0xFF", or "end of tag" past the end.
func describeAt(s string, i int) string {
	if i >= len(s) {
		return "end of tag"
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf("invalid UTF-8 byte 0x%02X", s[i])
	case r == ' ':
		return "a space"
	case r == '\t':
		return "a tab"
	case r == '\n':
		return "a newline"
	case r == '\r':
		return "a carriage return"
	case r < utf8.RuneSelf && strconv.IsPrint(r):
		return strconv.Quote(string(r))
	}
	return fmt.Sprintf("%s (U+%04X)", strconv.Quote(string(r)), r)
}

// quoteTag quotes a tag for a message, cutting a long one short.
func quoteTag(tag string) string {
	const max = 40
	if len(tag) <= max {
		return strconv.Quote(tag)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(tag[cut]) {
		cut--
	}
	return strconv.Quote(tag[:cut]) + "..."
}

// columnAt returns the 1-based column, counted in characters, of byte offset off in s.
// An invalid UTF-8 byte counts as one character.
func columnAt(s string, off int) int {
	return utf8.RuneCountInString(s[:off]) + 1
}

// tokKind is the kind of a token of a tag expression.
type tokKind uint8

const (
	tokStart tokKind = iota // before the first token; never returned by the lexer
	tokEOF
	tokTag
	tokLParen
	tokRParen
	tokAnd
	tokOr
	tokNot
)

// exprToken is one token of a tag expression.
type exprToken struct {
	kind tokKind
	off  int    // byte offset in the input
	text string // the tag, for tokTag
}

// String names the token for a message.
func (t exprToken) String() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokTag:
		return "tag " + quoteTag(t.text)
	case tokLParen:
		return `"("`
	case tokRParen:
		return `")"`
	case tokAnd:
		return `"&&"`
	case tokOr:
		return `"||"`
	case tokNot:
		return `"!"`
	}
	return "the start"
}

// operandPlace says where an operand was expected, for a message: `after "&&"`, "at the start".
func operandPlace(t exprToken) string {
	if t.kind == tokStart {
		return "at the start"
	}
	return "after " + t.String()
}

// exprLexer splits a tag expression into tokens, validating each tag.
type exprLexer struct {
	src string
	off int // byte offset of the next unread byte
}

// next returns the next token, or an error for a single "&" or "|" or a bad tag.
func (l *exprLexer) next() (exprToken, error) {
	for l.off < len(l.src) && isExprSpace(l.src[l.off]) {
		l.off++
	}
	start := l.off
	if start == len(l.src) {
		return exprToken{kind: tokEOF, off: start}, nil
	}
	switch c := l.src[start]; c {
	case '(', ')', '!':
		l.off++
		return exprToken{kind: punctKind(c), off: start}, nil
	case '&', '|':
		return l.double(c)
	}
	return l.tag()
}

// punctKind returns the kind of a one-byte token.
func punctKind(c byte) tokKind {
	switch c {
	case '(':
		return tokLParen
	case ')':
		return tokRParen
	}
	return tokNot
}

// double reads "&&" or "||".
func (l *exprLexer) double(c byte) (exprToken, error) {
	start := l.off
	if start+1 == len(l.src) || l.src[start+1] != c {
		return exprToken{}, l.errorf(start, "single %q; use %q", string(c), string([]byte{c, c}))
	}
	l.off += 2
	if c == '&' {
		return exprToken{kind: tokAnd, off: start}, nil
	}
	return exprToken{kind: tokOr, off: start}, nil
}

// tag reads a tag: everything up to whitespace, an operator or a parenthesis.
func (l *exprLexer) tag() (exprToken, error) {
	start := l.off
	for l.off < len(l.src) && !isDelimiter(l.src[l.off]) {
		l.off++
	}
	text := l.src[start:l.off]
	if pr, bad := findTagProblem(text, endOfTag); bad {
		return exprToken{}, l.tagError(text, start, pr)
	}
	return exprToken{kind: tokTag, off: start, text: text}, nil
}

// tagError reports the problem with the tag text read at byte start. A problem
// just past the tag is said again with what follows it in the input.
func (l *exprLexer) tagError(text string, start int, pr tagProblem) error {
	if pr.at == len(text) {
		pr, _ = findTagProblem(text, l.describeNext())
	}
	at := start
	if pr.at >= 0 {
		at += pr.at
	}
	return l.errorf(at, "tag %s: %s", quoteTag(text), pr.describe(false))
}

// describeNext names the unread byte for a message, or says the input has ended.
func (l *exprLexer) describeNext() string {
	if l.off == len(l.src) {
		return "end of expression"
	}
	return describeAt(l.src, l.off)
}

// errorf returns an ErrInvalidTarget error for byte offset off of the input.
func (l *exprLexer) errorf(off int, format string, args ...any) error {
	return invalid(ErrInvalidTarget, "column "+strconv.Itoa(columnAt(l.src, off))+": "+fmt.Sprintf(format, args...))
}

// isExprSpace reports whether c is whitespace between tokens.
func isExprSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isDelimiter reports whether c ends a tag.
func isDelimiter(c byte) bool {
	return isExprSpace(c) || c == '(' || c == ')' || c == '!' || c == '&' || c == '|'
}

// exprParser is a recursive-descent parser that builds the nodes of an Expr in post-order,
// flattening chains of one operator and merging repeated "!" as it goes.
type exprParser struct {
	lex        exprLexer
	tok        exprToken // the current token
	prev       exprToken // the token before it
	nodes      []exprNode
	tags       []string
	leaves     int  // tags read; past MaxOrTags the parse only checks syntax and counts
	depth      int  // parentheses open
	usesAndNot bool // the expression has an && or a !
	overAndNot int  // byte offset of tag MaxExpressionTags+1
	overOr     int  // byte offset of tag MaxOrTags+1
}

// advance moves to the next token.
func (p *exprParser) advance() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.prev, p.tok = p.tok, t
	return nil
}

// parseBinary parses a chain of operands joined by the operator of op (kindOr or
// kindAnd). The operands of ||, tightest first, are && chains; those of && are unary.
func (p *exprParser) parseBinary(op nodeKind) error {
	start := len(p.nodes)
	if err := p.parseOperand(op); err != nil {
		return err
	}
	if p.tok.kind != op.token() {
		return nil
	}
	n := p.absorb(op)
	for p.tok.kind == op.token() {
		p.usesAndNot = p.usesAndNot || op == kindAnd
		if err := p.advance(); err != nil {
			return err
		}
		if err := p.parseOperand(op); err != nil {
			return err
		}
		n += p.absorb(op)
	}
	p.push(exprNode{kind: op, start: start, n: n})
	return nil
}

// discarding reports whether the expression is already over every limit, so that
// the parser stops building it: memory stays bounded whatever the input's length.
func (p *exprParser) discarding() bool { return p.leaves > MaxOrTags }

// push appends a node, unless the parser is discarding.
func (p *exprParser) push(nd exprNode) {
	if !p.discarding() {
		p.nodes = append(p.nodes, nd)
	}
}

// parseOperand parses one operand of op.
func (p *exprParser) parseOperand(op nodeKind) error {
	if op == kindOr {
		return p.parseBinary(kindAnd)
	}
	return p.parseUnary()
}

// absorb returns how many children the operand just parsed gives a chain of op: the
// children of a parenthesized op node, which it removes so the chain is flat, or 1.
func (p *exprParser) absorb(op nodeKind) int {
	last := len(p.nodes) - 1
	if p.discarding() || p.nodes[last].kind != op {
		return 1
	}
	n := p.nodes[last].n
	p.nodes = p.nodes[:last]
	return n
}

// parseUnary parses any number of "!" and their operand. "!" are counted, not
// nested, so a long run of them costs no stack.
func (p *exprParser) parseUnary() error {
	bangs := 0
	for p.tok.kind == tokNot {
		bangs++
		p.usesAndNot = true
		if err := p.advance(); err != nil {
			return err
		}
	}
	start := len(p.nodes)
	if err := p.parsePrimary(); err != nil {
		return err
	}
	if bangs == 0 || p.discarding() {
		return nil
	}
	if last := &p.nodes[len(p.nodes)-1]; last.kind == kindNot {
		last.n += bangs // !(!a) is !!a
		return nil
	}
	p.nodes = append(p.nodes, exprNode{kind: kindNot, start: start, n: bangs})
	return nil
}

// parsePrimary parses a tag or a parenthesized expression.
func (p *exprParser) parsePrimary() error {
	switch p.tok.kind {
	case tokTag:
		p.addTag()
		return p.advance()
	case tokLParen:
		return p.parseGroup()
	}
	return p.lex.errorf(p.tok.off, `expected a tag, "(" or "!" %s, found %s`, operandPlace(p.prev), p.tok)
}

// addTag adds the current token, a tag, as a leaf.
func (p *exprParser) addTag() {
	p.leaves++
	switch p.leaves {
	case MaxExpressionTags + 1:
		p.overAndNot = p.tok.off
	case MaxOrTags + 1:
		p.overOr = p.tok.off
	}
	if !p.discarding() {
		p.tags = append(p.tags, p.tok.text)
	}
	p.push(exprNode{kind: kindTag, start: len(p.nodes), tag: p.tok.text})
}

// parseGroup parses "(" expression ")".
func (p *exprParser) parseGroup() error {
	open := p.tok.off
	if p.depth == maxNesting {
		return p.lex.errorf(open, "more than %d nested parentheses", maxNesting)
	}
	p.depth++
	if err := p.advance(); err != nil {
		return err
	}
	if err := p.parseBinary(kindOr); err != nil {
		return err
	}
	switch p.tok.kind {
	case tokRParen:
		p.depth--
		return p.advance()
	case tokEOF:
		return p.lex.errorf(p.tok.off, `unclosed "(" (opened at column %d): expected ")", found end of expression`,
			columnAt(p.lex.src, open))
	}
	return p.lex.errorf(p.tok.off, `expected "&&", "||" or ")" after %s, found %s`, p.prev, p.tok)
}

// expectEnd checks that the whole input was parsed.
func (p *exprParser) expectEnd() error {
	switch p.tok.kind {
	case tokEOF:
		return nil
	case tokRParen:
		return p.lex.errorf(p.tok.off, `unexpected ")" with no "(" open`)
	}
	return p.lex.errorf(p.tok.off, `expected "&&", "||" or end of expression after %s, found %s`, p.prev, p.tok)
}

// checkLimits checks the number of tags against the service's limits.
func (p *exprParser) checkLimits() error {
	n := p.leaves
	switch {
	case p.usesAndNot && n > MaxExpressionTags:
		return p.lex.errorf(p.overAndNot, "%d tags, but an expression with && or ! may have at most %d", n, MaxExpressionTags)
	case n > MaxOrTags:
		return p.lex.errorf(p.overOr, "%d tags, but an expression with only || may have at most %d", n, MaxOrTags)
	}
	return nil
}
