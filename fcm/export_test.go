package fcm

import "context"

var contextBackground = context.Background()

// Exported for the tests of package fcm_test only.

// TargetOf is condition: the topic or condition a tag expression is sent to.
func TargetOf(expr string) (topic, condition string, err error) { return conditionOf(expr) }

// conditionOf is condition, named apart so that TargetOf can say what it is.
var conditionOf = condition

// CachedAuthorization returns the Authorization header of a send made now,
// and whether one was ready.
func CachedAuthorization(c *Client) ([]string, bool) {
	tok, err := c.tokens.get(contextBackground)
	if err != nil {
		return nil, false
	}
	return tok.header, true
}

// WaitForTokenFetch waits for the access token fetch in progress, if any.
func WaitForTokenFetch(c *Client) {
	c.tokens.mu.Lock()
	r := c.tokens.flight
	c.tokens.mu.Unlock()
	if r != nil {
		<-r.done
	}
}
