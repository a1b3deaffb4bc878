package push_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/pushwire/push"
)

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *push.Error
		want string
	}{
		{"validation", &push.Error{Op: "push", Kind: push.ErrInvalidTarget, Detail: "tag 1 is empty"}, "push: invalid target: tag 1 is empty"},
		{"service", &push.Error{Op: "azurenh: send", Kind: push.ErrThrottled, StatusCode: 429, Code: "429", Detail: "slow down",
			TrackingID: "t-1", RetryAfter: 2 * time.Second}, "azurenh: send: throttled: slow down (HTTP 429, tracking ID t-1, retry after 2s)"},
		{"service code differs", &push.Error{Op: "x", Kind: push.ErrForbidden, StatusCode: 403, Code: "40301"}, "x: forbidden (HTTP 403, code 40301)"},
		{"cause", &push.Error{Op: "azurenh: send", Kind: push.ErrUnavailable, Err: io.ErrUnexpectedEOF}, "azurenh: send: unavailable: unexpected EOF"},
		{"no kind", &push.Error{Op: "x", Detail: "bad"}, "x: bad"},
		{"no kind, cause only", &push.Error{Op: "x", Err: io.EOF}, "x: EOF"},
		{"nothing", &push.Error{}, "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.err.Error()) })
	}
}

func TestErrorUnwrapsToKindAndCause(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", &push.Error{Kind: push.ErrUnavailable, Err: io.ErrUnexpectedEOF})
	assert.ErrorIs(t, err, push.ErrUnavailable)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.NotErrorIs(t, err, push.ErrThrottled)
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&push.Error{Kind: push.ErrThrottled}, true},
		{&push.Error{Kind: push.ErrUnavailable}, true},
		{fmt.Errorf("x: %w", &push.Error{Kind: push.ErrUnavailable}), true},
		{&push.Error{Kind: push.ErrOutcomeUnknown}, false},
		{&push.Error{Kind: push.ErrForbidden}, false},
		{&push.Error{Kind: push.ErrConflict}, false},
		{&push.Error{}, false},
		{errors.New("x"), false},
		{nil, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, push.Retryable(tt.err), "%v", tt.err)
	}
}

func TestRetryAfter(t *testing.T) {
	assert.Equal(t, 3*time.Second, push.RetryAfter(fmt.Errorf("x: %w", &push.Error{RetryAfter: 3 * time.Second})))
	assert.Zero(t, push.RetryAfter(errors.New("x")))
}

func TestErrorShowsDetailOnOneBoundedLine(t *testing.T) {
	long := strings.Repeat("word ", 200)
	e := &push.Error{Op: "x", Kind: push.ErrInvalidNotification, Detail: "line one\nline two\r\n\tend\x00 \xff" + long, StatusCode: 400}
	msg := e.Error()
	assert.NotContains(t, msg, "\n")
	assert.NotContains(t, msg, "\r")
	assert.NotContains(t, msg, "\x00")
	assert.True(t, utf8.ValidString(msg), "invalid UTF-8 becomes U+FFFD")
	assert.True(t, strings.HasPrefix(msg, "x: invalid notification: line one line two   end  \uFFFDword word "), msg)
	assert.True(t, strings.HasSuffix(msg, "... (HTTP 400)"), "the cut is marked and the context follows: %q", msg[len(msg)-40:])
	assert.Less(t, len(msg), 600, "the detail is bounded in the message")
	assert.Equal(t, "line one\nline two\r\n\tend\x00 \xff"+long, e.Detail, "the field keeps the whole text")

	short := &push.Error{Op: "x", Detail: "exactly as written, é and all"}
	assert.Equal(t, "x: exactly as written, é and all", short.Error())
}
