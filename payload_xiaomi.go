package push

import (
	"strings"
	"time"
)

// Xiaomi limits.
const (
	maxXiaomiTitle       = 49 // characters: Xiaomi takes fewer than 50
	maxXiaomiDescription = 127
	maxXiaomiPayload     = 4096 // bytes
	maxXiaomiTTL         = 14 * 24 * time.Hour
)

// XiaomiNotifyType says how the device signals a Xiaomi notification: -1
// (XiaomiNotifyAll) or a combination of the other bits.
type XiaomiNotifyType int

// The Xiaomi notify types.
const (
	XiaomiNotifyAll     XiaomiNotifyType = -1 // the default sound, vibration and lights
	XiaomiNotifySound   XiaomiNotifyType = 1
	XiaomiNotifyVibrate XiaomiNotifyType = 2
	XiaomiNotifyLights  XiaomiNotifyType = 4
)

// XiaomiMessage is a typed Xiaomi (Mi Push) message, the JSON Notification
// Hubs' xiaomi platform forwards.
//
// Notification refuses a shown message (not PassThrough) without a Title and a
// Description, or whose Title or Description is blank, a Title of 50 characters
// or more, a Description of 128 or more, a Payload over 4096 bytes
// (ErrPayloadTooLarge), a NotifyType other than -1 or 1..7, a negative NotifyID,
// and a TimeToLive that is negative or over two weeks. Errors match
// ErrInvalidNotification and name the field.
//
// An XiaomiMessage is plain data: it may be copied and rendered from several
// goroutines as long as nobody modifies it.
type XiaomiMessage struct {
	// Title and Description are shown in the notification bar.
	Title, Description string
	// Payload is handed to the app.
	Payload string
	// PassThrough hands the message to the app without showing it (pass_through 1).
	PassThrough bool
	// NotifyType says how the device signals the notification; 0 sends none.
	NotifyType XiaomiNotifyType
	// NotifyID keeps notifications of different IDs side by side; one with
	// the same ID replaces the older. 0 sends none (all share one slot).
	NotifyID int
	// TimeToLive is how long Xiaomi keeps the message for an offline device,
	// sent in milliseconds, at most two weeks; 0 sends none.
	TimeToLive time.Duration
	// RestrictedPackageName is the app's package.
	RestrictedPackageName string
	// Extra holds Xiaomi's extra options and the app's own keys.
	Extra map[string]string
}

type xiaomiMessageJSON struct {
	Title                 string            `json:"title,omitempty"`
	Description           string            `json:"description,omitempty"`
	Payload               string            `json:"payload,omitempty"`
	PassThrough           int               `json:"pass_through,omitempty"`
	NotifyType            int               `json:"notify_type,omitempty"`
	NotifyID              int               `json:"notify_id,omitempty"`
	TimeToLive            int64             `json:"time_to_live,omitempty"`
	RestrictedPackageName string            `json:"restricted_package_name,omitempty"`
	Extra                 map[string]string `json:"extra,omitempty"`
}

// Notification renders m as a xiaomi notification, checked by NewNotification.
func (m XiaomiMessage) Notification() (Notification, error) {
	if err := m.check(); err != nil {
		return Notification{}, err
	}
	body, err := encodePayloadJSON(xiaomiMessageJSON{
		Title: m.Title, Description: m.Description, Payload: m.Payload,
		PassThrough: payloadFlag(m.PassThrough), NotifyType: int(m.NotifyType), NotifyID: m.NotifyID,
		TimeToLive: m.TimeToLive.Milliseconds(), RestrictedPackageName: m.RestrictedPackageName, Extra: m.Extra,
	})
	if err != nil {
		return Notification{}, payloadInvalid("XiaomiMessage: %v", err)
	}
	return NewNotification(Xiaomi, body, nil)
}

func (m XiaomiMessage) check() error {
	if err := m.checkText(); err != nil {
		return err
	}
	switch {
	case len(m.Payload) > maxXiaomiPayload:
		return payloadTooLarge("XiaomiMessage.Payload is %d bytes; Xiaomi takes at most %d", len(m.Payload), maxXiaomiPayload)
	case m.NotifyType != 0 && m.NotifyType != XiaomiNotifyAll && (m.NotifyType < 1 || m.NotifyType > 7):
		return payloadInvalid("XiaomiMessage.NotifyType is %d; want -1 (all) or a combination of 1 (sound), 2 (vibrate), 4 (lights)", m.NotifyType)
	case m.NotifyID < 0:
		return payloadInvalid("XiaomiMessage.NotifyID is %d; it must be 0 or more", m.NotifyID)
	}
	if err := checkPayloadTTL("XiaomiMessage.TimeToLive", m.TimeToLive, maxXiaomiTTL); err != nil {
		return err
	}
	return checkPayloadKeys("XiaomiMessage.Extra", m.Extra)
}

func (m XiaomiMessage) checkText() error {
	if !m.PassThrough {
		if strings.TrimSpace(m.Title) == "" || strings.TrimSpace(m.Description) == "" {
			return payloadInvalid("XiaomiMessage needs a Title and a Description that are not blank (or PassThrough, to hand the Payload to the app unseen)")
		}
	}
	if err := checkPayloadLength("XiaomiMessage.Title", m.Title, maxXiaomiTitle); err != nil {
		return err
	}
	return checkPayloadLength("XiaomiMessage.Description", m.Description, maxXiaomiDescription)
}
