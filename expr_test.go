package push_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestParseExpressionCanonical(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"single tag", "sports", "sports"},
		{"tag alphabet", "Az09_@#.:-", "Az09_@#.:-"},
		{"longest tag", strings.Repeat("x", push.MaxTagLength), strings.Repeat("x", push.MaxTagLength)},
		{"surrounding whitespace", " \t\n sports \r\n", "sports"},
		{"redundant parentheses", "((sports))", "sports"},
		{"or", "a||b", "a || b"},
		{"and", "a&&b", "a && b"},
		{"not", "! a", "!a"},
		{"double not kept", "!!a", "!!a"},
		{"nested not merges into a run", "!(!a)", "!!a"},
		{"not of parenthesized not", "!(!(!a))", "!!!a"},
		{"left-nested or flattens", "(a || b) || c", "a || b || c"},
		{"right-nested and flattens", "a && (b && c)", "a && b && c"},
		{"deep same-operator nesting flattens", "((a || (b)) || (c || (d || e)))", "a || b || c || d || e"},
		{"and binds tighter than or", "a || b && c", "a || b && c"},
		{"parenthesized and inside or is dropped", "(a && b) || (c && d)", "a && b || c && d"},
		{"or inside and keeps parentheses", "(a||b)&&c", "(a || b) && c"},
		{"or inside and, flattened around it", "a && ((b || c) && d)", "a && (b || c) && d"},
		{"not binds tighter than and", "!a && b", "!a && b"},
		{"not of and keeps parentheses", "!(a && b)", "!(a && b)"},
		{"not of or keeps parentheses", "!(a || b)", "!(a || b)"},
		{"not of a parenthesized tag", "!(a)", "!a"},
		{"and chain is not flattened through not", "a && !(b && c)", "a && !(b && c)"},
		{"or inside and inside or", "a || (b && (c || d))", "a || b && (c || d)"},
		{"service documentation example", "(follows_RedSox || follows_Cardinals) && location_Boston",
			"(follows_RedSox || follows_Cardinals) && location_Boston"},
		{"newlines and tabs between tokens", "(\tsports\n||\npolitics\t)\n&&\n!muted", "(sports || politics) && !muted"},
		{"reserved installation tag", "$InstallationId:{abc-123}", "$InstallationId:{abc-123}"},
		{"reserved user tag with =", "$UserId:{dXNlcg==} || vip", "$UserId:{dXNlcg==} || vip"},
		{"tags are case-sensitive", "A || a", "A || a"},
		{"repeated tag counts and stays", "a || a", "a || a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := push.ParseExpression(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, e.String())

			again, err := push.ParseExpression(e.String())
			require.NoError(t, err, "the canonical form must parse")
			assert.Equal(t, tt.want, again.String(), "the canonical form must be a fixed point")
		})
	}
}

