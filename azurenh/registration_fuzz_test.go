package azurenh_test

import (
	"testing"
	"time"

	"github.com/pushwire/push/azurenh"
)

// FuzzDecodeRegistrationFeed checks that the Atom decoders never panic, and
// that whatever they decode is written and read back unchanged:
// decode(encode(decode(x))) == decode(x).
func FuzzDecodeRegistrationFeed(f *testing.F) {
	f.Add([]byte(serviceFeed))
	f.Add([]byte(serviceEntry))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"/>`))
	f.Add([]byte(`<entry><content><AppleTemplateRegistrationDescription><BodyTemplate>a&#xD;b</BodyTemplate><PushVariables>{"k":"\ufffe"}</PushVariables><ExpirationTime>0000-01-01T00:00:00+01:00</ExpirationTime></AppleTemplateRegistrationDescription></content></entry>`))
	for _, k := range azurenh.RegistrationKinds() {
		entry, err := azurenh.EncodeRegistrationEntry(served(sampleRegistration(k)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(entry)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := azurenh.DecodeRegistration(data); err == nil {
			checkRegistrationStable(t, []azurenh.Registration{r})
		}
		rs, err := azurenh.DecodeRegistrationFeed(data)
		if err != nil {
			return
		}
		checkRegistrationStable(t, rs)
	})
}

// checkRegistrationStable encodes decoded registrations as a feed and checks
// that they decode the same.
func checkRegistrationStable(t *testing.T, rs []azurenh.Registration) {
	t.Helper()
	feed, err := azurenh.EncodeRegistrationFeed(rs)
	if err != nil {
		return // a kind that cannot name an element
	}
	again, err := azurenh.DecodeRegistrationFeed(feed)
	if err != nil {
		t.Fatalf("decoding what was encoded: %v\n%s", err, feed)
	}
	if len(again) != len(rs) {
		t.Fatalf("decoded %d registrations, encoded %d\n%s", len(again), len(rs), feed)
	}
	for i := range rs {
		if !sameRegistration(rs[i], again[i]) {
			t.Fatalf("registration %d changed:\n%#v\n%#v\n%s", i, rs[i], again[i], feed)
		}
	}
}

// sameRegistration compares registrations, times by instant.
func sameRegistration(a, b azurenh.Registration) bool {
	if !a.ExpirationTime.Equal(b.ExpirationTime) {
		return false
	}
	a.ExpirationTime, b.ExpirationTime = time.Time{}, time.Time{}
	return equalJSON(a, b)
}
