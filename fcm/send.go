package fcm

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pushwire/push"
	"github.com/pushwire/push/internal/httpx"
)

// MaxTopicMessageSize is the most bytes FCM takes in a message to a topic or
// a condition: the message object's compact JSON, its target left out.
// Messages to tokens take push.MaxFCMBodySize.
const MaxTopicMessageSize = 2048

// Send renders n for to with push.Render and sends it to FCM:
//
//   - push.Device and push.Devices: one request per registration token,
//     {"message":{"token":TOKEN,...}}, up to the concurrency bound
//     (WithConcurrency) at once, each retried on its own. The Receipt holds
//     one push.Result per token, in order, with FCM's message name as ID; a
//     token FCM calls UNREGISTERED fails with push.ErrUnregistered (delete
//     it), and is not retried.
//   - push.Tags of one tag: {"message":{"topic":Topic(tag),...}}.
//   - push.Tags of several, push.Expression, push.Installation, push.User:
//     {"message":{"condition":...,...}}, the tag expression translated to an
//     FCM condition of at most MaxConditionTopics topics (see Topic).
//     The Receipt's ID is the message name; there are no Results: FCM
//     fans the message out itself.
//
// The target field is added at the start of the message object; the rest of
// the body is the core's bytes. Only push.FCMV1 is delivered. Before any I/O,
// Send refuses: another platform, and a broadcast (FCM has none: send to a
// topic every device subscribes to), with errors matching
// push.ErrUnsupported; bad input, with Render's error; a message that names
// a target itself, or has platform headers (push.ErrInvalidNotification); a
// condition of more than MaxConditionTopics topics (push.ErrInvalidTarget); a
// topic message over MaxTopicMessageSize (push.ErrPayloadTooLarge).
//
// An expired or refused access token (401) is replaced and the request made
// once more; a second refusal fails with push.ErrUnauthorized, and stops a
// send to several tokens (the rest fail with push.ErrNotAttempted). When ctx
// ends, the tokens not yet sent fail with push.ErrNotAttempted and Send
// returns once the requests in flight have: it leaves no goroutine behind.
// A nil error means FCM accepted every message, not that a device got it.
// Send keeps nothing of n or to.
func (c *Client) Send(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if ctx == nil {
		return push.Receipt{}, push.CheckContext(ctx, opSend)
	}
	switch to.Kind() {
	case push.TargetTags:
		return c.sendToTags(ctx, n, to)
	case push.TargetBroadcast:
		if n.Platform == push.FCMV1 {
			return push.Receipt{}, &push.Error{Op: opSend, Kind: push.ErrUnsupported,
				Detail: "FCM cannot send to every device of a project: subscribe the devices to a topic (fcm.Topic) and send to push.Tags(topic)"}
		}
	}
	return c.direct.Send(ctx, n, to)
}

// sendToTags sends n once, to the topic or condition of to's expression,
// retrying under the policy.
func (c *Client) sendToTags(ctx context.Context, n push.Notification, to push.Target) (push.Receipt, error) {
	if err := c.caps.CheckSend(opSend, n.Platform, to.Kind()); err != nil {
		return push.Receipt{}, err
	}
	env, err := push.Render(n, to)
	if err != nil {
		return push.Receipt{}, err
	}
	if err := checkEnvelope(&env); err != nil {
		return push.Receipt{}, err
	}
	field, value, err := tagTarget(env.Tags)
	if err != nil {
		return push.Receipt{}, err
	}
	if err := checkTopicSize(env.Body); err != nil {
		return push.Receipt{}, err
	}
	body := c.body(env.Body, field, value)
	var name string
	err = c.cfg.retry.Do(ctx, c.cfg.clock, func(ctx context.Context) error {
		var e *push.Error
		name, e = c.post(ctx, body)
		if e != nil {
			return e
		}
		return nil
	})
	if err != nil {
		return push.Receipt{}, err
	}
	return push.Receipt{ID: name}, nil
}

