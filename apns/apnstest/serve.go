package apnstest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Limits APNs enforces.
const (
	maxPayload      = 4096
	maxVoIPPayload  = 5120
	maxCollapseID   = 64
	maxTokenAge     = time.Hour
	maxReadBody     = 64 << 10
	devicePathStart = "/3/device/"
)

// serveHTTP answers one request, as APNs would, and records it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	c, _ := r.Context().Value(connKey{}).(*conn)
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxReadBody))
	rec := Request{Conn: c.id, Time: s.clock.Now(), Method: r.Method, Path: r.URL.Path,
		Header: r.Header.Clone(), Body: body, Token: strings.TrimPrefix(r.URL.Path, devicePathStart)}
	if !strings.HasPrefix(r.URL.Path, devicePathStart) {
		rec.Token = ""
	}
	if watch := s.watcher(); watch != nil {
		watch(rec.clone())
	}
	if r.ProtoMajor != 2 {
		w.Header().Set("Connection", "close")
		s.answer(w, &rec, http.StatusHTTPVersionNotSupported, reasonHTTP1)
		return
	}
	f, faulty := s.takeFault(rec.Token)
	if faulty && f.GoAway {
		s.goAway(c) // before the answer, so that the client reads the GOAWAY first
	}
	if faulty && s.applyFault(w, r, c, &rec, f) {
		return
	}
	status, reason := s.check(r, c, &rec)
	s.answer(w, &rec, status, reason)
}

func (s *Server) watcher() func(Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.watch
}

// applyFault applies f to a request and reports whether it answered it.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, c *conn, rec *Request, f Fault) bool {
	switch {
	case f.Drop:
		s.record(*rec)
		c.raw.Close()
		return true
	case f.Freeze:
		s.record(*rec)
		c.raw.freeze()
		s.stall(r.Context())
		return true
	case f.Stall:
		s.record(*rec)
		s.stall(r.Context())
		return true
	case f.Status != 0:
		reason := f.Reason
		if reason == "" {
			reason = defaultReason(f.Status)
		}
		s.answer(w, rec, f.Status, reason)
		return true
	}
	return false
}

// stall waits until the request ends or the Server closes.
func (s *Server) stall(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-s.done:
	}
}

// goAway ends c gracefully: GOAWAY now, the streams received answered, the
// connection closed once they are.
func (s *Server) goAway(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return
	default:
	}
	s.wg.Go(func() { c.srv.Shutdown(context.Background()) })
}

// check applies Apple's checks in the order of the reference's checklist
// and returns the status and reason of the answer (200, "" when accepted).
func (s *Server) check(r *http.Request, c *conn, rec *Request) (int, string) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, reasonMethodNotAllowed
	}
	if !strings.HasPrefix(r.URL.Path, devicePathStart) || strings.Contains(rec.Token, "/") {
		return http.StatusNotFound, reasonBadPath
	}
	if rec.Token == "" {
		return http.StatusBadRequest, reasonMissingDeviceToken
	}
	for k, v := range r.Header {
		if (strings.HasPrefix(k, "Apns-") || k == "Authorization") && len(v) > 1 {
			return http.StatusBadRequest, reasonDuplicateHeaders
		}
	}
	team, status, reason := s.authenticate(r, c, rec)
	if status != 0 {
		return status, reason
	}
	pushType := r.Header.Get("Apns-Push-Type")
	if status, reason := checkHeaders(r.Header, pushType); status != 0 {
		return status, reason
	}
	if status, reason := s.checkTopic(r.Header.Get("Apns-Topic"), pushType, team, rec); status != 0 {
		return status, reason
	}
	if status, reason := s.checkDevice(rec); status != 0 {
		return status, reason
	}
	if status, reason := checkBody(rec.Body, pushType); status != 0 {
		return status, reason
	}
	if s.overBurst(rec.Token, rec.Time) {
		return http.StatusTooManyRequests, reasonTooManyRequests
	}
	return http.StatusOK, ""
}

