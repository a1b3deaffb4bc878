package azurenh

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

// feedbackSAS is the signature of feedbackURL: a secret.
const feedbackSAS = "XXxxx%2Bxxx%2Fxx%3D"

const feedbackURL = "https://pushpnsfb5702abf7f71e31.blob.core.windows.net/00000000000297200840?sv=2014-02-14&sr=c&sig=" +
	feedbackSAS + "&se=2030-01-03T00%3A00%3A22Z&sp=rl"

func TestFeedbackWire(t *testing.T) {
	runMgmtWire(t, []mgmtCase{
		{name: "feedback_container", answer: answerStatus(http.StatusOK, feedbackURL),
			call: func(t *testing.T, ctx context.Context, c *Client) {
				u, err := c.FeedbackContainerURL(ctx)
				require.NoError(t, err)
				assert.Equal(t, feedbackURL, u)
			}},
		{name: "feedback_container_debug", answer: answerStatus(http.StatusOK, feedbackURL+"\n"),
			debug: true, secret: feedbackSAS,
			call: func(t *testing.T, ctx context.Context, c *Client) {
				u, err := c.FeedbackContainerURL(ctx)
				require.NoError(t, err)
				assert.Equal(t, feedbackURL, u)
			}},
	})
}

func TestFeedbackErrors(t *testing.T) {
	ctx := context.Background()
	for _, body := range []string{"http://insecure.example/c?sig=" + feedbackSAS, "", "%zz?sig=" + feedbackSAS} {
		_, mock := newRecorder(answerStatus(http.StatusOK, body))
		c, _ := newTestClient(t, mock)
		_, err := c.FeedbackContainerURL(ctx)
		e := pushError(t, err)
		assert.Nil(t, e.Kind)
		assert.Equal(t, "azurenh: feedback container", e.Op)
		assert.NotContains(t, err.Error(), feedbackSAS)
	}
	_, mock := newRecorder(func(int, captured) (*http.Response, error) {
		return errorResponse(http.StatusForbidden, "Request rejected because feature is not enabled for your SKU. Upgrade to Standard.", nil)
	})
	c, _ := newTestClient(t, mock)
	_, err := c.FeedbackContainerURL(ctx)
	require.ErrorIs(t, err, push.ErrForbidden)
}

func TestRedactSignatures(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", "no signature here", "no signature here"},
		{"query", "https://a/c?sv=1&sig=abc%2B&se=2", "https://a/c?sv=1&sig=REDACTED&se=2"},
		{"at the end", "https://a/c?sig=abc", "https://a/c?sig=REDACTED"},
		{"XML", "<OutputContainerUri>https://a/c?sig=abc&amp;sp=w</OutputContainerUri>", "<OutputContainerUri>https://a/c?sig=REDACTED&amp;sp=w</OutputContainerUri>"},
		{"CDATA", "<![CDATA[https://a/c?sig=abc]]>", "<![CDATA[https://a/c?sig=REDACTED]]>"},
		{"two", "x?sig=1 y?sig=2\n", "x?sig=REDACTED y?sig=REDACTED\n"},
		{"empty value", "x?sig=&se=1", "x?sig=REDACTED&se=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(redactSignatures([]byte(tt.in))))
		})
	}
	in := []byte("nothing to hide")
	assert.Same(t, &in[0], &redactSignatures(in)[0], "a body without a signature is not copied")
	assert.False(t, strings.Contains(string(redactSignatures([]byte(feedbackURL))), feedbackSAS))
}

// FuzzParseFeedbackContainerURL reads any answer of GET /feedbackcontainer: it
// must not panic, accepts only absolute https URLs, and never quotes the answer
// in an error.
func FuzzParseFeedbackContainerURL(f *testing.F) {
	f.Add(feedbackURL)
	f.Add(`"` + feedbackURL + `"` + "\r\n")
	f.Add("http://x/c?sig=secretsecretsecret")
	f.Add("%zz")
	f.Fuzz(func(t *testing.T, body string) {
		u, err := parseFeedbackContainerURL([]byte(body))
		if err != nil {
			if len(body) >= 16 {
				require.NotContains(t, err.Error(), body)
			}
			return
		}
		require.Equal(t, "https", u.Scheme)
		require.NotEmpty(t, u.Host)
	})
}

// FuzzRedactSignatures redacts any text: no "sig=" of the result is followed by
// anything but REDACTED, and text without "sig=" comes back as it was.
func FuzzRedactSignatures(f *testing.F) {
	f.Add(feedbackURL)
	f.Add("sig=sig=sig=&sig=")
	f.Add("<a>x?sig=1]]></a>")
	f.Fuzz(func(t *testing.T, text string) {
		out := string(redactSignatures([]byte(text)))
		if !strings.Contains(text, "sig=") {
			require.Equal(t, text, out)
			return
		}
		for i := strings.Index(out, "sig="); i >= 0; i = strings.Index(out, "sig=") {
			out = out[i+len("sig="):]
			require.True(t, strings.HasPrefix(out, "REDACTED"), "%q redacted as %q", text, redactSignatures([]byte(text)))
		}
	})
}