// tagTarget returns the target field of a message to a tag expression.
func tagTarget(expr string) (field, value string, err error) {
	topic, cond, err := condition(expr)
	if err != nil {
		return "", "", err
	}
	if topic != "" {
		return `"topic":`, topic, nil
	}
	return `"condition":`, cond, nil
}

// checkTopicSize refuses a message over MaxTopicMessageSize.
func checkTopicSize(body []byte) error {
	msg, _ := messageObject(body)
	var buf bytes.Buffer
	if json.Compact(&buf, msg) != nil || buf.Len() <= MaxTopicMessageSize {
		return nil
	}
	return &push.Error{Op: opSend, Kind: push.ErrPayloadTooLarge, Detail: "the message is " + strconv.Itoa(buf.Len()) +
		" bytes; FCM takes at most " + strconv.Itoa(MaxTopicMessageSize) + " in a message to a topic or a condition (4096 to a token)"}
}

// driver is the direct.Driver of a Client: one request to one token.
type driver struct{ c *Client }

// Send posts env to the token env.Devices[i].
func (d driver) Send(ctx context.Context, env *push.Envelope, i int) push.Result {
	name, err := d.c.post(ctx, d.c.body(env.Body, `"token":`, env.Devices[i]))
	if err != nil {
		return push.Result{Err: err}
	}
	return push.Result{ID: name}
}

// Check refuses, once per send, what no token could take.
func (d driver) Check(env *push.Envelope) error { return checkEnvelope(env) }

// CheckHandle refuses a handle that cannot be a registration token: a Web
// Push endpoint URL.
func (d driver) CheckHandle(env *push.Envelope, i int) error {
	if strings.Contains(env.Devices[i], "://") {
		return &push.Error{Op: opSend, Kind: push.ErrInvalidTarget,
			Detail: "the device handle is a URL, like a Web Push endpoint; FCM takes registration tokens (send browser subscriptions with the webpush provider)"}
	}
	return nil
}

// checkEnvelope refuses a rendered notification FCM would misread: platform
// headers (FCM has nowhere to put them), a message that is not an object, and
// one that names its own target (token, topic, condition or fid: the target
// comes from the push.Target, and FCM would take the last of two).
func checkEnvelope(env *push.Envelope) error {
	if len(env.Header) > 0 {
		return &push.Error{Op: opSend, Kind: push.ErrInvalidNotification,
			Detail: "an fcmv1 notification sent to FCM carries no headers: put APNs and Web Push options in the message's apns and webpush objects"}
	}
	msg, ok := messageObject(env.Body)
	if !ok {
		return &push.Error{Op: opSend, Kind: push.ErrInvalidNotification, Detail: `the fcmv1 body's "message" must be a JSON object`}
	}
	if key, found := targetKey(msg); found {
		return &push.Error{Op: opSend, Kind: push.ErrInvalidNotification,
			Detail: "the message names its own target (" + key + "); leave it out: the push.Target gives it"}
	}
	return nil
}

// body returns the request body for the core's body and a target: the
// target field inserted at the start of the message object (and
// "validate_only":true at the start of the body, in a dry run). The rest is
// the core's bytes, unchanged.
func (c *Client) body(core []byte, field, value string) []byte {
	at, empty := insertionPoint(core)
	n := len(core) + len(field) + len(value) + 8
	if c.cfg.dryRun {
		n += len(dryRunField)
	}
	b := make([]byte, 0, n)
	if c.cfg.dryRun {
		open := skipSpace(core, 0) // the '{' of the object push.Render checked
		b = append(b, core[:open+1]...)
		b = append(b, dryRunField...)
		b = append(b, core[open+1:at]...)
	} else {
		b = append(b, core[:at]...)
	}
	b = append(b, field...)
	b = appendJSONString(b, value)
	if !empty {
		b = append(b, ',')
	}
	return append(b, core[at:]...)
}

