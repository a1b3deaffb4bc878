package apns

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// opSend is the Op of the errors of a send.
const opSend = "apns: send"

// contentTypeJSON is the Content-Type of every request, shared.
var contentTypeJSON = []string{"application/json"}

// driver is the direct.Driver of a Client: one POST to one device token.
type driver struct{ c *Client }

// Send makes one attempt to deliver env to env.Devices[i]. When APNs refuses
// the provider token as expired it signs a new one (once, however many
// requests were refused with the same token) and repeats the request once
// with it, as Apple asks.
func (d *driver) Send(ctx context.Context, env *push.Envelope, i int) push.Result {
	c := d.c
	var tok *token
	if c.tokens != nil {
		var err error
		if tok, err = c.tokens.current(); err != nil {
			return push.Result{Err: err}
		}
	}
	res, reason := c.post(ctx, env, i, tok)
	if reason != ReasonExpiredProviderToken || tok == nil {
		return res
	}
	fresh, err := c.tokens.expired(tok)
	if err != nil {
		return push.Result{Err: err}
	}
	res, _ = c.post(ctx, env, i, fresh)
	return res
}

// post sends env to env.Devices[i] with tok (nil with certificate auth) and
// returns the Result and APNs' reason, "" when it gave none.
func (c *Client) post(ctx context.Context, env *push.Envelope, i int, tok *token) (push.Result, string) {
	var attempt httpx.Attempt
	req, err := c.newRequest(attempt.Context(ctx), env, i, tok)
	if err != nil {
		return push.Result{Err: err}, ""
	}
	resp, err := c.doer.Do(req)
	if err != nil {
		return push.Result{Err: httpx.TransportError(ctx, opSend, attempt.Wrote(), scrub(err, secretOf(tok)))}, ""
	}
	defer resp.Body.Close()
	id, unique := uuidHeader(resp.Header, headerAPNsID), uuidHeader(resp.Header, headerUniqueID)
	if resp.StatusCode == http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxReasonBody))
		return push.Result{ID: id, TrackingID: unique}, ""
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e := httpx.RedirectError(opSend, resp)
		e.Detail = redact(e.Detail, secretOf(tok)) // the Location is the server's text
		return push.Result{Err: e}, ""
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxReasonBody))
	reason, at := parseReason(body)
	trackingID := unique
	if trackingID == "" {
		trackingID = id
	}
	e := refusalError(resp.StatusCode, reason, trackingID)
	res := push.Result{Err: e}
	if errors.Is(e.Kind, push.ErrUnregistered) {
		res.UnregisteredAt = at
	}
	return res, reason
}

// newRequest builds the POST of env to env.Devices[i]: the notification's
// apns-* headers as they are, the topic, the push type when the notification
// has none, the content type and the provider token.
func (c *Client) newRequest(ctx context.Context, env *push.Envelope, i int, tok *token) (*http.Request, error) {
	pushType, derived := pushTypeOf(env)
	topic, err := c.topicOf(env, pushType)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+env.Devices[i], bytes.NewReader(env.Body))
	if err != nil {
		return nil, &push.Error{Op: opSend, Kind: push.ErrInvalidTarget, Detail: "the device token does not fit in a URL", Err: err}
	}
	h := make(http.Header, len(env.Header)+4)
	for k, v := range env.Header {
		h[k] = v
	}
	if topic != nil {
		h[headerTopic] = topic
	}
	if derived {
		if v, ok := pushTypeValues[pushType]; ok {
			h[headerPushType] = v
		}
	}
	h[headerContentType] = contentTypeJSON
	if tok != nil {
		h[headerAuthorization] = tok.authorization
	}
	req.Header = h
	return req, nil
}

// secretOf returns the JWT of tok, "" for none.
func secretOf(tok *token) string {
	if tok == nil {
		return ""
	}
	return tok.jwt()
}

// uuidHeader returns the header's value when it is a UUID (what APNs sends
// in apns-id and apns-unique-id), "" otherwise: a hostile server cannot put
// anything else in a Result.
func uuidHeader(h http.Header, key string) string {
	v := h[key]
	if len(v) == 0 || !isUUID(v[0]) {
		return ""
	}
	return v[0]
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i : i+1]) {
				return false
			}
		}
	}
	return true
}
