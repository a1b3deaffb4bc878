package azurenh_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pushwire/push/azurenh"
)

// FuzzParsePnsFeedback checks that the feedback parser never panics, and that
// the records it reads are written and read back unchanged.
func FuzzParsePnsFeedback(f *testing.F) {
	f.Add([]byte(feedbackBlob))
	f.Add(utf16LE(feedbackBlob))
	f.Add([]byte(`<PnsFeedback><FeedbackTime>bad</FeedbackTime></PnsFeedback><x><PnsFeedback/></x><PnsFeedback><PnsHandle> h </PnsHandle></PnsFeedback>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var records []azurenh.PnsFeedback
		for fb, err := range azurenh.ParsePnsFeedback(bytes.NewReader(data)) {
			if err == nil {
				records = append(records, fb)
			}
		}
		blob, err := azurenh.EncodePnsFeedback(records)
		if err != nil {
			t.Fatalf("encoding parsed records: %v", err)
		}
		var again []azurenh.PnsFeedback
		for fb, err := range azurenh.ParsePnsFeedback(bytes.NewReader(blob)) {
			if err != nil {
				t.Fatalf("parsing what was encoded: %v\n%s", err, blob)
			}
			again = append(again, fb)
		}
		if !equalJSON(records, again) {
			t.Fatalf("records changed:\n%#v\n%#v\n%s", records, again, blob)
		}
	})
}

// equalJSON compares values by their JSON form, which compares times by their
// RFC 3339 text and maps by content.
func equalJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
