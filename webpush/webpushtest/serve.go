package webpushtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serveHTTP serves POST /subscribe, and takes every other request for a
// push request: one to a path that is no endpoint is refused (404) and
// recorded like the others.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/subscribe" {
		s.serveSubscribe(w, r)
		return
	}
	s.servePush(w, r)
}

// servePush serves one push request: it records it, checks it as a push
// service does, decrypts it as the browser would, and answers.
func (s *Server) servePush(w http.ResponseWriter, r *http.Request) {
	endpoint := "https://" + r.Host + r.URL.Path
	m := Message{Endpoint: endpoint, Time: s.cfg.clock.Now(), Header: r.Header.Clone(), TTL: -1}
	m.Header.Del("Authorization")
	body, tooLarge := readBody(r, s.cfg.maxBody)
	m.Body = body

	s.mu.Lock()
	hook := s.state.hook
	sub := s.state.subs[endpoint]
	var st subState
	if sub != nil {
		st = sub.state
		m.Subscription = sub.sub
	}
	s.mu.Unlock()
	if hook != nil {
		hook(endpoint)
	}
	if sub != nil && len(body) > 0 && !tooLarge {
		m.Plaintext, m.DecryptErr = decryptWebPush(sub.private, sub.auth, body)
	}

	if f, ok := s.takeFault(endpoint); ok {
		s.applyFault(w, &m, f)
		return
	}
	if ref := s.check(r, &m, sub, st, tooLarge); ref != nil {
		m.Status, m.Refusal = ref.status, ref.reason
		s.record(m)
		s.log(m)
		writeRefusal(w, ref)
		return
	}
	s.accept(w, r, &m)
}

// check checks a push request in the order a push service does, filling
// m.VAPID and m.TTL, and returns why it refuses it, or nil.
func (s *Server) check(r *http.Request, m *Message, sub *subscription, st subState, tooLarge bool) *refusal {
	if r.Method != http.MethodPost {
		return refuse(http.StatusMethodNotAllowed, "a push message is a POST, not %.10s", r.Method)
	}
	if ref := checkSubscriptionState(sub, st); ref != nil {
		return ref
	}
	if r.ContentLength < 0 {
		return refuse(http.StatusLengthRequired, "the request has no Content-Length header")
	}
	v, ref := s.checkVAPID(r, sub)
	m.VAPID = v
	if ref != nil {
		return ref
	}
	if m.TTL, ref = checkTTL(r.Header, s.cfg.maxTTL); ref != nil {
		return ref
	}
	if ref := checkUrgency(r.Header); ref != nil {
		return ref
	}
	if ref := checkTopic(r.Header); ref != nil {
		return ref
	}
	if tooLarge {
		return refuse(http.StatusRequestEntityTooLarge, "the body is over %d bytes", s.cfg.maxBody)
	}
	if len(m.Body) == 0 {
		return nil // a push without payload
	}
	keyid, ref := checkBody(r.Header, m.Body)
	if ref != nil {
		return ref
	}
	if v.Key != "" && sameKey(v.Key, b64url(keyid)) {
		return refuse(http.StatusBadRequest, "the VAPID key k is the message's encryption key; RFC 8292 requires two keys")
	}
	return nil
}

// accept answers 201 with the message's Location and the TTL applied, or 202
// with a receipt link when the request prefers respond-async.
func (s *Server) accept(w http.ResponseWriter, r *http.Request, m *Message) {
	m.ID = s.newID()
	m.Status = http.StatusCreated
	h := w.Header()
	h.Set("Location", s.origin+"/message/"+m.ID)
	h.Set("TTL", strconv.FormatInt(m.TTL, 10))
	if strings.Contains(strings.ToLower(r.Header.Get("Prefer")), "respond-async") {
		m.Status = http.StatusAccepted
		h.Set("Link", "<"+s.origin+"/receipt/"+m.ID+`>; rel="urn:ietf:params:push:receipt"`)
	}
	s.record(*m)
	s.log(*m)
	w.WriteHeader(m.Status)
}

// applyFault answers a request with an injected fault.
func (s *Server) applyFault(w http.ResponseWriter, m *Message, f Fault) {
	if f.Drop {
		m.Refusal = "dropped by an injected fault"
		s.record(*m)
		s.log(*m)
		panic(http.ErrAbortHandler) // breaks the connection without an answer; the server logs nothing
	}
	m.Status, m.Refusal = f.Status, "injected fault"
	s.record(*m)
	s.log(*m)
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64((f.RetryAfter+time.Second-1)/time.Second), 10))
	}
	writeRefusal(w, &refusal{status: f.Status, reason: http.StatusText(f.Status) + " (injected by webpushtest)"})
}

// readBody reads up to max bytes of body; tooLarge reports there was more.
func readBody(r *http.Request, max int) (body []byte, tooLarge bool) {
	if r.ContentLength > int64(max) {
		return nil, true
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
	if len(b) > max {
		return nil, true
	}
	return b, false
}

// writeRefusal answers with a refusal's status and, as Mozilla's autopush
// does, a JSON body that says why; Apple's refusals carry its reason.
func writeRefusal(w http.ResponseWriter, ref *refusal) {
	var body []byte
	if ref.apple {
		body = []byte(`{"reason":"BadJwtToken"}`)
	} else {
		body, _ = json.Marshal(struct {
			Code    int    `json:"code"`
			Error   string `json:"error"`
			Message string `json:"message"`
		}{ref.status, http.StatusText(ref.status), ref.reason})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(ref.status)
	w.Write(body)
}

// serveSubscribe makes a subscription for a client that cannot call
// NewSubscription (a standalone emulator): POST /subscribe with an
// optional JSON body {"applicationServerKey":"KEY"} answers 201 with the
// subscription as PushSubscription.toJSON() writes it.
func (s *Server) serveSubscribe(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeRefusal(w, refuse(http.StatusMethodNotAllowed, "POST /subscribe makes a subscription"))
		return
	}
	var req struct {
		ApplicationServerKey string `json:"applicationServerKey"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4096))
	if len(bytes.TrimSpace(body)) > 0 && json.Unmarshal(body, &req) != nil {
		writeRefusal(w, refuse(http.StatusBadRequest, `the body is not {"applicationServerKey":"KEY"}`))
		return
	}
	var opts []SubscriptionOption
	if k := req.ApplicationServerKey; k != "" {
		if _, err := parseVAPIDKey(b64url(mustDecode(k))); err != nil {
			writeRefusal(w, refuse(http.StatusBadRequest, "applicationServerKey: %v", err))
			return
		}
		opts = append(opts, WithApplicationServerKey(k))
	}
	sub := s.NewSubscription(opts...)
	out, _ := json.Marshal(map[string]any{
		"endpoint":       sub.Endpoint,
		"expirationTime": nil,
		"keys":           map[string]string{"p256dh": sub.P256DH, "auth": sub.Auth},
	})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	w.Write(out)
}

// mustDecode decodes base64 in either alphabet, or returns nil.
func mustDecode(s string) []byte {
	b, err := decodeAnyBase64(s)
	if err != nil {
		return nil
	}
	return b
}
