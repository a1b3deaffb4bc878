package apns

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// The reasons APNs gives in the body of a refusal, {"reason":"..."}. A
// *push.Error of a refused send holds the reason in Code and is classified
// by the table below: compare Code with these constants to tell apart
// refusals of the same kind.
const (
	ReasonBadCollapseID               = "BadCollapseId"
	ReasonBadDeviceToken              = "BadDeviceToken"
	ReasonBadExpirationDate           = "BadExpirationDate"
	ReasonBadMessageID                = "BadMessageId"
	ReasonBadPriority                 = "BadPriority"
	ReasonBadTopic                    = "BadTopic"
	ReasonDeviceTokenNotForTopic      = "DeviceTokenNotForTopic"
	ReasonDuplicateHeaders            = "DuplicateHeaders"
	ReasonIdleTimeout                 = "IdleTimeout"
	ReasonInvalidPushType             = "InvalidPushType"
	ReasonMissingDeviceToken          = "MissingDeviceToken"
	ReasonMissingTopic                = "MissingTopic"
	ReasonPayloadEmpty                = "PayloadEmpty"
	ReasonTopicDisallowed             = "TopicDisallowed"
	ReasonBadCertificate              = "BadCertificate"
	ReasonBadCertificateEnvironment   = "BadCertificateEnvironment"
	ReasonExpiredProviderToken        = "ExpiredProviderToken"
	ReasonForbidden                   = "Forbidden"
	ReasonInvalidProviderToken        = "InvalidProviderToken"
	ReasonMissingProviderToken        = "MissingProviderToken"
	ReasonUnrelatedKeyIDInToken       = "UnrelatedKeyIdInToken"
	ReasonBadEnvironmentKeyInToken    = "BadEnvironmentKeyInToken"
	ReasonBadEnvironmentKeyIDInToken  = "BadEnvironmentKeyIdInToken"
	ReasonBadPath                     = "BadPath"
	ReasonMethodNotAllowed            = "MethodNotAllowed"
	ReasonExpiredToken                = "ExpiredToken"
	ReasonUnregistered                = "Unregistered"
	ReasonPayloadTooLarge             = "PayloadTooLarge"
	ReasonTooManyProviderTokenUpdates = "TooManyProviderTokenUpdates"
	ReasonTooManyRequests             = "TooManyRequests"
	ReasonInternalServerError         = "InternalServerError"
	ReasonServiceUnavailable          = "ServiceUnavailable"
	ReasonShutdown                    = "Shutdown"
)

// reasonInfo is what a reason means: its status, its sentinel, and what to
// do about it.
type reasonInfo struct {
	status int
	kind   error
	detail string
}

// reasons maps every reason of Apple's table to its sentinel, once.
var reasons = map[string]reasonInfo{
	ReasonBadCollapseID:     {400, push.ErrInvalidNotification, "apns-collapse-id is longer than 64 bytes"},
	ReasonBadDeviceToken:    {400, push.ErrInvalidTarget, "the device token is invalid, or from the wrong environment (a sandbox token sent to production, or the reverse): check the environment before deleting it"},
	ReasonBadExpirationDate: {400, push.ErrInvalidNotification, "apns-expiration is not a UNIX time in seconds"},
	ReasonBadMessageID:      {400, push.ErrInvalidNotification, "apns-id is not a UUID"},
	ReasonBadPriority:       {400, push.ErrInvalidNotification, "apns-priority is not 10, 5 or 1, or is 10 for a background push"},
	ReasonBadTopic:          {400, push.ErrInvalidNotification, "apns-topic is malformed"},
	ReasonDeviceTokenNotForTopic: {400, push.ErrInvalidTarget, "the device token does not belong to the topic: check the bundle ID and its " +
		"push-type suffix (.voip, .complication, ...), or drop the token"},
	ReasonDuplicateHeaders:            {400, push.ErrInvalidNotification, "a header was repeated"},
	ReasonIdleTimeout:                 {400, push.ErrUnavailable, "APNs closed the idle connection; the send may be retried on a new one"},
	ReasonInvalidPushType:             {400, push.ErrInvalidNotification, "apns-push-type is not one APNs knows"},
	ReasonMissingDeviceToken:          {400, push.ErrInvalidTarget, "the request named no device token"},
	ReasonMissingTopic:                {400, push.ErrInvalidNotification, "apns-topic is required: set the bundle ID with WithTopic"},
	ReasonPayloadEmpty:                {400, push.ErrInvalidNotification, "the payload is empty"},
	ReasonTopicDisallowed:             {400, push.ErrInvalidNotification, "the credentials may not push to this topic"},
	ReasonBadCertificate:              {403, push.ErrUnauthorized, "APNs refused the client certificate"},
	ReasonBadCertificateEnvironment:   {403, push.ErrUnauthorized, "the client certificate is for the other environment (production or sandbox)"},
	ReasonExpiredProviderToken:        {403, push.ErrUnauthorized, "APNs says the provider token is more than an hour old even after it was renewed: check the local clock"},
	ReasonForbidden:                   {403, push.ErrForbidden, "APNs does not allow this action"},
	ReasonInvalidProviderToken:        {403, push.ErrUnauthorized, "APNs refused the provider token: check the key, its key ID and the team ID"},
	ReasonMissingProviderToken:        {403, push.ErrUnauthorized, "the request carried neither a provider token nor a client certificate"},
	ReasonUnrelatedKeyIDInToken:       {403, push.ErrUnauthorized, "the key ID is not related to the key first used on the connection: use one Client per key"},
	ReasonBadEnvironmentKeyInToken:    {403, push.ErrUnauthorized, "the key is restricted to the other environment (production or sandbox)"},
	ReasonBadEnvironmentKeyIDInToken:  {403, push.ErrUnauthorized, "the key is restricted to the other environment (production or sandbox)"},
	ReasonBadPath:                     {404, push.ErrInvalidTarget, "the request path is not /3/device/TOKEN"},
	ReasonMethodNotAllowed:            {405, nil, "APNs takes POST only"},
	ReasonExpiredToken:                {410, push.ErrUnregistered, "the device token has expired: delete it"},
	ReasonUnregistered:                {410, push.ErrUnregistered, "the device token is no longer active for the topic: delete it, unless the device registered again after UnregisteredAt"},
	ReasonPayloadTooLarge:             {413, push.ErrPayloadTooLarge, "the payload is larger than APNs accepts (4096 bytes, 5120 for voip)"},
	ReasonTooManyProviderTokenUpdates: {429, push.ErrThrottled, "the provider token changed too often on one connection"},
	ReasonTooManyRequests:             {429, push.ErrThrottled, "too many notifications in a row to this device token"},
	ReasonInternalServerError:         {500, push.ErrUnavailable, "APNs failed internally"},
	ReasonServiceUnavailable:          {503, push.ErrUnavailable, "APNs is unavailable"},
	ReasonShutdown:                    {503, push.ErrUnavailable, "the APNs server is shutting down"},
}

