package push

import "time"

// ADM limits.
const (
	maxADMData             = 6 << 10 // bytes of data keys and values
	maxADMConsolidationKey = 64
	minADMExpiresAfter     = time.Minute
	maxADMExpiresAfter     = 31 * 24 * time.Hour
)

// ADMMessage is a typed Amazon Device Messaging message, the JSON Notification
// Hubs' adm platform forwards to ADM: string data for the app, an optional
// notification ADM shows itself, and the delivery options.
//
// Data values are strings by type, as ADM requires. Notification refuses an
// empty message, data over 6 KB (ErrPayloadTooLarge), a consolidation key over
// 64 characters, an ExpiresAfter outside 60 s to 31 days, an unknown priority,
// a color other than #rrggbb and an image without a scheme. Errors match
// ErrInvalidNotification and name the field.
//
// An ADMMessage is plain data: it may be copied and rendered from several
// goroutines as long as nobody modifies it.
type ADMMessage struct {
	// Display is the notification ADM shows on the device ("notification"). It
	// is not named Notification because that is the method that renders the
	// message.
	Display *ADMDisplay
	// Data is handed to the app ("data").
	Data map[string]string
	// Priority is normal or high; empty: ADM's default.
	Priority Priority
	// ConsolidationKey marks messages as the same: ADM may drop an older
	// undelivered one in favour of the newer (at most 64 characters).
	ConsolidationKey string
	// ExpiresAfter is how long ADM keeps the message for an offline device,
	// sent in whole seconds, from 60 s to 31 days; 0 sends none (ADM's default,
	// one week).
	ExpiresAfter time.Duration
}

// ADMDisplay is the notification ADM shows on the device.
type ADMDisplay struct {
	Title, Body string
	Icon        string // a drawable resource of the app
	Color       string // the icon's color, #rrggbb
	Sound       string // "default" or a raw resource of the app
	Tag         string // a newer notification with the same tag replaces the older
	ClickAction string // the intent action started on a click
	ChannelID   string // the Android notification channel
	Image       string // URL of an image shown in the notification
}

type admMessageJSON struct {
	Notification     *admNotificationJSON `json:"notification,omitempty"`
	Data             map[string]string    `json:"data,omitempty"`
	Priority         string               `json:"priority,omitempty"`
	ConsolidationKey string               `json:"consolidationKey,omitempty"`
	ExpiresAfter     int64                `json:"expiresAfter,omitempty"`
}

type admNotificationJSON struct {
	Title       string `json:"title,omitempty"`
	Body        string `json:"body,omitempty"`
	Icon        string `json:"icon,omitempty"`
	Color       string `json:"color,omitempty"`
	Sound       string `json:"sound,omitempty"`
	Tag         string `json:"tag,omitempty"`
	ClickAction string `json:"clickAction,omitempty"`
	ChannelID   string `json:"channelId,omitempty"`
	Image       string `json:"image,omitempty"`
}

// Notification renders m as an adm notification, checked by NewNotification.
func (m ADMMessage) Notification() (Notification, error) {
	if err := m.check(); err != nil {
		return Notification{}, err
	}
	w := admMessageJSON{
		Data: m.Data, Priority: string(m.Priority), ConsolidationKey: m.ConsolidationKey,
		ExpiresAfter: int64(m.ExpiresAfter / time.Second),
	}
	if m.Display != nil {
		n := admNotificationJSON(*m.Display)
		w.Notification = &n
	}
	body, err := encodePayloadJSON(w)
	if err != nil {
		return Notification{}, payloadInvalid("ADMMessage: %v", err)
	}
	return NewNotification(ADM, body, nil)
}

func (m ADMMessage) check() error {
	if m.Display == nil && len(m.Data) == 0 {
		return payloadInvalid("ADMMessage is empty: set Data or Display")
	}
	if err := m.checkData(); err != nil {
		return err
	}
	if err := checkPriorityValue("ADMMessage.Priority", m.Priority); err != nil {
		return err
	}
	if err := checkPayloadLength("ADMMessage.ConsolidationKey", m.ConsolidationKey, maxADMConsolidationKey); err != nil {
		return err
	}
	if m.ExpiresAfter != 0 && (m.ExpiresAfter < minADMExpiresAfter || m.ExpiresAfter > maxADMExpiresAfter) {
		return payloadInvalid("ADMMessage.ExpiresAfter is %v; ADM takes 60s to 31 days (744h0m0s)", m.ExpiresAfter)
	}
	return m.Display.check()
}

func (m ADMMessage) checkData() error {
	if err := checkPayloadKeys("ADMMessage.Data", m.Data); err != nil {
		return err
	}
	size := 0
	for k, v := range m.Data {
		size += len(k) + len(v)
	}
	if size > maxADMData {
		return payloadTooLarge("ADMMessage.Data holds %d bytes of keys and values; ADM takes at most %d", size, maxADMData)
	}
	return nil
}

func (n *ADMDisplay) check() error {
	if n == nil {
		return nil
	}
	if n.Color != "" && !isRGBColor(n.Color) {
		return payloadInvalid("ADMDisplay.Color %q must be #rrggbb, like #ff9900", n.Color)
	}
	return checkPayloadURL("ADMDisplay.Image", n.Image)
}
