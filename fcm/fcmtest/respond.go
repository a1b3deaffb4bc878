package fcmtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// The messages Google's front end answers a bad bearer with.
const (
	msgMissingCredentials = "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
	msgInvalidCredentials = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
	msgInvalidToken       = "The registration token is not a valid FCM registration token"
	msgNotFound           = "Requested entity was not found."
)

// apiError is an error answer of the send API.
type apiError struct {
	status     int
	message    string
	fcmCode    string // the FcmError detail's errorCode; "" for none
	field      string // a BadRequest field violation's field; "" for none
	retryAfter time.Duration
}

// statusNames are the google.rpc status names of the HTTP statuses.
var statusNames = map[int]string{
	http.StatusBadRequest:          "INVALID_ARGUMENT",
	http.StatusUnauthorized:        "UNAUTHENTICATED",
	http.StatusForbidden:           "PERMISSION_DENIED",
	http.StatusNotFound:            "NOT_FOUND",
	http.StatusConflict:            "ABORTED",
	http.StatusTooManyRequests:     "RESOURCE_EXHAUSTED",
	http.StatusInternalServerError: "INTERNAL",
	http.StatusNotImplemented:      "UNIMPLEMENTED",
	http.StatusServiceUnavailable:  "UNAVAILABLE",
	http.StatusGatewayTimeout:      "DEADLINE_EXCEEDED",
}

// code is what Request.Code records: the FcmError code, else the status.
func (e *apiError) code() string {
	if e.fcmCode != "" {
		return e.fcmCode
	}
	if name, ok := statusNames[e.status]; ok {
		return name
	}
	return "UNKNOWN"
}

// body is the answer's JSON, in Google's shape:
//
//	{"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT",
//	  "details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"INVALID_ARGUMENT"},
//	             {"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"...","description":"..."}]}]}}
func (e *apiError) body() []byte {
	type violation struct {
		Field       string `json:"field"`
		Description string `json:"description"`
	}
	type detail struct {
		Type            string      `json:"@type"`
		ErrorCode       string      `json:"errorCode,omitempty"`
		FieldViolations []violation `json:"fieldViolations,omitempty"`
	}
	var details []detail
	if e.fcmCode != "" {
		details = append(details, detail{Type: "type.googleapis.com/google.firebase.fcm.v1.FcmError", ErrorCode: e.fcmCode})
	}
	if e.field != "" {
		details = append(details, detail{Type: "type.googleapis.com/google.rpc.BadRequest",
			FieldViolations: []violation{{Field: e.field, Description: e.message}}})
	}
	status := statusNames[e.status]
	if status == "" {
		status = "UNKNOWN"
	}
	b, _ := json.MarshalIndent(map[string]any{"error": map[string]any{
		"code": e.status, "message": e.message, "status": status, "details": details,
	}}, "", "  ")
	if details == nil {
		b, _ = json.MarshalIndent(map[string]any{"error": map[string]any{
			"code": e.status, "message": e.message, "status": status,
		}}, "", "  ")
	}
	return append(b, '\n')
}

// writeError answers with e.
func writeError(w http.ResponseWriter, e *apiError) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=UTF-8")
	if e.retryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(int64((e.retryAfter+time.Second-1)/time.Second), 10))
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(e.body())
}

// writeJSON answers 200 with v.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.MarshalIndent(v, "", "  ")
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// invalid is a 400 INVALID_ARGUMENT about field.
func invalid(field, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, message: message, field: field}
}