// statusKind is the sentinel of a status whose reason is unknown or absent.
func statusKind(status int) error {
	switch {
	case status == http.StatusBadRequest:
		return push.ErrInvalidNotification
	case status == http.StatusForbidden:
		return push.ErrUnauthorized
	case status == http.StatusGone:
		return push.ErrUnregistered
	case status == http.StatusRequestEntityTooLarge:
		return push.ErrPayloadTooLarge
	case status == http.StatusTooManyRequests:
		return push.ErrThrottled
	case status >= 500:
		return push.ErrUnavailable
	}
	return nil
}

// refusal is the body of an error response: {"reason":"...","timestamp":MS}.
type refusal struct {
	Reason    string `json:"reason"`
	Timestamp int64  `json:"timestamp"`
}

// maxReasonBody bounds what is read of an error response.
const maxReasonBody = 4 << 10

// parseReason reads an error response's body. It is lenient: a body that is
// empty or not the JSON APNs sends gives no reason. A reason that is not a
// short word (what every reason APNs sends is) is dropped: a hostile or
// broken server could otherwise put anything, a credential included, in an
// error message. The timestamp is in milliseconds since the epoch; 0 when
// absent or negative.
func parseReason(body []byte) (reason string, timestamp time.Time) {
	var r refusal
	if err := json.Unmarshal(bytes.TrimSpace(body), &r); err != nil {
		return "", time.Time{}
	}
	if !isReasonWord(r.Reason) {
		r.Reason = ""
	}
	if r.Timestamp > 0 {
		timestamp = time.UnixMilli(r.Timestamp).UTC()
	}
	return r.Reason, timestamp
}

// isReasonWord reports whether s is 1 to 64 ASCII letters, the form of every
// reason APNs documents.
func isReasonWord(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// refusalError returns the error of a refused send: the kind from the reason
// (or the status when the reason is unknown), the reason as Code, and a detail
// a person can act on.
func refusalError(status int, reason, trackingID string) *push.Error {
	e := &push.Error{Op: opSend, StatusCode: status, Code: reason, TrackingID: trackingID}
	if info, ok := reasons[reason]; ok {
		e.Kind, e.Detail = info.kind, info.detail
		return e
	}
	e.Kind = statusKind(status)
	if reason == "" {
		e.Detail = "APNs refused the notification with no reason"
	} else {
		e.Detail = "APNs refused the notification with a reason this client does not know"
	}
	if e.Kind == nil {
		e.Detail = "APNs answered with the unexpected status " + strconv.Itoa(status) + " " + http.StatusText(status)
	}
	return e
}

// scrubbed stands for an error whose message held a credential: it keeps
// the message with the credential replaced, and nothing of the original.
type scrubbed struct{ msg string }

func (e *scrubbed) Error() string { return e.msg }

// scrub returns err, or when its message holds secret (or its signature
// part) a *scrubbed error saying the same with REDACTED in its place.
// Transport errors can quote what a server sent (a GOAWAY's debug data), and
// a hostile server can echo the token back.
func scrub(err error, secret string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := redact(msg, secret); clean != msg {
		return &scrubbed{msg: clean}
	}
	return err
}

// redact returns s with secret, and the signature part of a JWT secret,
// replaced by REDACTED.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	s = strings.ReplaceAll(s, secret, redacted)
	if i := strings.LastIndexByte(secret, '.'); i >= 0 && i+1 < len(secret) {
		s = strings.ReplaceAll(s, secret[i+1:], redacted)
	}
	return s
}

// asPushError returns err as a *push.Error.
func asPushError(err error) (*push.Error, bool) {
	var e *push.Error
	ok := errors.As(err, &e)
	return e, ok
}