func TestParseExpressionErrors(t *testing.T) {
	const allowed = "(allowed: letters, digits and _ @ # . : -)"
	const reserved = "a reserved tag is written $InstallationId:{ID} or $UserId:{ID}"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty tag expression; use push.Broadcast() to reach every device"},
		{"only whitespace", " \t\n", "empty tag expression; use push.Broadcast() to reach every device"},
		{"operator at the start", "&& a", `column 1: expected a tag, "(" or "!" at the start, found "&&"`},
		{"dangling and", "a && ", `column 6: expected a tag, "(" or "!" after "&&", found end of expression`},
		{"dangling or", "a ||", `column 5: expected a tag, "(" or "!" after "||", found end of expression`},
		{"dangling not", "a || !", `column 7: expected a tag, "(" or "!" after "!", found end of expression`},
		{"two operators", "a && || b", `column 6: expected a tag, "(" or "!" after "&&", found "||"`},
		{"empty parentheses", "()", `column 2: expected a tag, "(" or "!" after "(", found ")"`},
		{"unexpected close", "a )", `column 3: unexpected ")" with no "(" open`},
		{"close after balanced group", "(a) || b)", `column 9: unexpected ")" with no "(" open`},
		{"unclosed", "(a", `column 3: unclosed "(" (opened at column 1): expected ")", found end of expression`},
		{"innermost unclosed is named", "(a && (b || c", `column 14: unclosed "(" (opened at column 7): expected ")", found end of expression`},
		{"single and", "a & b", `column 3: single "&"; use "&&"`},
		{"single and at the end", "a &", `column 3: single "&"; use "&&"`},
		{"triple and", "a &&& b", `column 5: single "&"; use "&&"`},
		{"single or", "a | b", `column 3: single "|"; use "||"`},
		{"two tags without operator", "a b", `column 3: expected "&&", "||" or end of expression after tag "a", found tag "b"`},
		{"tag after group", "(a) b", `column 5: expected "&&", "||" or end of expression after ")", found tag "b"`},
		{"not after tag", "a !b", `column 3: expected "&&", "||" or end of expression after tag "a", found "!"`},
		{"group after tag", "a (b)", `column 3: expected "&&", "||" or end of expression after tag "a", found "("`},
		{"two tags inside group", "(a b)", `column 4: expected "&&", "||" or ")" after tag "a", found tag "b"`},
		{"comma in tag", "a,b", `column 2: tag "a,b": "," is not allowed in a tag ` + allowed},
		{"bad tag after operator", "ok || no/way", `column 9: tag "no/way": "/" is not allowed in a tag ` + allowed},
		{"non-ASCII letter", "café", `column 4: tag "café": "é" (U+00E9) is not allowed in a tag ` + allowed},
		{"column counts characters", "é && a", `column 1: tag "é": "é" (U+00E9) is not allowed in a tag ` + allowed},
		{"invalid UTF-8", "a\xffb", `column 2: tag "a\xffb": invalid UTF-8 byte 0xFF is not allowed in a tag ` + allowed},
		{"no-break space", "a\u00a0b", `column 2: tag "a\u00a0b": "\u00a0" (U+00A0) is not allowed in a tag ` + allowed},
		{"brace outside reserved tag", "a{b}", `column 2: tag "a{b}": "{" is not allowed in a tag ` + allowed},
		{"tag too long", "ok || " + strings.Repeat("x", push.MaxTagLength+1),
			`column 7: tag "` + strings.Repeat("x", 40) + `"...: 121 characters, but a tag may have at most 120`},
		{"dollar inside tag", "a$b", `column 2: tag "a$b": "$" is only allowed at the start of a reserved tag, $InstallationId:{ID} or $UserId:{ID}`},
		{"unknown reserved prefix", "$DeviceId:{x}", `column 1: tag "$DeviceId:{x}": "$" is only allowed at the start of a reserved tag, $InstallationId:{ID} or $UserId:{ID}`},
		{"reserved prefix in the wrong case", "$userid:{x}", `column 1: tag "$userid:{x}": "$" is only allowed at the start of a reserved tag, $InstallationId:{ID} or $UserId:{ID} (their prefix is case-sensitive)`},
		{"reserved without braces", "$UserId:x", `column 9: tag "$UserId:x": expected "{", found "x"; ` + reserved},
		{"reserved without ID", "$UserId:", `column 9: tag "$UserId:": expected "{", found end of expression; ` + reserved},
		{"reserved cut by a parenthesis", "$UserId:(a)", `column 9: tag "$UserId:": expected "{", found "("; ` + reserved},
		{"reserved with empty ID", "$UserId:{}", `column 10: tag "$UserId:{}": empty ID; put 1 or more characters between "{" and "}"`},
		{"reserved with space in ID", "$UserId:{a b}", `column 11: tag "$UserId:{a": expected "}", found a space; ` + reserved},
		{"reserved unclosed at end", "$InstallationId:{abc", `column 21: tag "$InstallationId:{abc": expected "}", found end of expression; ` + reserved},
		{"reserved with bad ID character", "$InstallationId:{a,b}", `column 19: tag "$InstallationId:{a,b}": "," is not allowed in the ID of a reserved tag (allowed: letters, digits and _ @ # . : - =)`},
		{"reserved with text after the brace", "$UserId:{a}b", `column 12: tag "$UserId:{a}b": "b" is not allowed after the closing "}"`},
		{"reserved too long", "$UserId:{" + strings.Repeat("u", 111) + "}",
			`column 1: tag "$UserId:{` + strings.Repeat("u", 31) + `"...: 121 characters, but a tag may have at most 120`},
		{"too deep", strings.Repeat("(", 65) + "a" + strings.Repeat(")", 65), "column 65: more than 64 nested parentheses"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := push.ParseExpression(tt.in)
			require.Error(t, err)
			assert.Nil(t, e)
			assertInvalidTarget(t, err, tt.want)
		})
	}
}

