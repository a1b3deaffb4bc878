package apnstest

import (
	"mime"
	"net/http"
	"strings"

	"github.com/pushwire/push"
)

// ReadEnvelope reads a recorded request back into the push.Envelope a client
// rendered, with APNs' own addressing and auth taken off: an Apple
// Envelope whose Header holds every apns-* header except apns-topic, whose
// Body is the payload and whose one device is the path's token. A JSON
// content type (or none) reads as push.ContentTypeJSON.
func ReadEnvelope(r Request) push.Envelope {
	env := push.Envelope{Platform: push.Apple, ContentType: push.ContentTypeJSON, Body: r.Body, Devices: []string{r.Token}}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			env.ContentType = ct
		}
	}
	for k, v := range r.Header {
		if !strings.HasPrefix(k, "Apns-") || k == "Apns-Topic" {
			continue
		}
		if env.Header == nil {
			env.Header = http.Header{}
		}
		env.Header[k] = append([]string(nil), v...)
	}
	return env
}