// authenticate checks the client certificate or the provider token and
// returns the team whose topics the request may push to ("" for a
// certificate, whose topic is recorded in rec by checkTopic's caller).
func (s *Server) authenticate(r *http.Request, c *conn, rec *Request) (string, int, string) {
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		topic, ok := s.certTopic(sha256.Sum256(r.TLS.PeerCertificates[0].Raw))
		if !ok {
			return "", http.StatusForbidden, reasonBadCertificate
		}
		rec.Certificate = true
		return "cert:" + topic, 0, ""
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return "", http.StatusForbidden, reasonMissingProviderToken
	}
	t, err := readProviderToken(auth)
	if err != nil || t.alg != "ES256" {
		return "", http.StatusForbidden, reasonInvalidProviderToken
	}
	key, ok := s.keyByID(t.kid)
	if !ok || t.iss != key.TeamID || !t.verify(key.public) {
		return "", http.StatusForbidden, reasonInvalidProviderToken
	}
	if rec.Time.Sub(t.iat) > maxTokenAge || s.isExpired(t.raw) {
		c.allowRenewal()
		return "", http.StatusForbidden, reasonExpiredProviderToken
	}
	if t.iat.Sub(rec.Time) > maxTokenAge {
		return "", http.StatusForbidden, reasonInvalidProviderToken
	}
	if key.Environment != AnyEnvironment && key.Environment != s.env {
		return "", http.StatusForbidden, reasonBadEnvironmentKeyInToken
	}
	if status, reason := c.bind(t, key.TeamID, rec.Time); status != 0 {
		return "", status, reason
	}
	s.accepted(t.raw)
	rec.TeamID, rec.KeyID = key.TeamID, key.KeyID
	return key.TeamID, 0, ""
}

func (s *Server) isExpired(jwt string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expired[jwt]
}

func (s *Server) accepted(jwt string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen[jwt] = true
}

// checkHeaders checks the values of the apns-* headers.
func checkHeaders(h http.Header, pushType string) (int, string) {
	if id := h.Get("Apns-Id"); id != "" && !isCanonicalUUID(id) {
		return http.StatusBadRequest, reasonBadMessageID
	}
	priority := h.Get("Apns-Priority")
	if priority != "" && priority != "10" && priority != "5" && priority != "1" {
		return http.StatusBadRequest, reasonBadPriority
	}
	if e := h.Get("Apns-Expiration"); e != "" {
		if n, err := strconv.ParseInt(e, 10, 64); err != nil || n < 0 {
			return http.StatusBadRequest, reasonBadExpirationDate
		}
	}
	if len(h.Get("Apns-Collapse-Id")) > maxCollapseID {
		return http.StatusBadRequest, reasonBadCollapseID
	}
	if _, ok := pushTypes[pushType]; pushType != "" && !ok {
		return http.StatusBadRequest, reasonInvalidPushType
	}
	if pushType == "background" && priority == "10" {
		return http.StatusBadRequest, reasonBadPriority
	}
	return 0, ""
}

// checkTopic checks the topic against the team's bundle IDs (or the
// certificate's), the push type's suffix and the device's registration.
func (s *Server) checkTopic(topic, pushType, team string, rec *Request) (int, string) {
	if cert, ok := strings.CutPrefix(team, "cert:"); ok {
		if topic == "" {
			topic = cert
		}
		team = "cert:" + cert
	}
	if topic == "" {
		return http.StatusBadRequest, reasonMissingTopic
	}
	if !wellFormedTopic(topic) {
		return http.StatusBadRequest, reasonBadTopic
	}
	bundle, suffix := splitTopic(topic)
	if pushType != "mdm" && !s.owns(team, bundle) {
		return http.StatusBadRequest, reasonTopicDisallowed
	}
	if pushType == "" {
		pushType = "alert"
	}
	if want, ok := pushTypes[pushType]; ok && pushType != "mdm" && want != suffix {
		return http.StatusBadRequest, reasonDeviceTokenNotForTopic
	}
	if d := s.device(rec.Token); d.topic != "" && d.topic != bundle {
		return http.StatusBadRequest, reasonDeviceTokenNotForTopic
	}
	return 0, ""
}