// assertInvalidTarget checks that err is a validation *push.Error of kind
// ErrInvalidTarget with the given detail.
func assertInvalidTarget(t *testing.T, err error, detail string) {
	t.Helper()
	assert.ErrorIs(t, err, push.ErrInvalidTarget)
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "push", pe.Op)
	assert.Equal(t, detail, pe.Detail)
	assert.Equal(t, "push: invalid target: "+detail, err.Error())
}

// tagList returns n distinct tags t1 ... tn.
func tagList(n int) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = fmt.Sprintf("t%d", i+1)
	}
	return tags
}

func TestParseExpressionLimits(t *testing.T) {
	tests := []struct {
		name, in, wantErr string // wantErr "" means the expression is accepted
	}{
		{"20 tags with only || is accepted", strings.Join(tagList(20), " || "), ""},
		{"21 tags with only || is refused", strings.Join(tagList(21), " || "),
			"column 132: 21 tags, but an expression with only || may have at most 20"},
		{"parentheses do not change the || limit", "(" + strings.Join(tagList(20), ") || (") + ")", ""},
		{"6 tags with && is accepted", strings.Join(tagList(6), " && "), ""},
		{"7 tags with && is refused", strings.Join(tagList(7), " && "),
			"column 37: 7 tags, but an expression with && or ! may have at most 6"},
		{"7 tags with a single ! is refused", "!" + strings.Join(tagList(7), " || "),
			"column 38: 7 tags, but an expression with && or ! may have at most 6"},
		{"6 tags with ! is accepted", "!t1 || " + strings.Join(tagList(6)[1:], " || "), ""},
		{"21 tags with && names the && limit", strings.Join(tagList(20), " || ") + " && t21",
			"column 37: 21 tags, but an expression with && or ! may have at most 6"},
		{"a repeated tag counts each time", "a && a && a && a && a && a && a",
			"column 31: 7 tags, but an expression with && or ! may have at most 6"},
		{"a syntax error wins over the limit", strings.Join(tagList(7), " && ") + " &&",
			`column 42: expected a tag, "(" or "!" after "&&", found end of expression`},
		{"64 nested parentheses are accepted", strings.Repeat("(", 64) + "a" + strings.Repeat(")", 64), ""},
		{"a long run of ! is one tag", strings.Repeat("!", 4000) + "a", ""},
		{"an absurd expression is refused before parsing", strings.Repeat("!", 1_000_000) + "a",
			"tag expression is 1000001 bytes; at most 4096 are accepted"},
		{"at the length limit", strings.Repeat("!", push.MaxExpressionLength-1) + "a", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := push.ParseExpression(tt.in)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assertInvalidTarget(t, err, tt.wantErr)
		})
	}
}

func TestParseExpressionHostileInput(t *testing.T) {
	inputs := map[string]string{
		"a million open parentheses": strings.Repeat("(", 1_000_000),
		"deep parentheses and nots":  strings.Repeat("!(", 100_000) + "a",
		"a million tags":             strings.Repeat("a || ", 1_000_000) + "a",
		"a million characters":       strings.Repeat("x", 1_000_000),
		"invalid UTF-8 only":         "\xff\xfe\xfd",
		"NUL bytes":                  "a\x00b",
		"unbalanced close":           strings.Repeat(")", 1000),
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			_, err := push.ParseExpression(in)
			require.Error(t, err)
			assert.ErrorIs(t, err, push.ErrInvalidTarget)
			assert.Less(t, len(err.Error()), 400, "a message stays short whatever the input")
		})
	}
}

// assignments returns every subset of tags, as the tags a device carries.
func assignments(tags []string) [][]string {
	var all [][]string
	for bits := range 1 << len(tags) {
		var device []string
		for i, tag := range tags {
			if bits&(1<<i) != 0 {
				device = append(device, tag)
			}
		}
		all = append(all, device)
	}
	return all
}

