package push

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckTag(t *testing.T) {
	const allowed = "(allowed: letters, digits and _ @ # . : -)"
	tests := []struct {
		name  string
		tag   string
		index int
		want  string // "" means the tag is valid
	}{
		{"valid", "sports", 1, ""},
		{"valid reserved", "$InstallationId:{abc=}", 2, ""},
		{"space", "a b", 3, `tag 3 "a b": a space at column 2 is not allowed in a tag ` + allowed},
		{"empty", "", 2, "tag 2 is empty; a tag has 1 to 120 characters"},
		{"newline", "a\n", 1, `tag 1 "a\n": a newline at column 2 is not allowed in a tag ` + allowed},
		{"operator", "a||b", 4, `tag 4 "a||b": "|" at column 2 is not allowed in a tag ` + allowed},
		{"too long", strings.Repeat("a", 121), 1, `tag 1 "` + strings.Repeat("a", 40) + `"...: 121 characters, but a tag may have at most 120`},
		{"long non-ASCII tag is cut on a character boundary", strings.Repeat("a", 39) + strings.Repeat("é", 50), 1,
			`tag 1 "` + strings.Repeat("a", 39) + `"...: "é" (U+00E9) at column 40 is not allowed in a tag ` + allowed},
		{"dollar", "$all", 5, `tag 5 "$all": "$" at column 1 is only allowed at the start of a reserved tag, $InstallationId:{ID} or $UserId:{ID}`},
		{"reserved with bad ID", "$UserId:{a/b}", 1, `tag 1 "$UserId:{a/b}": "/" at column 11 is not allowed in the ID of a reserved tag (allowed: letters, digits and _ @ # . : - =)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkTag(tt.tag, tt.index)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("checkTag(%q) = %v, want nil", tt.tag, err)
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Kind != ErrInvalidTarget || pe.Op != "push" {
				t.Fatalf("checkTag(%q) = %#v, want a push *Error of kind ErrInvalidTarget", tt.tag, err)
			}
			if pe.Detail != tt.want {
				t.Errorf("checkTag(%q) detail\n got: %s\nwant: %s", tt.tag, pe.Detail, tt.want)
			}
		})
	}
}

// TestExprNodeInvariants checks the shape ParseExpression promises the evaluator and
// the renderer: chains are flat, runs of "!" are one node, and every node is reachable.
func TestExprNodeInvariants(t *testing.T) {
	exprs := []string{
		"a", "!a", "!(!(!a))", "((a || b) || (c || d))", "a && (b && (c && d))",
		"!(a && b) && !(c || d)", "(a || b) && (c || d) && !!e", "a || b && c || !d && !(e || f)",
		"(((a)))", "a || (b || (c && (d && !(e)))) || f",
	}
	for _, s := range exprs {
		t.Run(s, func(t *testing.T) {
			e, err := ParseExpression(s)
			if err != nil {
				t.Fatal(err)
			}
			root := len(e.nodes) - 1
			if e.nodes[root].start != 0 {
				t.Errorf("root subtree starts at %d, want 0: unreachable nodes", e.nodes[root].start)
			}
			checkNode(t, e, root)
		})
	}
}

// checkNode checks the subtree at nodes[i] and returns the number of its tags.
func checkNode(t *testing.T, e *Expr, i int) int {
	t.Helper()
	nd := e.nodes[i]
	switch nd.kind {
	case kindTag:
		if nd.start != i {
			t.Errorf("tag node %d starts at %d", i, nd.start)
		}
		return 1
	case kindNot:
		if nd.n < 1 || e.nodes[i-1].kind == kindNot {
			t.Errorf("not node %d: %d bangs over a %v node", i, nd.n, e.nodes[i-1].kind)
		}
		return checkNode(t, e, i-1)
	}
	if nd.n < 2 {
		t.Errorf("node %d has %d children, want at least 2", i, nd.n)
	}
	tags, j := 0, i-1
	for range nd.n {
		if e.nodes[j].kind == nd.kind {
			t.Errorf("node %d has a child of its own kind: not flattened", i)
		}
		tags += checkNode(t, e, j)
		j = e.nodes[j].start - 1
	}
	if j != nd.start-1 {
		t.Errorf("children of node %d end at %d, want %d", i, j+1, nd.start)
	}
	return tags
}

func TestCheckTagDoesNotAllocateWhenValid(t *testing.T) {
	for _, tag := range []string{"sports", "$UserId:{alice=}"} {
		if n := testing.AllocsPerRun(100, func() { _ = checkTag(tag, 7) }); n != 0 {
			t.Errorf("checkTag(%q) allocates %v times", tag, n)
		}
	}
}
