package azurenh

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// redactedAuthorization is what a dump shows of the Authorization header.
const redactedAuthorization = "SharedAccessSignature " + redacted

// maxDumpBody bounds the part of a body a dump shows.
const maxDumpBody = 16 << 10

// dumping reports whether this request and its response are dumped: in test
// send mode, when the logger is enabled at level Debug. The check costs one call
// to Enabled, so a Client that does not dump pays nothing more.
func (c *Client) dumping(ctx context.Context) bool {
	return c.cfg.testSend && c.cfg.logger.Enabled(ctx, slog.LevelDebug)
}

// dumpRequest logs req at level Debug, as the seed sample's debug mode prints
// it: method, URL, headers sorted by name, body (already scrubbed by the
// caller). The Authorization header shows as "SharedAccessSignature REDACTED".
func (c *Client) dumpRequest(ctx context.Context, req *http.Request, body []byte) {
	c.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "azurenh: request",
		slog.String("method", req.Method),
		slog.String("url", c.logText.Scrub(req.URL.String())),
		slog.Any("header", c.headerValue(req.Header)),
		slog.String("body", bodyText(body)),
	)
}

// dumpResponse logs resp at level Debug: status, headers sorted by name, body
// (a test send's NotificationOutcome, or the service's error).
func (c *Client) dumpResponse(ctx context.Context, resp *http.Response, body []byte) {
	c.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "azurenh: response",
		slog.Int("status", resp.StatusCode),
		slog.Any("header", c.headerValue(resp.Header)),
		slog.String("body", bodyText(body)),
	)
}

// headerValue returns h as a slog group, one attribute per header sorted by
// name, several values joined by ", ", Authorization redacted and every other
// value scrubbed of the Client's secrets and of signatures.
func (c *Client) headerValue(h http.Header) slog.Value {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	attrs := make([]slog.Attr, 0, len(keys))
	for _, k := range keys {
		v := c.logText.Scrub(strings.Join(h[k], ", "))
		if http.CanonicalHeaderKey(k) == headerAuthorization {
			v = redactedAuthorization
		}
		attrs = append(attrs, slog.String(k, v))
	}
	return slog.GroupValue(attrs...)
}

// bodyText returns body for a dump: the text itself when it is UTF-8, a note
// of its size otherwise; cut to maxDumpBody bytes.
func bodyText(body []byte) string {
	if !utf8.Valid(body) {
		return "(" + strconv.Itoa(len(body)) + " bytes of binary data)"
	}
	if len(body) > maxDumpBody {
		return shorten(string(body), maxDumpBody)
	}
	return string(body)
}
