package webpush

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// opSend is the Op of a send's errors.
const opSend = "webpush: send"

// The request headers of every message, as the one-value slices a request
// header holds, shared read-only by every request.
var (
	contentEncoding = []string{"aes128gcm"}
	contentType     = []string{push.ContentTypeOctetStream}
)

// maxDrain bounds what is read of an accepted answer's body, so that the
// connection can be reused without reading a hostile server's endless body.
const maxDrain = 4096

// driver is the direct.Driver of a Client: one encrypted POST to a
// subscription's endpoint.
type driver struct {
	hc     *http.Client
	tokens *tokens
	sealer sealer
	ttl    []string // the TTL header of a notification without one
	clock  push.Clock
	logger *slog.Logger
}

// Check refuses a body that does not fit in one message, before any I/O.
func (d *driver) Check(env *push.Envelope) error {
	if len(env.Body) > MaxPayload {
		return &push.Error{Op: opSend, Kind: push.ErrPayloadTooLarge, Detail: fmt.Sprintf(
			"the notification body is %d bytes; a Web Push message carries at most %d (%d bytes once encrypted, "+
				"the most a push service must take): send less, and let the service worker fetch the rest",
			len(env.Body), MaxPayload, MaxBodySize)}
	}
	return nil
}

// CheckHandle refuses a subscription whose endpoint or keys cannot be used,
// before any I/O.
func (d *driver) CheckHandle(env *push.Envelope, i int) error {
	if _, err := subscriptionOf(env, i); err != nil {
		return err
	}
	return nil
}

// subscriptionOf returns the checked keys of handle i.
func subscriptionOf(env *push.Envelope, i int) (keys, error) {
	if i >= len(env.Subscriptions) {
		return keys{}, &push.Error{Op: opSend, Kind: push.ErrInvalidTarget,
			Detail: "a Web Push send needs each handle's subscription keys: use push.BrowserDevice or push.BrowserDevices"}
	}
	sub := env.Subscriptions[i]
	if _, err := parseEndpoint(sub.Endpoint); err != nil {
		return keys{}, &push.Error{Op: opSend, Kind: push.ErrInvalidTarget, Detail: "subscription: " + err.Error()}
	}
	k, err := parseKeys(sub.P256DH, sub.Auth)
	if err != nil {
		return keys{}, &push.Error{Op: opSend, Kind: push.ErrInvalidTarget, Detail: "subscription: " + err.Error()}
	}
	return k, nil
}

// Send makes one attempt to deliver env to subscription i: it encrypts the
// body afresh, and posts it to the endpoint with the origin's VAPID token.
func (d *driver) Send(ctx context.Context, env *push.Envelope, i int) push.Result {
	k, err := subscriptionOf(env, i)
	if err != nil {
		return push.Result{Err: err}
	}
	body, err := d.sealer.seal(env.Body, k)
	if err != nil {
		return push.Result{Err: &push.Error{Op: opSend, Detail: "cannot encrypt the message", Err: err}}
	}
	var attempt httpx.Attempt
	req, err := http.NewRequestWithContext(attempt.Context(ctx), http.MethodPost, env.Subscriptions[i].Endpoint, bytes.NewReader(body))
	if err != nil {
		return push.Result{Err: &push.Error{Op: opSend, Kind: push.ErrInvalidTarget, Detail: "the endpoint does not make a request", Err: err}}
	}
	tok, err := d.tokens.authorization(req.URL.Host)
	if err != nil {
		return push.Result{Err: err}
	}
	req.Header = d.header(env, tok)
	resp, err := d.hc.Do(req)
	if err != nil {
		return push.Result{Err: httpx.TransportError(ctx, opSend, attempt.Wrote(), err)}
	}
	defer resp.Body.Close()
	return d.result(resp, req.URL.Host, tok)
}

// header returns the headers of a message: the notification's own (TTL,
// Urgency, Topic), the TTL default when it has none, the content coding and
// the VAPID authorization. Every value slice is shared, read-only.
func (d *driver) header(env *push.Envelope, tok *token) http.Header {
	h := make(http.Header, len(env.Header)+4)
	for k, v := range env.Header {
		h[k] = v
	}
	if _, ok := h["Ttl"]; !ok {
		h["Ttl"] = d.ttl
	}
	h["Content-Encoding"] = contentEncoding
	h["Content-Type"] = contentType
	h["Authorization"] = tok.header
	return h
}

// result reads the answer to a message.
func (d *driver) result(resp *http.Response, host string, tok *token) push.Result {
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
		return push.Result{ID: scrub(httpx.Clip(resp.Header.Get("Location"), push.MaxHandleLength), tok.jwt)}
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return push.Result{Err: httpx.RedirectError(opSend, resp)}
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := statusError(resp, body, d.clock.Now(), tok.jwt)
	if e.Kind == push.ErrUnauthorized {
		d.logger.Warn("webpush: the push service refused the VAPID token", "origin", origin(host), "status", resp.StatusCode)
	}
	return push.Result{Err: e}
}
