package push

// Platform is a notification format: the value of Notification Hubs'
// ServiceBusNotification-Format header. Each native platform has its own body
// format; Template carries properties that the service expands into the templates
// devices registered.
type Platform string

// The formats Notification Hubs accepts.
const (
	Apple        Platform = "apple"        // APNs JSON: {"aps":{...}}
	FCMV1        Platform = "fcmv1"        // Firebase Cloud Messaging v1: {"message":{...}}
	Windows      Platform = "windows"      // WNS: toast, tile or badge XML, or raw bytes
	WindowsPhone Platform = "windowsphone" // MPNS XML; Microsoft retired MPNS, kept for old hubs
	ADM          Platform = "adm"          // Amazon Device Messaging JSON
	Baidu        Platform = "baidu"        // Baidu Cloud Push JSON
	Browser      Platform = "browser"      // Web Push JSON
	Xiaomi       Platform = "xiaomi"       // Xiaomi push JSON
	Template     Platform = "template"     // a flat JSON object of string properties

	// GCM is the legacy Firebase format. Google shut the legacy API down in 2024;
	// it is kept only for hubs that still have GCM registrations.
	//
	// Deprecated: use FCMV1.
	GCM Platform = "gcm"
)

// Platforms returns every Platform, in a fixed order.
func Platforms() []Platform {
	return []Platform{Apple, FCMV1, GCM, Windows, WindowsPhone, ADM, Baidu, Browser, Xiaomi, Template}
}

// numPlatforms is the number of known formats.
const numPlatforms = 10

// platformIndex returns p's place in Platforms(), for a valid p; it does not
// allocate.
func platformIndex(p Platform) int {
	switch p {
	case Apple:
		return 0
	case FCMV1:
		return 1
	case GCM:
		return 2
	case Windows:
		return 3
	case WindowsPhone:
		return 4
	case ADM:
		return 5
	case Baidu:
		return 6
	case Browser:
		return 7
	case Xiaomi:
		return 8
	}
	return 9 // Template
}

// Valid reports whether p is one of the known formats.
func (p Platform) Valid() bool {
	switch p {
	case Apple, FCMV1, GCM, Windows, WindowsPhone, ADM, Baidu, Browser, Xiaomi, Template:
		return true
	}
	return false
}

// isJSON reports whether p's bodies are JSON.
func (p Platform) isJSON() bool {
	return p.Valid() && p != Windows && p != WindowsPhone
}

// String returns the format name as sent on the wire.
func (p Platform) String() string { return string(p) }
