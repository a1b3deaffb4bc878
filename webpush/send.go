package webpush

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

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
	doer   httpx.Doer
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

// CheckHandle refuses a subscription that cannot be one before any I/O:
// an endpoint that is not https, keys whose length cannot be right. It
// decodes nothing: Send decodes and checks the keys fully, once, before its
// request.
func (d *driver) CheckHandle(env *push.Envelope, i int) error {
	if i >= len(env.Subscriptions) {
		return noSubscription()
	}
	sub := env.Subscriptions[i]
	switch {
	case !strings.HasPrefix(sub.Endpoint, "https://"):
		_, err := parseEndpoint(sub.Endpoint) // says what is wrong
		return invalidSubscription(err)
	case !maybeBase64Len(sub.P256DH, p256dhLen) || !maybeBase64Len(sub.Auth, authLen):
		_, err := parseKeys(sub.P256DH, sub.Auth) // says what is wrong
		return invalidSubscription(err)
	}
	return nil
}

// maybeBase64Len reports whether s, without padding, has the length of n
// bytes in base64.
func maybeBase64Len(s string, n int) bool {
	return len(strings.TrimRight(s, "=")) == (n*8+5)/6
}

func noSubscription() error {
	return &push.Error{Op: opSend, Kind: push.ErrInvalidTarget,
		Detail: "a Web Push send needs each handle's subscription keys: use push.BrowserDevice or push.BrowserDevices"}
}

func invalidSubscription(err error) error {
	if err == nil {
		return nil
	}
	return &push.Error{Op: opSend, Kind: push.ErrInvalidTarget, Detail: "subscription: " + err.Error()}
}

// Send makes one attempt to deliver env to subscription i: it encrypts the
// body afresh, and posts it to the endpoint with the origin's VAPID token.
func (d *driver) Send(ctx context.Context, env *push.Envelope, i int) push.Result {
	if i >= len(env.Subscriptions) {
		return push.Result{Err: noSubscription()}
	}
	sub := env.Subscriptions[i]
	k, err := parseKeys(sub.P256DH, sub.Auth)
	if err != nil {
		return push.Result{Err: invalidSubscription(err)}
	}
	body, err := d.sealer.seal(env.Body, k)
	if err != nil {
		return push.Result{Err: &push.Error{Op: opSend, Detail: "cannot encrypt the message", Err: err}}
	}
	var attempt httpx.Attempt
	req, err := http.NewRequestWithContext(attempt.Context(ctx), http.MethodPost, sub.Endpoint, bytes.NewReader(body))
	if err == nil {
		err = checkEndpointURL(req.URL)
	}
	if err != nil {
		_, err := parseEndpoint(sub.Endpoint) // says what is wrong
		return push.Result{Err: invalidSubscription(err)}
	}
	tok, err := d.tokens.authorization(req.URL.Host)
	if err != nil {
		return push.Result{Err: err}
	}
	req.Header = d.header(env, tok)
	resp, err := d.doer.Do(req)
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
