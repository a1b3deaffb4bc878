package nhtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pushwire/push"
)

// TestSendKeepsOnlyWhatItReached checks that the record of a send grows with
// the devices it reached, not with the devices on the hub: a send that
// reaches one installation of 10,000 keeps one.
func TestSendKeepsOnlyWhatItReached(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for i := range 10000 {
		id := fmt.Sprintf("i%05d", i)
		if err := s.PutInstallation(Installation{InstallationID: id, Platform: push.Apple, PushChannel: PushChannel{Handle: id}, Tags: []string{"t" + id}}); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/hub/messages?api-version=2020-06", strings.NewReader(`{"aps":{"alert":"hi"}}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", s.Authorization(SendRuleName))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("ServiceBusNotification-Format", "apple")
	req.Header.Set("ServiceBusNotification-Tags", "ti00042")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d", resp.StatusCode)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	send := s.state.sends[0]
	if len(send.Matched) != 1 || cap(send.devices) != 1 || cap(send.Matched) != 1 {
		t.Errorf("a send that reached %d devices keeps room for %d", len(send.Matched), cap(send.devices))
	}
}
