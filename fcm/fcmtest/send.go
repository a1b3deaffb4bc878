package fcmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// maxBody bounds the send requests the emulator reads.
const maxBody = 1 << 20

// serveHTTP routes a request: the send API, the token endpoint, and 404
// for the rest (the retired /batch endpoint included).
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/token":
		s.serveToken(w, r)
		return
	case strings.HasPrefix(r.URL.Path, "/v1/projects/") && strings.HasSuffix(r.URL.Path, "/messages:send"):
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, &apiError{status: http.StatusMethodNotAllowed, message: "Method Not Allowed"})
			return
		}
		s.serveSend(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<title>Error 404 (Not Found)!!1</title>\n<p><b>404.</b> <ins>That’s an error.</ins>\n<p>The requested URL <code>%s</code> was not found on this server.  <ins>That’s all we know.</ins>\n",
		htmlEscape(clip(r.URL.Path, 200)))
}

// serveSend serves POST /v1/projects/ID/messages:send.
func (s *Server) serveSend(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if readErr != nil {
		// The client went away before its request arrived whole: FCM never
		// sees such a request, and there is nobody to answer.
		return
	}
	req := Request{Time: s.clock.Now(), Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Body: body}
	top, msg := decodeBody(body)
	req.ValidateOnly = validateOnly(top)
	req.Target = targetOf(msg)
	req.Message = decodeMessage(top)
	project := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1/projects/"), "/messages:send")

	var apiErr *apiError
	if f, ok := s.takeFault(req.Target.Token); ok {
		if f.Drop {
			s.accept(&req, project)
			req.Dropped = true
			s.finish(r, req)
			panic(http.ErrAbortHandler) // closes the connection without an answer; the server logs nothing
		}
		apiErr = faultError(f)
	} else if len(body) > maxBody {
		apiErr = &apiError{status: http.StatusRequestEntityTooLarge, message: "The request is too large."}
	} else {
		apiErr = s.check(r, project, top, msg, req.Target)
	}
	if apiErr != nil {
		req.Status, req.Code, req.Error = apiErr.status, apiErr.code(), apiErr.message
		s.finish(r, req)
		writeError(w, apiErr)
		return
	}
	s.accept(&req, project)
	s.finish(r, req)
	writeJSON(w, http.StatusOK, map[string]string{"name": req.Name})
}

// accept marks req accepted, with a message name.
func (s *Server) accept(req *Request, project string) {
	req.Status = http.StatusOK
	if req.ValidateOnly {
		req.Name = "projects/" + project + "/messages/fake_message_id"
		return
	}
	s.mu.Lock()
	s.state.seq++
	seq := s.state.seq
	s.mu.Unlock()
	if req.Target.Topic != "" || req.Target.Condition != "" {
		req.Name = fmt.Sprintf("projects/%s/messages/%d", project, 6000000000000000000+seq)
		return
	}
	req.Name = fmt.Sprintf("projects/%s/messages/0:%d%%%016x", project, req.Time.UnixMicro(), seq)
}

// finish records req, tells the watchers, and logs it.
func (s *Server) finish(r *http.Request, req Request) {
	s.record(req)
	if s.logger != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelDebug, "fcmtest: send", slog.String("path", req.Path),
			slog.Int("status", req.Status), slog.String("code", req.Code))
	}
}

