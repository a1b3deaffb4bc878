package apns_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

// FuzzParseKey feeds the .p8 loader anything: it returns a key or an error,
// never panics, and no error quotes the input.
func FuzzParseKey(f *testing.F) {
	srv := apnstest.NewServer()
	f.Add(srv.Key().PEM)
	srv.Close()
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n"))
	f.Add([]byte("not a key"))
	f.Fuzz(func(t *testing.T, in []byte) {
		k, err := apns.ParseKey(in)
		if (k == nil) == (err == nil) {
			t.Fatalf("ParseKey returned %v, %v", k, err)
		}
		if err != nil && len(err.Error()) > 300 {
			t.Fatalf("the error is %d bytes long: does it quote the input? %v", len(err.Error()), err)
		}
		if err != nil && len(in) > 300 && strings.Contains(err.Error(), string(in)) {
			t.Fatalf("the error quotes the input: %v", err)
		}
	})
}

// FuzzParseReason feeds the reason-body parser anything: the reason it
// returns is "" or a short word, and the timestamp zero or after the epoch.
func FuzzParseReason(f *testing.F) {
	f.Add([]byte(`{"reason":"BadDeviceToken"}`))
	f.Add([]byte(`{"reason":"Unregistered","timestamp":1893456000123}`))
	f.Add([]byte(`{"reason":"x.y.z","timestamp":-1}`))
	f.Add([]byte(`<html></html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		reason, at := apns.ParseReason(body)
		if len(reason) > 64 || strings.ContainsAny(reason, " .\"\n") {
			t.Fatalf("reason %q is not a word", reason)
		}
		if !at.IsZero() && !at.After(time.Unix(0, 0)) {
			t.Fatalf("timestamp %v", at)
		}
	})
}
