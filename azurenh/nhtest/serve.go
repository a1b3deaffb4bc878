package nhtest

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// maxBodySize is the largest request body the service takes (413 beyond).
const maxBodySize = 64 << 10

// exchange is what the emulator learns about one request as it serves it.
type exchange struct {
	trackingID string
	target     target
	rule       Rule // the rule that signed the request, once authenticated
	apiVersion string
	outcome    string // for the log: why the request ended without a normal answer
}

// statusWriter remembers the status a handler answered with, for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// serveHTTP serves one request: it tags the answer with a tracking ID and a
// correlation ID, authenticates it, applies any fault, then serves the
// request as the service does. A request that fails authentication is
// answered at once, and takes no fault: a fault is for the client under
// test, whose requests are signed.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{trackingID: r.Header.Get(headerTrackingID), target: s.resolve(r)}
	if x.trackingID == "" {
		x.trackingID = s.newUUID()
	}
	sw := &statusWriter{ResponseWriter: w}
	defer s.logRequest(r, sw, x, time.Now())
	sw.Header()[headerTrackingID] = []string{x.trackingID} // spelled as the service does, not canonicalised
	sw.Header().Set(headerCorrelationID, s.newUUID())
	if !s.admit(sw, r, x) {
		return
	}
	next := func(w http.ResponseWriter, r *http.Request) { s.serveChecked(w, r, x) }
	if f, ok := s.takeFault(x.target.route); ok && s.applyFault(sw, r, x, f, next) {
		return
	}
	next(sw, r)
}

// admit authenticates a request: its shared access signature or, for the
// feedback container, the signature of its URL. It reports whether the
// request goes on; when not, it has answered.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, x *exchange) bool {
	if x.target.op == opFeedbackBlob {
		if !s.validFeedbackSAS(r.URL.Query()) {
			s.writeStorageError(w, http.StatusForbidden, "AuthenticationFailed", "The signature of the container URL is not valid, or it expired.")
			return false
		}
		return true
	}
	rule, err := s.authenticate(r)
	if err != nil {
		s.writeError(w, x, err)
		return false
	}
	x.rule = rule
	return true
}

// serveChecked checks the request as the service does, then serves it: the
// api-version, the path, the claim, the method.
func (s *Server) serveChecked(w http.ResponseWriter, r *http.Request, x *exchange) {
	if x.target.op == opFeedbackBlob { // a storage URL, signed in its query
		s.serveFeedbackBlob(w, r, x.target.id)
		return
	}
	if err := s.check(r, x); err != nil {
		s.writeError(w, x, err)
		return
	}
	if err := s.dispatch(w, r, x); err != nil {
		s.writeError(w, x, err)
	}
}

// check runs the checks every authenticated request goes through.
func (s *Server) check(r *http.Request, x *exchange) *apiError {
	var err *apiError
	if x.apiVersion, err = checkAPIVersion(r); err != nil {
		return err
	}
	rule, t := x.rule, x.target
	switch {
	case t.op == opUnknown && t.what == "hub":
		return newError(http.StatusNotFound, "The requested resource "+r.URL.Path+" was not found: the namespace has one hub, '"+s.hub+"'.")
	case t.op == opUnknown:
		return newError(http.StatusNotFound, "The requested resource "+r.URL.Path+" was not found.")
	case !rule.Rights.Has(t.right):
		return unauthorized(claimName(t.right) + " claim is required for this operation.")
	case !t.allows(r.Method):
		return newError(http.StatusMethodNotAllowed, "The method "+r.Method+" is not allowed on "+r.URL.Path+"; allowed: "+strings.ReplaceAll(t.methods, " ", ", ")+".")
	case t.minVersion != "" && x.apiVersion < t.minVersion:
		return badRequest("The operation needs api-version " + t.minVersion + " or later; the request has " + x.apiVersion + ".")
	}
	return nil
}

// claimName names the strongest claim of r, as the service does in "Manage claim
// is required for this operation.".
func claimName(r Rights) string {
	switch {
	case r.Has(RightManage):
		return "Manage"
	case r.Has(RightSend):
		return "Send"
	}
	return "Listen"
}

