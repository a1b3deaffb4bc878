package azurenh_test

import (
	"testing"
	"time"

	"github.com/pushwire/push/azurenh"
)

// FuzzParseNotificationDetails checks that the telemetry parser never panics,
// and that what it parses is written and read back unchanged.
func FuzzParseNotificationDetails(f *testing.F) {
	f.Add([]byte(serviceDetails))
	f.Add([]byte(`<NotificationDetails><NotificationBody><toast>a&amp;b</toast></NotificationBody><State>Enqueued</State></NotificationDetails>`))
	f.Add([]byte(`<NotificationDetails><NotificationBody>x&#xD;y<!-- c --></NotificationBody><ApnsOutcomeCounts><Outcome><Name>Success</Name><Count>+1</Count></Outcome></ApnsOutcomeCounts><ApnsOutcomeCounts/></NotificationDetails>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := azurenh.ParseNotificationDetails(data)
		if err != nil {
			return
		}
		wire, err := azurenh.EncodeNotificationDetails(d)
		if err != nil {
			return // a platform name that cannot name an element
		}
		again, err := azurenh.ParseNotificationDetails(wire)
		if err != nil {
			t.Fatalf("parsing what was encoded: %v\n%s", err, wire)
		}
		if !sameDetails(d, again) {
			t.Fatalf("details changed:\n%#v\n%#v\n%s", d, again, wire)
		}
	})
}

// sameDetails compares telemetry, times by instant.
func sameDetails(a, b azurenh.NotificationDetails) bool {
	for _, p := range []struct{ a, b *time.Time }{{&a.EnqueueTime, &b.EnqueueTime}, {&a.StartTime, &b.StartTime}, {&a.EndTime, &b.EndTime}} {
		if !p.a.Equal(*p.b) {
			return false
		}
		*p.a, *p.b = time.Time{}, time.Time{}
	}
	return equalJSON(a, b)
}