// check checks a send as FCM does, in its order: the access token, the
// body, the message's fields, its target and size, and the token's state.
func (s *Server) check(r *http.Request, project string, top, msg map[string]json.RawMessage, t Target) *apiError {
	if err := s.checkBearer(r, project); err != nil {
		return err
	}
	if project != s.project {
		return &apiError{status: http.StatusNotFound, message: msgNotFound}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return invalid("", "Invalid JSON payload received. The Content-Type must be application/json.")
	}
	if top == nil {
		return invalid("", "Invalid JSON payload received. The body is not a JSON object.")
	}
	for k := range top {
		if k != "message" && snake(k) != "validate_only" {
			return invalid("", fmt.Sprintf("Invalid JSON payload received. Unknown name %q: Cannot find field.", k))
		}
	}
	if msg == nil {
		return invalid("message", "Request contains an invalid argument: the message is missing or not an object.")
	}
	if err := checkObject(msg, messageSchema, "message"); err != nil {
		return err
	}
	if err := checkRules(decodeMessage(top)); err != nil {
		return err
	}
	if err := s.checkTarget(t); err != nil {
		return err
	}
	limit := MaxMessageSize
	if t.Topic != "" || t.Condition != "" {
		limit = MaxTopicMessageSize
	}
	if n := messageSize(msg); n > limit {
		return &apiError{status: http.StatusBadRequest, fcmCode: "INVALID_ARGUMENT",
			message: fmt.Sprintf("Message is too big: %d bytes; the limit is %d.", n, limit)}
	}
	return s.checkToken(t.Token)
}

// checkTarget checks that the message has exactly one target, well formed.
func (s *Server) checkTarget(t Target) *apiError {
	n := 0
	for _, v := range []string{t.Token, t.Topic, t.Condition, t.FID} {
		if v != "" {
			n++
		}
	}
	switch {
	case n != 1:
		return invalid("message", "Exactly one of message.token, message.topic, message.condition or message.fid must be set.")
	case t.Topic != "" && !ValidTopic(t.Topic):
		return invalid("message.topic", "Invalid topic name: "+strconv.Quote(clip(t.Topic, 100))+"; want [a-zA-Z0-9-_.~%]+.")
	case t.Condition != "":
		if _, err := ParseCondition(t.Condition); err != nil {
			return invalid("message.condition", "Invalid condition expression: "+err.Error())
		}
	case t.Token != "":
		if _, ok := s.tokenState(t.Token); !ok {
			return &apiError{status: http.StatusBadRequest, fcmCode: "INVALID_ARGUMENT", message: msgInvalidToken}
		}
	}
	return nil
}

// checkToken answers for a registration token's state.
func (s *Server) checkToken(token string) *apiError {
	if token == "" {
		return nil
	}
	st, _ := s.tokenState(token)
	switch st {
	case TokenUnregistered:
		return &apiError{status: http.StatusNotFound, fcmCode: "UNREGISTERED", message: msgNotFound}
	case TokenOtherSender:
		return &apiError{status: http.StatusForbidden, fcmCode: "SENDER_ID_MISMATCH", message: "SenderId mismatch"}
	case TokenNoThirdPartyAuth:
		return &apiError{status: http.StatusUnauthorized, fcmCode: "THIRD_PARTY_AUTH_ERROR", message: "Auth error from APNS or Web Push Service"}
	}
	return nil
}

// decodeBody decodes a body's top-level object and its message object; nil
// for what is not an object.
func decodeBody(body []byte) (top, msg map[string]json.RawMessage) {
	if json.Unmarshal(body, &top) != nil {
		return nil, nil
	}
	if raw, ok := top["message"]; ok {
		if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) && json.Unmarshal(raw, &msg) != nil {
			msg = nil
		}
	}
	return top, msg
}

// decodeMessage decodes the message object, nil when there is none.
func decodeMessage(top map[string]json.RawMessage) map[string]any {
	var m map[string]any
	if raw, ok := top["message"]; ok && json.Unmarshal(raw, &m) == nil {
		return m
	}
	return nil
}

// validateOnly reads validate_only (or validateOnly).
func validateOnly(top map[string]json.RawMessage) bool {
	for k, v := range top {
		if snake(k) == "validate_only" {
			return string(bytes.TrimSpace(v)) == "true"
		}
	}
	return false
}

// targetOf reads the message's target fields.
func targetOf(msg map[string]json.RawMessage) Target {
	var t Target
	for k, v := range msg {
		var s string
		if json.Unmarshal(v, &s) != nil {
			continue
		}
		switch snake(k) {
		case "token":
			t.Token = s
		case "topic":
			t.Topic = s
		case "condition":
			t.Condition = s
		case "fid":
			t.FID = s
		}
	}
	return t
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
