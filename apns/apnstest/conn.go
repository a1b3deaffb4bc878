package apnstest

import (
	"net/http"
	"sync"
	"time"
)

// tokenUpdateInterval is the least time between two provider tokens on one
// connection: sooner is 429 TooManyProviderTokenUpdates.
const tokenUpdateInterval = 20 * time.Minute

// conn is the state of one connection: the team and key bound by its first
// push, and its current provider token.
type conn struct {
	id  int
	srv *http.Server
	raw *freezableConn

	mu       sync.Mutex
	team     string
	kid      string
	bearer   string
	bearerAt time.Time
	// renew is set when the connection's token was refused as expired: the
	// next token is taken without the 20-minute wait.
	renew bool
}

type connKey struct{}

// bind checks a verified provider token against the connection's state and
// adopts it; it returns the status and reason of a refusal, or 0, "".
func (c *conn) bind(t providerToken, team string, now time.Time) (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.bearer == "":
		c.team, c.kid, c.bearer, c.bearerAt = team, t.kid, t.raw, now
		return 0, ""
	case team != c.team:
		return http.StatusForbidden, reasonInvalidProviderToken
	case t.kid != c.kid:
		return http.StatusForbidden, reasonUnrelatedKeyIDInToken
	case t.raw == c.bearer:
		return 0, ""
	case !c.renew && now.Sub(c.bearerAt) < tokenUpdateInterval:
		return http.StatusTooManyRequests, reasonTooManyProviderTokenUpdates
	}
	c.bearer, c.bearerAt, c.renew = t.raw, now, false
	return 0, ""
}

// allowRenewal lets the connection take a new token at once.
func (c *conn) allowRenewal() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.renew = true
}
