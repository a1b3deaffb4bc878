package apns

import (
	"fmt"

	"github.com/pushwire/push"
)

// Device tokens are hex; Apple's are 32 bytes today but Apple says not to
// assume a size, so any even length within these bounds is accepted.
const (
	minTokenHex = 16
	maxTokenHex = 400
)

// maxCollapseID is the longest apns-collapse-id APNs accepts, in bytes.
const maxCollapseID = 64

// Header keys, canonical, as the Envelope and the request hold them.
const (
	headerPushType      = "Apns-Push-Type"
	headerPriority      = "Apns-Priority"
	headerTopic         = "Apns-Topic"
	headerCollapseID    = "Apns-Collapse-Id"
	headerAPNsID        = "Apns-Id"
	headerUniqueID      = "Apns-Unique-Id"
	headerAuthorization = "Authorization"
	headerContentType   = "Content-Type"
)

// Check refuses, before any I/O, a send APNs would refuse: no topic, a topic
// whose suffix contradicts the push type, a background push at priority 10,
// a push type APNs takes only with token auth sent with a certificate, a
// payload over 4096 bytes (5120 for voip), a collapse ID over 64 bytes.
func (d *driver) Check(env *push.Envelope) error {
	c := d.c
	pushType, _ := pushTypeOf(env)
	if _, err := c.topicOf(env, pushType); err != nil {
		return err
	}
	if v := env.Header[headerPriority]; len(v) > 0 && v[0] == "10" && pushType == "background" {
		return invalidNotification("a background push (content-available without alert, badge or sound) must have apns-priority 5 or 1; APNs refuses 10")
	}
	if c.tokens == nil && (pushType == "location" || pushType == "liveactivity") {
		return invalidNotification("APNs takes " + pushType + " pushes only with token auth (apns.Token), not with a certificate")
	}
	limit := push.MaxAppleBodySize
	if pushType == "voip" {
		limit = push.MaxVoIPBodySize
	}
	if len(env.Body) > limit {
		return &push.Error{Op: opSend, Kind: push.ErrPayloadTooLarge, Detail: fmt.Sprintf("the payload is %d bytes; APNs takes at most %d for %s pushes", len(env.Body), limit, pushType)}
	}
	if v := env.Header[headerCollapseID]; len(v) > 0 && len(v[0]) > maxCollapseID {
		return invalidNotification(fmt.Sprintf("apns-collapse-id is %d bytes; APNs takes at most %d", len(v[0]), maxCollapseID))
	}
	return nil
}

// CheckHandle refuses a device token that is not hex of an even length
// between 16 and 400 digits.
func (d *driver) CheckHandle(env *push.Envelope, i int) error {
	t := env.Devices[i]
	if len(t) < minTokenHex || len(t) > maxTokenHex || len(t)%2 != 0 || !isHex(t) {
		return &push.Error{Op: opSend, Kind: push.ErrInvalidTarget,
			Detail: fmt.Sprintf("a device token is the hex string of its bytes (an even number of 0-9 and a-f, %d to %d of them); this one is %d characters", minTokenHex, maxTokenHex, len(t))}
	}
	return nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// topicOf returns the apns-topic header value of a push of pushType of env:
// the notification's own apns-topic or the Client's default, with the push
// type's suffix; nil with certificate auth and no topic (APNs then takes the
// certificate's).
func (c *Client) topicOf(env *push.Envelope, pushType string) ([]string, error) {
	base := c.topic
	if v := env.Header[headerTopic]; len(v) > 0 {
		if !validTopic(v[0]) {
			return nil, invalidNotification("apns-topic " + quote(v[0]) + " is not a bundle ID (letters, digits, '.', '-', '_')")
		}
		base = v[0]
	} else if v, ok := c.topics[pushType]; ok {
		return v, nil
	}
	if base == "" {
		if c.tokens == nil {
			return nil, nil
		}
		return nil, invalidNotification("no apns-topic: give the app's bundle ID with apns.WithTopic, or an apns-topic header in the notification")
	}
	t, err := resolveTopic(base, pushType)
	if err != nil {
		return nil, err
	}
	return []string{t}, nil
}

func invalidNotification(detail string) error {
	return &push.Error{Op: opSend, Kind: push.ErrInvalidNotification, Detail: detail}
}