// dispatch serves a checked request.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	switch x.target.op {
	case opSend:
		return s.serveSend(w, r, x, messagesKind(r.URL.Query()))
	case opBatch:
		return s.serveSend(w, r, x, KindBatch)
	case opSchedule:
		return s.serveSend(w, r, x, KindScheduled)
	case opCancel:
		return s.serveCancel(w, x)
	case opInstallation:
		return s.serveInstallation(w, r, x.target.id)
	case opRegistrationID, opRegistrations, opRegistration, opRegistrationsByTag:
		return s.serveRegistrations(w, r, x)
	case opDetails:
		return s.serveDetails(w, x)
	case opFeedbackContainer:
		return s.serveFeedbackContainer(w)
	case opJobs, opJob:
		return s.serveJobs(w, r, x)
	}
	return newError(http.StatusNotImplemented, "nhtest does not emulate "+x.target.what+"; the token and its claims were accepted.")
}

// APIVersions returns the api-version values the emulator accepts, oldest first:
// those of the service's data-plane REST API from 2013-10 to 2020-06, the version
// every current SDK uses. Each call returns a new slice.
func APIVersions() []string {
	return []string{"2013-10", "2014-09", "2015-01", "2015-04", "2015-08", "2016-07", "2017-04", "2020-06"}
}

// checkAPIVersion checks that the api-version parameter is present and known and
// that an x-ms-version header, if any, says the same; it returns the version.
func checkAPIVersion(r *http.Request) (string, *apiError) {
	v := r.URL.Query().Get("api-version")
	switch {
	case v == "":
		return "", badRequest("The api-version query parameter is required, e.g. ?api-version=2020-06.")
	case !slices.Contains(APIVersions(), v):
		return "", badRequest("The api-version '" + v + "' is not supported; supported versions: " + strings.Join(APIVersions(), ", ") + ".")
	}
	if h := r.Header.Get("X-Ms-Version"); h != "" && h != v {
		return "", badRequest("The x-ms-version header '" + h + "' does not match the api-version '" + v + "'.")
	}
	return v, nil
}

// readBody reads a request body of at most limit bytes; a longer one is a 413.
func readBody(r *http.Request, limit int64) ([]byte, *apiError) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, badRequest("The request body could not be read: " + err.Error())
	}
	if int64(len(body)) > limit {
		return nil, newError(http.StatusRequestEntityTooLarge, "The request body is larger than the "+sizeText(limit)+" the service accepts.")
	}
	return body, nil
}

// sizeText writes a byte count in KB or MB.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return itoa(n>>20) + " MB"
	}
	return itoa(n>>10) + " KB"
}

// newUUID returns a random UUID from the Server's random source.
func (s *Server) newUUID() string {
	var b [16]byte
	s.random.read(b[:])
	id, _ := uuid.FromBytes(b[:])
	id[6] = id[6]&0x0f | 0x40 // version 4
	id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
	return id.String()
}

// redactQuery returns a raw query with the value of its sig parameters (the
// signature of a feedback container URL) replaced by REDACTED.
func redactQuery(raw string) string {
	if !strings.Contains(raw, "sig=") {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		if strings.HasPrefix(p, "sig=") {
			parts[i] = "sig=REDACTED"
		}
	}
	return strings.Join(parts, "&")
}

// logRequest logs a served request at debug level, without the Authorization
// header or anything else secret.
func (s *Server) logRequest(r *http.Request, w *statusWriter, x *exchange, start time.Time) {
	if s.logger == nil || !s.logger.Enabled(r.Context(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("query", redactQuery(r.URL.RawQuery)),
		slog.String("route", string(x.target.route)), slog.String("rule", x.rule.Name), slog.Int("status", w.status),
		slog.String("tracking_id", x.trackingID), slog.Duration("duration", time.Since(start)),
	}
	if x.outcome != "" {
		attrs = append(attrs, slog.String("outcome", x.outcome))
	}
	s.logger.LogAttrs(r.Context(), slog.LevelDebug, "nhtest request", attrs...)
}
