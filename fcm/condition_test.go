package fcm_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/fcm/fcmtest"
)

func TestTopic(t *testing.T) {
	tests := []struct{ tag, topic string }{
		{"sports", "sports"},
		{"a-b_c.d", "a-b_c.d"},
		{"follows:RedSox", "follows%3ARedSox"},
		{"user@example.com", "user%40example.com"},
		{"#news", "%23news"},
		{"$InstallationId:{2b0f0e2c-8d3c}", "%24InstallationId%3A%7B2b0f0e2c-8d3c%7D"},
		{"$UserId:{a=b}", "%24UserId%3A%7Ba%3Db%7D"},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			got := fcm.Topic(tt.tag)
			assert.Equal(t, tt.topic, got)
			assert.True(t, fcmtest.ValidTopic(got), "FCM takes %q", got)
			back, err := url.PathUnescape(got)
			require.NoError(t, err)
			assert.Equal(t, tt.tag, back, "the mapping is reversible")
		})
	}
}

func TestTopicAllocatesNothingForAPlainTag(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _ = fcm.Topic("breaking_news") })
	assert.Zero(t, allocs)
}

// sentTarget sends alert() to tags and returns the target field the
// emulator received.
func sentTarget(t *testing.T, to push.Target) fcmtest.Target {
	srv := newServer(t)
	c := newClient(t, srv)
	_, err := c.Send(t.Context(), alert(), to)
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	require.True(t, reqs[0].Accepted(), reqs[0].Error)
	return reqs[0].Target
}

func TestTagsBecomeATopicOrACondition(t *testing.T) {
	tests := []struct {
		name      string
		to        push.Target
		topic     string
		condition string
	}{
		{"one tag", push.Tags("sports"), "sports", ""},
		{"installation", push.Installation("42"), "%24InstallationId%3A%7B42%7D", ""},
		{"or", push.Tags("a", "b", "c"), "", "'a' in topics || 'b' in topics || 'c' in topics"},
		{"and not", push.Expression("a && !b"), "", "'a' in topics && !('b' in topics)"},
		{"or of and", push.Expression("a || b && c"), "", "'a' in topics || ('b' in topics && 'c' in topics)"},
		{"and of or", push.Expression("(a || b) && c"), "", "('a' in topics || 'b' in topics) && 'c' in topics"},
		{"not of or", push.Expression("!(a || b)"), "", "!('a' in topics || 'b' in topics)"},
		{"double not", push.Expression("!!a && b"), "", "'a' in topics && 'b' in topics"},
		{"one negated tag", push.Expression("!muted"), "", "!('muted' in topics)"},
		{"nested same operator", push.Expression("a && (b && c)"), "", "'a' in topics && 'b' in topics && 'c' in topics"},
		{"reserved tags", push.Expression("$UserId:{alice} && !muted"), "", "'%24UserId%3A%7Balice%7D' in topics && !('muted' in topics)"},
		{"five topics", push.Expression("a && b && c && d && !e"), "", "'a' in topics && 'b' in topics && 'c' in topics && 'd' in topics && !('e' in topics)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentTarget(t, tt.to)
			assert.Equal(t, fcmtest.Target{Topic: tt.topic, Condition: tt.condition}, got)
		})
	}
}

func TestMoreThanFiveTopicsAreRefusedBeforeIO(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv)
	_, err := c.Send(t.Context(), alert(), push.Tags("a", "b", "c", "d", "e", "f"))
	require.ErrorIs(t, err, push.ErrInvalidTarget)
	assert.Contains(t, err.Error(), "at most 5 topics")
	_, err = c.Send(t.Context(), alert(), push.Expression("a && b && c && (d || e || a)"))
	require.ErrorIs(t, err, push.ErrInvalidTarget, "each occurrence counts")
	assert.Empty(t, srv.Requests())
	assert.Zero(t, srv.AccessTokensIssued(), "no token is fetched for a send refused before I/O")
}

// FuzzCondition checks the translation of tag expressions against the
// core's evaluator: on every set of topics a device may be subscribed to,
// the condition fcm sends, read by fcmtest as FCM reads it (left to right),
// reaches exactly the devices the expression does.
func FuzzCondition(f *testing.F) {
	for _, s := range []string{"a || b && c", "(a || b) && !c", "!(a && b) || c && d", "a && !b || !c && d || e", "!!a", "((a))", "$UserId:{x} || a:b && !c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		e, err := push.ParseExpression(expr)
		if err != nil {
			return
		}
		to := push.Expression(expr)
		env, err := push.Render(alert(), to)
		if err != nil {
			return
		}
		cond, err := translate(t, env.Tags)
		if errors.Is(err, push.ErrInvalidTarget) {
			if n := len(e.Tags()); n <= fcm.MaxConditionTopics {
				t.Fatalf("%q has %d tags, within FCM's limit, but was refused: %v", expr, n, err)
			}
			return
		}
		require.NoError(t, err)
		tags := distinct(e.Tags())
		if len(tags) > 10 {
			return
		}
		for set := 0; set < 1<<len(tags); set++ {
			has := func(tag string) bool {
				for i, t := range tags {
					if t == tag {
						return set&(1<<i) != 0
					}
				}
				return false
			}
			subscribed := func(topic string) bool {
				tag, err := url.PathUnescape(topic)
				return err == nil && has(tag)
			}
			if want, got := e.MatchFunc(has), cond(subscribed); want != got {
				t.Fatalf("%q: on tags %v the expression says %v, the condition FCM reads %v", expr, subset(tags, set), want, got)
			}
		}
	})
}

// translate returns how FCM reads the target fcm sends for expr: a topic
// test, or the parsed condition.
func translate(t *testing.T, expr string) (func(func(string) bool) bool, error) {
	topic, condition, err := fcm.TargetOf(expr)
	if err != nil {
		return nil, err
	}
	if topic != "" {
		require.True(t, fcmtest.ValidTopic(topic), "topic %q", topic)
		return func(sub func(string) bool) bool { return sub(topic) }, nil
	}
	c, err := fcmtest.ParseCondition(condition)
	require.NoError(t, err, "FCM must accept the condition %q", condition)
	require.LessOrEqual(t, len(c.Topics()), fcm.MaxConditionTopics)
	return c.Match, nil
}

func distinct(tags []string) []string {
	var out []string
	for _, t := range tags {
		if !contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func subset(tags []string, set int) string {
	var in []string
	for i, t := range tags {
		if set&(1<<i) != 0 {
			in = append(in, t)
		}
	}
	return "{" + strings.Join(in, ", ") + "}"
}
