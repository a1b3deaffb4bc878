package push

import (
	"encoding/json"
	"testing"
)

var fcmBodies = []string{
	`{"message":{"notification":{"title":"t","body":"b"},"data":{"a":"1","b":"x\"y"},"android":{"priority":"high","data":{"c":"3"}}}}`,
	`{"message":{}}`,
	`{"message":{"data":null,"android":null}}`,
	` { "message" : { "data" : { "k" : "v" } , "apns" : {"payload":{"aps":{"alert":[1,{"x":"}"}]}}} } } `,
	`{"message":{"data":{"n":1}}}`,
	`{"message":{"data":{"from":"x"}}}`,
	`{"message":{"data":{"google.x":"x"}}}`,
	`{"message":{"android":{"data":{"gcm.y":"1"}}}}`,
	`{"message":{"android":"x"}}`,
	`{"message":{"data":"x"}}`,
	`{"message":{},"extra":1}`,
	`{"message":{},"message":{}}`,
	`{"\u006dessage":{}}`,
	`{"message":{"d\u0061ta":{"n":1}}}`,
	`{"other":{}}`,
	`{"message":[]}`,
}

// The scanning fast path never accepts what the decoding check refuses.
func TestFCMV1FastPathAgreesWithDecoding(t *testing.T) {
	for _, b := range fcmBodies {
		n := Notification{Platform: FCMV1, Body: []byte(b)}
		fast, slow := fcmV1OK(n.Body), checkFCMV1Decoded(n)
		if fast && slow != nil {
			t.Errorf("%s: the fast path accepts what decoding refuses: %v", b, slow)
		}
	}
	if !fcmV1OK([]byte(fcmBodies[0])) || !fcmV1OK([]byte(fcmBodies[3])) {
		t.Error("the fast path refuses a plain valid body")
	}
}

func TestFCMV1CheckAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	n := Notification{Platform: FCMV1, Body: []byte(fcmBodies[0])}
	if a := testing.AllocsPerRun(100, func() { _ = checkFCMV1(n) }); a != 0 {
		t.Errorf("checkFCMV1 of a valid body: %v allocations", a)
	}
}

func FuzzFCMV1FastPath(f *testing.F) {
	for _, b := range fcmBodies {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !json.Valid([]byte(body)) {
			return
		}
		n := Notification{Platform: FCMV1, Body: []byte(body)}
		if fcmV1OK(n.Body) {
			if err := checkFCMV1Decoded(n); err != nil {
				t.Fatalf("the fast path accepts %s, which decoding refuses: %v", body, err)
			}
		}
	})
}
