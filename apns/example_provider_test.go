package apns_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/provider"
)

// Open a Client from a configuration URL: the environment (or an emulator's
// address), the .p8 key in a file, its key ID, the team ID and the topic.
func Example_provider() {
	srv := apnstest.NewServer()
	defer srv.Close()
	k := srv.Key()
	dir, _ := os.MkdirTemp("", "apns")
	defer os.RemoveAll(dir)
	keyFile := filepath.Join(dir, "AuthKey_"+k.KeyID+".p8")
	os.WriteFile(keyFile, k.PEM, 0o600)

	// In production: apns://production?key_file=...&key_id=...&team_id=...&topic=...
	url := "apns://" + srv.Addr() + "?key_file=" + keyFile + "&key_id=" + k.KeyID + "&team_id=" + k.TeamID + "&topic=com.example.app"
	sender, err := provider.Open(context.Background(), url, provider.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sender.Close()
	n, _ := push.AppleNotification(`{"aps":{"alert":"Hello"}}`)
	_, err = sender.Send(context.Background(), n, push.Device(srv.NewDevice("")))
	fmt.Println("sent:", err == nil)
	fmt.Println("environment:", sender.(*apns.Client).Environment())
	// Output:
	// sent: true
	// environment: sandbox
}
