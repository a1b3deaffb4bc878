package apns

import "net/http"

// Signed returns how many provider tokens c has signed.
func Signed(c *Client) int64 { return c.tokens.signed.Load() }

// CurrentToken returns the JWT c would send now, signing one if needed.
func CurrentToken(c *Client) string {
	t, err := c.tokens.current()
	if err != nil {
		panic(err)
	}
	return t.jwt()
}

// ReadCachedToken reads c's cached token, as each send does.
func ReadCachedToken(c *Client) { c.tokens.current() }

// Transport returns the transport of c's HTTP client.
func Transport(c *Client) http.RoundTripper { return c.hc.Transport }

// ParseReason is parseReason.
var ParseReason = parseReason