// dryRunField is what a dry run adds to the body's top-level object.
const dryRunField = `"validate_only":true,`

// post makes one send request with body, and once more with a fresh access
// token when FCM refuses the first one (401 without an FcmError detail). It
// returns the message name.
func (c *Client) post(ctx context.Context, body []byte) (string, *push.Error) {
	tok, err := c.tokens.get(ctx)
	if err != nil {
		return "", err
	}
	name, err, renew := c.attempt(ctx, body, tok)
	if !renew {
		return name, err
	}
	if tok, err = c.tokens.renew(ctx, tok); err != nil {
		return "", err
	}
	name, err, _ = c.attempt(ctx, body, tok)
	return name, err
}

// attempt is the state of one HTTP request, in one allocation: whether it
// was written, its body (the attempt is the request's io.ReadCloser), and
// the reader of its answer.
type attempt struct {
	httpx.Attempt
	body   bytes.Reader
	answer io.LimitedReader
}

// Read reads the request body.
func (a *attempt) Read(p []byte) (int, error) { return a.body.Read(p) }

// Close does nothing: the body is the Client's bytes.
func (a *attempt) Close() error { return nil }

// attempt makes one HTTP request. renew reports a refused access token.
func (c *Client) attempt(ctx context.Context, body []byte, tok *accessToken) (name string, err *push.Error, renew bool) {
	a := &attempt{}
	var tmpl http.Request // stays on the stack: WithContext makes the request sent
	c.fillRequest(&tmpl, body, tok, a)
	resp, doErr := c.doer.Do(tmpl.WithContext(a.Context(ctx)))
	if doErr != nil {
		return "", httpx.TransportError(ctx, opSend, a.Wrote(), doErr), false
	}
	return c.readResponse(resp, tok, a)
}

// fillRequest fills req for one attempt. The header map is the access
// token's, shared by every request and never modified (a RoundTripper must
// not modify the request it sends).
func (c *Client) fillRequest(req *http.Request, body []byte, tok *accessToken, a *attempt) {
	a.body.Reset(body)
	*req = http.Request{
		Method:        http.MethodPost,
		URL:           c.sendURL,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        tok.headers,
		Host:          c.sendURL.Host,
		Body:          a,
		ContentLength: int64(len(body)),
		GetBody:       func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil },
	}
}

// readResponse reads resp and closes its body: the message name of an
// accepted send, or the error of a refused one.
func (c *Client) readResponse(resp *http.Response, tok *accessToken, a *attempt) (string, *push.Error, bool) {
	defer resp.Body.Close()
	buf := c.getBuffer()
	defer c.putBuffer(buf)
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := int64(maxResponseBody)
	if !ok {
		limit = maxErrorBody
	}
	a.answer = io.LimitedReader{R: resp.Body, N: limit}
	_, readErr := buf.ReadFrom(&a.answer)
	switch {
	case ok:
		name, found := parseName(buf.Bytes())
		if readErr != nil || !found {
			return "", &push.Error{Op: opSend, StatusCode: resp.StatusCode,
				Detail: "FCM accepted the message but its answer holds no message name"}, false
		}
		return name, nil, false
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return "", httpx.RedirectError(opSend, resp), false
	}
	e := statusError(opSend, resp, buf.Bytes(), c.cfg.clock.Now(), tok.token)
	renew := resp.StatusCode == http.StatusUnauthorized && e.Code == CodeUnauthenticated
	return "", e, renew
}

// maxResponseBody bounds the answer to an accepted send: {"name":"..."}.
const maxResponseBody = 16 << 10

// getBuffer returns a buffer to read a response into, from the Client's pool.
func (c *Client) getBuffer() *bytes.Buffer {
	if b, ok := c.buffers.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

// putBuffer returns b to the pool, unless an answer made it large.
func (c *Client) putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxResponseBody {
		b.Reset()
		c.buffers.Put(b)
	}
}