func TestExprMatchTruthTables(t *testing.T) {
	tests := []struct {
		expr string
		vars []string
		want func(v map[string]bool) bool // the same formula in Go, the oracle
	}{
		{"a", []string{"a"}, func(v map[string]bool) bool { return v["a"] }},
		{"!a", []string{"a"}, func(v map[string]bool) bool { return !v["a"] }},
		{"!!a", []string{"a"}, func(v map[string]bool) bool { return v["a"] }},
		{"!!!a", []string{"a"}, func(v map[string]bool) bool { return !v["a"] }},
		{"a || b", []string{"a", "b"}, func(v map[string]bool) bool { return v["a"] || v["b"] }},
		{"a && b", []string{"a", "b"}, func(v map[string]bool) bool { return v["a"] && v["b"] }},
		{"a || b && c", []string{"a", "b", "c"}, func(v map[string]bool) bool { return v["a"] || v["b"] && v["c"] }},
		{"(a || b) && c", []string{"a", "b", "c"}, func(v map[string]bool) bool { return (v["a"] || v["b"]) && v["c"] }},
		{"!a && b", []string{"a", "b"}, func(v map[string]bool) bool { return !v["a"] && v["b"] }},
		{"!(a && b)", []string{"a", "b"}, func(v map[string]bool) bool { return !(v["a"] && v["b"]) }},
		{"!(a || b) || c", []string{"a", "b", "c"}, func(v map[string]bool) bool { return !(v["a"] || v["b"]) || v["c"] }},
		{"a && !b || !c && d", []string{"a", "b", "c", "d"},
			func(v map[string]bool) bool { return v["a"] && !v["b"] || !v["c"] && v["d"] }},
		{"(sports || politics) && !muted && (en || fr) && vip", []string{"sports", "politics", "muted", "en", "fr", "vip"},
			func(v map[string]bool) bool {
				return (v["sports"] || v["politics"]) && !v["muted"] && (v["en"] || v["fr"]) && v["vip"]
			}},
		{"a || a", []string{"a"}, func(v map[string]bool) bool { return v["a"] }},
		{"a && !a", []string{"a"}, func(map[string]bool) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e, err := push.ParseExpression(tt.expr)
			require.NoError(t, err)
			for _, device := range assignments(tt.vars) {
				v := make(map[string]bool)
				for _, tag := range device {
					v[tag] = true
				}
				want := tt.want(v)
				assert.Equal(t, want, e.Match(device), "Match(%q)", device)
				assert.Equal(t, want, e.MatchFunc(func(tag string) bool { return v[tag] }), "MatchFunc(%q)", device)
			}
		})
	}
}

func TestExprMatchCompares(t *testing.T) {
	e, err := push.ParseExpression("$UserId:{alice} || vip && !muted")
	require.NoError(t, err)
	tests := []struct {
		name   string
		device []string
		want   bool
	}{
		{"no tags", nil, false},
		{"reserved tag", []string{"$UserId:{alice}"}, true},
		{"other user", []string{"$UserId:{bob}"}, false},
		{"case differs", []string{"VIP"}, false},
		{"among unrelated tags", []string{"x", "y", "vip", "z"}, true},
		{"negated tag present", []string{"vip", "muted"}, false},
		{"duplicate device tags", []string{"vip", "vip"}, true},
		{"prefix of a tag is not the tag", []string{"vi"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, e.Match(tt.device))
		})
	}
}

// sixTagExpr is a 6-tag expression that uses every operator.
const sixTagExpr = "(sports || politics) && !muted && (en || fr) && vip"

// deviceWith60Tags returns the tags of a device at the service's limit, matching
// sixTagExpr with its last tag.
func deviceWith60Tags() []string {
	tags := make([]string, 0, 60)
	for i := range 56 {
		tags = append(tags, fmt.Sprintf("interest_%02d", i))
	}
	return append(tags, "fr", "politics", "region_eu", "vip")
}

func TestExprMatchDoesNotAllocate(t *testing.T) {
	e, err := push.ParseExpression(sixTagExpr)
	require.NoError(t, err)
	device := deviceWith60Tags()
	require.Len(t, device, 60)
	require.True(t, e.Match(device))

	assert.Zero(t, testing.AllocsPerRun(100, func() { e.Match(device) }), "Match")
	set := make(map[string]bool, len(device))
	for _, tag := range device {
		set[tag] = true
	}
	has := func(tag string) bool { return set[tag] }
	assert.Zero(t, testing.AllocsPerRun(100, func() { e.MatchFunc(has) }), "MatchFunc")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = e.String() }), "String")
}

