package apnstest

// Apple's reasons, as the Server sends them in {"reason":"..."}.
const (
	reasonBadCollapseID               = "BadCollapseId"
	reasonBadDeviceToken              = "BadDeviceToken"
	reasonBadExpirationDate           = "BadExpirationDate"
	reasonBadMessageID                = "BadMessageId"
	reasonBadPriority                 = "BadPriority"
	reasonBadTopic                    = "BadTopic"
	reasonDeviceTokenNotForTopic      = "DeviceTokenNotForTopic"
	reasonDuplicateHeaders            = "DuplicateHeaders"
	reasonInvalidPushType             = "InvalidPushType"
	reasonMissingDeviceToken          = "MissingDeviceToken"
	reasonMissingTopic                = "MissingTopic"
	reasonPayloadEmpty                = "PayloadEmpty"
	reasonTopicDisallowed             = "TopicDisallowed"
	reasonBadCertificate              = "BadCertificate"
	reasonExpiredProviderToken        = "ExpiredProviderToken"
	reasonForbidden                   = "Forbidden"
	reasonInvalidProviderToken        = "InvalidProviderToken"
	reasonMissingProviderToken        = "MissingProviderToken"
	reasonUnrelatedKeyIDInToken       = "UnrelatedKeyIdInToken"
	reasonBadEnvironmentKeyInToken    = "BadEnvironmentKeyInToken"
	reasonBadPath                     = "BadPath"
	reasonMethodNotAllowed            = "MethodNotAllowed"
	reasonExpiredToken                = "ExpiredToken"
	reasonUnregistered                = "Unregistered"
	reasonPayloadTooLarge             = "PayloadTooLarge"
	reasonTooManyProviderTokenUpdates = "TooManyProviderTokenUpdates"
	reasonTooManyRequests             = "TooManyRequests"
	reasonInternalServerError         = "InternalServerError"
	reasonServiceUnavailable          = "ServiceUnavailable"

	// reasonInvalidPayload answers a body that is not a JSON object. Apple's
	// table has no reason for it; this is the emulator's choice.
	reasonInvalidPayload = "InvalidPayload"
	// reasonHTTP1 answers a request that is not HTTP/2 (the emulator's
	// choice; APNs refuses such connections outright).
	reasonHTTP1 = "HTTP2Required"
)

// pushTypes maps each push type APNs knows to the suffix of its topic. mdm
// is absent: its topic is the MDM certificate's UID.
var pushTypes = map[string]string{
	"alert":        "",
	"background":   "",
	"location":     ".location-query",
	"voip":         ".voip",
	"complication": ".complication",
	"fileprovider": ".pushkit.fileprovider",
	"liveactivity": ".push-type.liveactivity",
	"pushtotalk":   ".voip-ptt",
	"widgets":      ".push-type.widgets",
	"mdm":          "",
}
