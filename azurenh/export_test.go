package azurenh

// The wire encoders and decoders, for the tests of package azurenh_test that
// play the service or check the wire form. Users never call them: the
// Client's methods do.
var (
	EncodeInstallationRequest = encodeInstallationRequest
	EncodeJobEntry            = encodeJobEntry
	EncodeJobFeed             = encodeJobFeed
	EncodeJobRequest          = encodeJobRequest
	EncodeNotificationDetails = encodeNotificationDetails
	EncodePatch               = encodePatch
	EncodePnsFeedback         = encodePnsFeedback
	EncodeRegistrationEntry   = encodeRegistrationEntry
	EncodeRegistrationFeed    = encodeRegistrationFeed
	EncodeRegistrationRequest = encodeRegistrationRequest
	DecodeJob                 = decodeJob
	DecodeJobFeed             = decodeJobFeed
	DecodePatch               = decodePatch
	DecodeRegistration        = decodeRegistration
	DecodeRegistrationFeed    = decodeRegistrationFeed
	ParseNotificationDetails  = parseNotificationDetails
	ParseFeedbackContainerURL = parseFeedbackContainerURL
	ListByChannelFilter       = listByChannelFilter
	ApplyPatch                = applyPatch
)

// ElementName is RegistrationKind.elementName, for the tests.
func ElementName(k RegistrationKind) string { return k.elementName() }