func TestExprTags(t *testing.T) {
	e, err := push.ParseExpression("!(b || a) && (c || a) && $UserId:{u}")
	require.NoError(t, err)
	tags := e.Tags()
	assert.Equal(t, []string{"b", "a", "c", "a", "$UserId:{u}"}, tags, "leaves in order of appearance")

	tags[0] = "changed"
	assert.Equal(t, "b", e.Tags()[0], "Tags returns a copy")
	assert.Equal(t, "!(b || a) && (c || a) && $UserId:{u}", e.String())
	assert.False(t, e.Match([]string{"b", "c", "$UserId:{u}"}), "the expression still has tag b")
}

func TestExprZeroAndNil(t *testing.T) {
	var zero push.Expr
	var nilExpr *push.Expr
	for name, e := range map[string]*push.Expr{"zero": &zero, "nil": nilExpr} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, "", e.String())
			assert.Empty(t, e.Tags())
			assert.False(t, e.Match([]string{"a"}))
			assert.False(t, e.MatchFunc(func(string) bool { return true }))
		})
	}
}

func TestExprConcurrentUse(t *testing.T) {
	e, err := push.ParseExpression(sixTagExpr)
	require.NoError(t, err)
	device := deviceWith60Tags()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				if !e.Match(device) || e.String() == "" || len(e.Tags()) != 6 {
					t.Error("concurrent use changed the result")
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestValidateTag(t *testing.T) {
	const allowed = "(allowed: letters, digits and _ @ # . : -)"
	tests := []struct {
		name, tag, wantErr string // wantErr "" means the tag is valid
	}{
		{"letters", "sports", ""},
		{"whole alphabet", "Az09_@#.:-", ""},
		{"longest", strings.Repeat("t", 120), ""},
		{"installation", "$InstallationId:{2f1a-9c}", ""},
		{"user with =", "$UserId:{YWxpY2U=}", ""},
		{"empty", "", "tag is empty; a tag has 1 to 120 characters"},
		{"space", "a b", `tag "a b": a space at column 2 is not allowed in a tag ` + allowed},
		{"tab", "a\tb", `tag "a\tb": a tab at column 2 is not allowed in a tag ` + allowed},
		{"operator", "a&&b", `tag "a&&b": "&" at column 2 is not allowed in a tag ` + allowed},
		{"non-ASCII", "über", `tag "über": "ü" (U+00FC) at column 1 is not allowed in a tag ` + allowed},
		{"column counts characters", "éa b", `tag "éa b": "é" (U+00E9) at column 1 is not allowed in a tag ` + allowed},
		{"equals outside reserved", "a=b", `tag "a=b": "=" at column 2 is not allowed in a tag ` + allowed},
		{"too long", strings.Repeat("t", 121), `tag "` + strings.Repeat("t", 40) + `"...: 121 characters, but a tag may have at most 120`},
		{"reserved without ID", "$UserId:", `tag "$UserId:": expected "{" at column 9, found end of tag; a reserved tag is written $InstallationId:{ID} or $UserId:{ID}`},
		{"reserved unclosed", "$UserId:{ab", `tag "$UserId:{ab": expected "}" at column 12, found end of tag; a reserved tag is written $InstallationId:{ID} or $UserId:{ID}`},
		{"reserved empty ID", "$UserId:{}", `tag "$UserId:{}": empty ID at column 10; put 1 or more characters between "{" and "}"`},
		{"unknown dollar", "$x", `tag "$x": "$" at column 1 is only allowed at the start of a reserved tag, $InstallationId:{ID} or $UserId:{ID}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := push.ValidateTag(tt.tag)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assertInvalidTarget(t, err, tt.wantErr)
		})
	}
}

func TestValidateTagAgreesWithParseExpression(t *testing.T) {
	// Tags without whitespace, operators or parentheses: an expression of one tag.
	tags := []string{"a", "$UserId:{x}", "$UserId:{}", "x,y", strings.Repeat("z", 121), "é", "$InstallationId:{a=b}", "$"}
	for _, tag := range tags {
		_, exprErr := push.ParseExpression(tag)
		assert.Equal(t, push.ValidateTag(tag) == nil, exprErr == nil, "tag %q", tag)
	}
}

func TestParseExpressionErrorIsTyped(t *testing.T) {
	_, err := push.ParseExpression("a &")
	wrapped := fmt.Errorf("send to %q: %w", "a &", err)
	assert.True(t, errors.Is(wrapped, push.ErrInvalidTarget))
	assert.False(t, errors.Is(wrapped, push.ErrInvalidNotification))
	assert.False(t, push.Retryable(wrapped))
}
