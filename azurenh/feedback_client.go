package azurenh

import (
	"bytes"
	"context"
	"net/http"
)

// opFeedbackContainer is the Op of the errors of FeedbackContainerURL.
const opFeedbackContainer = "azurenh: feedback container"

// FeedbackContainerURL asks the service, with GET /HUB/feedbackcontainer, where
// the hub's PNS feedback is: the URL of an Azure Storage blob container, with
// a shared access signature (sv, sr, sig, se, sp) that grants reading and
// listing it. List the container (GET URL&restype=container&comp=list, with
// the Azure Storage SDK or net/http) and read each blob with ParsePnsFeedback
// to find the devices whose handles are dead.
//
// The URL is a secret: whoever holds it reads the feedback until it expires.
// The Client never logs it, the debug dump shows its signature as "REDACTED",
// and no error quotes it; do not log it either. An answer that is not an
// absolute https URL gives a *push.Error without Kind. The feedback container
// needs the Standard tier: other tiers answer with an error matching
// push.ErrForbidden. FeedbackContainerURL is safe for concurrent use.
func (c *Client) FeedbackContainerURL(ctx context.Context) (string, error) {
	r := &hubRequest{op: opFeedbackContainer, method: http.MethodGet, url: c.hubURL("", "feedbackcontainer"),
		idempotent: true, keepBody: true}
	resp, err := c.doRequest(ctx, r)
	if err != nil {
		return "", err
	}
	u, err := parseFeedbackContainerURL(resp.body)
	if err != nil {
		return "", answerError(opFeedbackContainer, resp, err)
	}
	return u.String(), nil
}

// redactedSig is what a dump shows of the signature of a URL.
const redactedSig = "sig=" + redacted

// redactSignatures returns body with the value of every "sig=" parameter (the
// signature of a shared access signature URL, in a feedback container URL, a
// job's container URLs or NotificationDetails' PnsErrorDetailsUri) replaced by
// REDACTED, up to the next '&', quote, '<', ']' or space. A body without "sig="
// is returned as it is, without copying.
func redactSignatures(body []byte) []byte {
	const key = "sig="
	if !bytes.Contains(body, []byte(key)) {
		return body
	}
	out := make([]byte, 0, len(body))
	for {
		i := bytes.Index(body, []byte(key))
		if i < 0 {
			return append(out, body...)
		}
		out = append(out, body[:i]...)
		out = append(out, redactedSig...)
		body = body[i+len(key):]
		end := bytes.IndexAny(body, "&\"'<]; \t\r\n")
		if end < 0 {
			return out
		}
		body = body[end:]
	}
}
