package nhtest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push/azurenh/nhtest"
)

// Example starts the emulator and sends one APNs notification to a tag with plain
// net/http, signing the request as the service documents.
func Example() {
	s := nhtest.NewServer()
	defer s.Close()

	// The key is the text after SharedAccessKey= in the connection string.
	_, key, _ := strings.Cut(s.ConnectionString(), "SharedAccessKey=")

	// Sign a token for the namespace: HMAC-SHA256 of the URL-encoded audience, a
	// newline and the expiry, keyed with the key text itself.
	sr := url.QueryEscape(strings.ToLower(s.URL() + "/"))
	se := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(sr + "\n" + se))
	sig := url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	token := "SharedAccessSignature sr=" + sr + "&sig=" + sig + "&se=" + se + "&skn=" + nhtest.FullRuleName

	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/"+s.Hub()+"/messages?api-version=2020-06",
		strings.NewReader(`{"aps":{"alert":"Hello"}}`))
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	req.Header.Set("ServiceBusNotification-Format", "apple")
	req.Header.Set("ServiceBusNotification-Tags", "news || sports")
	resp, err := s.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	for _, send := range s.Sends() {
		fmt.Println(send.Kind, send.Envelope.Platform, send.Envelope.Tags, string(send.Envelope.Body))
	}
	// Output:
	// 201 Created
	// send apple news || sports {"aps":{"alert":"Hello"}}
}
