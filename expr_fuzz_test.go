package push_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pushwire/push"
)

// FuzzParseExpression checks, for any input: no panic; errors are validation errors
// of kind ErrInvalidTarget; the canonical form parses to itself; and the expression,
// its canonical form and an independent reference evaluator of the input agree on
// which devices match.
func FuzzParseExpression(f *testing.F) {
	seeds := []string{
		"", " ", "a", "!a", "!!a", "!(!a)", "(a)", "((a))", "a || b", "a && b", "a||b&&c", "(a||b)&&c",
		"!(a && b) || c", "a && !(b || c) && !!d", "(sports || politics) && !muted && (en || fr) && vip",
		"(follows_RedSox || follows_Cardinals) && location_Boston", "a || (b && (c || d))",
		"$InstallationId:{abc-123}", "$UserId:{dXNlcg==} || vip", "$UserId:{}", "$UserId:x", "$userid:{x}",
		"a$b", "a & b", "a | b", "a &&& b", "a b", "a )", "(a", "()", "&& a", "a ||", "a,b", "café",
		"a\xffb", "\t(a\n||\r\nb)\t", strings.Repeat("(", 65) + "a" + strings.Repeat(")", 65),
		strings.Repeat("x", 121), strings.Repeat("t || ", 20) + "t", "a && b && c && d && e && f && g",
		"!" + strings.Repeat("a || ", 6) + "a", "A || a", "a || a && !a",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := push.ParseExpression(s)
		if err != nil {
			checkParseError(t, s, e, err)
			return
		}
		canonical := e.String()
		again, err := push.ParseExpression(canonical)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canonical, s, err)
		}
		if again.String() != canonical {
			t.Fatalf("canonical form is not a fixed point: %q -> %q -> %q", s, canonical, again.String())
		}
		tags := e.Tags()
		if !slices.Equal(tags, again.Tags()) {
			t.Fatalf("tags of %q are %q, of its canonical form %q", s, tags, again.Tags())
		}
		checkTags(t, s, tags)
		for _, device := range devicesFor(tags) {
			want := referenceMatch(s, device)
			if e.Match(device) != want || again.Match(device) != want {
				t.Fatalf("device %q: reference %v, %q %v, canonical %q %v",
					device, want, s, e.Match(device), canonical, again.Match(device))
			}
		}
	})
}

// checkParseError checks that a parse failure is reported as a validation error.
func checkParseError(t *testing.T, s string, e *push.Expr, err error) {
	t.Helper()
	var pe *push.Error
	if !errors.As(err, &pe) || pe.Kind != push.ErrInvalidTarget || pe.Op != "push" || pe.Detail == "" {
		t.Fatalf("ParseExpression(%q) error %#v is not a push *Error of kind ErrInvalidTarget", s, err)
	}
	if e != nil {
		t.Fatalf("ParseExpression(%q) returned an Expr with error %v", s, err)
	}
}

// checkTags checks the tags of a parsed expression against the limits.
func checkTags(t *testing.T, s string, tags []string) {
	t.Helper()
	limit := push.MaxOrTags
	if strings.ContainsAny(s, "&!") {
		limit = push.MaxExpressionTags
	}
	if len(tags) == 0 || len(tags) > limit {
		t.Fatalf("%q parsed with %d tags, limit %d", s, len(tags), limit)
	}
	for _, tag := range tags {
		if err := push.ValidateTag(tag); err != nil {
			t.Fatalf("%q parsed with invalid tag: %v", s, err)
		}
	}
}

// devicesFor returns tag sets to match against: every subset of the distinct tags
// when there are few, otherwise none, all, each alone and all but each.
func devicesFor(tags []string) [][]string {
	distinct := slices.Compact(slices.Sorted(slices.Values(tags)))
	if len(distinct) <= 8 {
		return assignments(distinct)
	}
	devices := [][]string{nil, distinct}
	for i := range distinct {
		devices = append(devices, distinct[i:i+1])
		devices = append(devices, slices.Concat(distinct[:i], distinct[i+1:]))
	}
	return devices
}

// referenceMatch evaluates the valid expression s for a device directly from its
// text, with textbook precedence and no flattening: an independent oracle.
func referenceMatch(s string, device []string) bool {
	r := refEval{toks: refTokens(s), device: device}
	return r.or()
}

type refEval struct {
	toks   []string
	i      int
	device []string
}

func (r *refEval) peek() string {
	if r.i < len(r.toks) {
		return r.toks[r.i]
	}
	return ""
}

func (r *refEval) or() bool {
	v := r.and()
	for r.peek() == "||" {
		r.i++
		w := r.and()
		v = v || w
	}
	return v
}

func (r *refEval) and() bool {
	v := r.unary()
	for r.peek() == "&&" {
		r.i++
		w := r.unary()
		v = v && w
	}
	return v
}

func (r *refEval) unary() bool {
	tok := r.peek()
	r.i++
	switch tok {
	case "!":
		return !r.unary()
	case "(":
		v := r.or()
		r.i++ // ")"
		return v
	}
	return slices.Contains(r.device, tok)
}

// refTokens splits a valid expression into tokens.
func refTokens(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		switch {
		case strings.IndexByte(" \t\r\n", s[i]) >= 0:
			i++
		case strings.HasPrefix(s[i:], "&&"), strings.HasPrefix(s[i:], "||"):
			toks = append(toks, s[i:i+2])
			i += 2
		case strings.IndexByte("!()", s[i]) >= 0:
			toks = append(toks, s[i:i+1])
			i++
		default:
			end := i + 1
			for end < len(s) && strings.IndexByte(" \t\r\n&|!()", s[end]) < 0 {
				end++
			}
			toks = append(toks, s[i:end])
			i = end
		}
	}
	return toks
}