// owns reports whether team (or "cert:BUNDLE") may push to bundle.
func (s *Server) owns(team, bundle string) bool {
	if cert, ok := strings.CutPrefix(team, "cert:"); ok {
		return cert == bundle
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.topics[bundle] == team
}

// splitTopic returns the bundle ID of a topic and its push-type suffix.
func splitTopic(topic string) (bundle, suffix string) {
	for _, sfx := range pushTypes {
		if sfx != "" && strings.HasSuffix(topic, sfx) && len(sfx) > len(suffix) {
			suffix = sfx
		}
	}
	return strings.TrimSuffix(topic, suffix), suffix
}

func wellFormedTopic(t string) bool {
	if len(t) > 255 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// checkDevice checks the device token's form and what the Server knows of it.
func (s *Server) checkDevice(rec *Request) (int, string) {
	if len(rec.Token)%2 != 0 || !isHexString(rec.Token) {
		return http.StatusBadRequest, reasonBadDeviceToken
	}
	d := s.device(rec.Token)
	switch {
	case d.bad:
		return http.StatusBadRequest, reasonBadDeviceToken
	case !d.unregistered.IsZero():
		rec.Timestamp = d.unregistered
		return http.StatusGone, reasonUnregistered
	case d.expired:
		rec.Timestamp = rec.Time
		return http.StatusGone, reasonExpiredToken
	}
	return 0, ""
}

// checkBody checks the payload: present, within the size limit, a JSON object.
func checkBody(body []byte, pushType string) (int, string) {
	limit := maxPayload
	if pushType == "voip" {
		limit = maxVoIPPayload
	}
	switch {
	case len(body) == 0:
		return http.StatusBadRequest, reasonPayloadEmpty
	case len(body) > limit:
		return http.StatusRequestEntityTooLarge, reasonPayloadTooLarge
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return http.StatusBadRequest, reasonInvalidPayload
	}
	return 0, ""
}

// answer writes the answer, records the request and logs it.
func (s *Server) answer(w http.ResponseWriter, rec *Request, status int, reason string) {
	rec.ID = rec.Header.Get("Apns-Id")
	if rec.ID == "" || !isCanonicalUUID(rec.ID) {
		rec.ID = newUUID()
	}
	h := w.Header()
	h.Set("apns-id", rec.ID)
	if s.env == Sandbox {
		rec.UniqueID = newUUID()
		h.Set("apns-unique-id", rec.UniqueID)
	}
	rec.Status, rec.Reason = status, reason
	if status == http.StatusGone && rec.Timestamp.IsZero() {
		rec.Timestamp = rec.Time
	}
	s.record(*rec)
	s.logger.LogAttrs(context.Background(), slog.LevelDebug, "apnstest: request", slog.Int("conn", rec.Conn),
		slog.String("method", rec.Method), slog.String("token", rec.Token), slog.Int("status", status), slog.String("reason", reason))
	if status == http.StatusOK || reason == "" {
		w.WriteHeader(status)
		return
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if status == http.StatusGone {
		fmt.Fprintf(w, `{"reason":%q,"timestamp":%d}`, reason, rec.Timestamp.UnixMilli())
		return
	}
	fmt.Fprintf(w, `{"reason":%q}`, reason)
}

// isCanonicalUUID reports whether s is 8-4-4-4-12 hex digits.
func isCanonicalUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return false
			}
		} else if !isHexString(s[i : i+1]) {
			return false
		}
	}
	return true
}

func isHexString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// newUUID returns a random version-4 UUID in lower case.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
