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

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// ExamplePayload registers an iPhone with an Apple template and a Windows PC
// with a Windows template, sends one template notification to a tag, and prints
// what each device would receive: the templates expanded with the send's
// properties, each escaped for its format.
func ExamplePayload() {
	s := nhtest.NewServer()
	defer s.Close()
	devices := []nhtest.Installation{{
		InstallationID: "iphone",
		Platform:       push.Apple,
		PushChannel:    nhtest.PushChannel{Handle: "apns-device-token"},
		Tags:           []string{"sports"},
		Templates: map[string]nhtest.InstallationTemplate{
			"goal": {Body: `{"aps":{"alert":"{'Goal! ' + $(team)}","badge":"#(score)"}}`},
		},
	}, {
		InstallationID: "surface",
		Platform:       push.Windows,
		PushChannel:    nhtest.PushChannel{Handle: "https://wns.example/channel"},
		Tags:           []string{"sports"},
		Templates: map[string]nhtest.InstallationTemplate{
			"goal": {
				Body:    `<toast><visual><binding template="ToastText01"><text id="1">$(team)</text></binding></visual></toast>`,
				Headers: map[string]string{"X-WNS-Type": "wns/toast"},
			},
		},
	}}
	for _, in := range devices {
		if err := s.PutInstallation(in); err != nil {
			fmt.Println(err)
			return
		}
	}

	// A template send: its body holds the properties, and no format header is
	// needed.
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/"+s.Hub()+"/messages?api-version=2020-06",
		strings.NewReader(`{"team":"Sox & Co","score":"3"}`))
	req.Header.Set("Authorization", sendToken(s))
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	req.Header.Set("ServiceBusNotification-Format", "template")
	req.Header.Set("ServiceBusNotification-Tags", "sports")
	resp, err := s.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	for _, p := range s.Sends()[0].Payloads {
		fmt.Println(p.ID, p.Template, p.Platform, p.Handle)
		fmt.Println(" ", string(p.Body))
	}
	// Output:
	// 201 Created
	// iphone goal apple apns-device-token
	//   {"aps":{"alert":"Goal! Sox & Co","badge":3}}
	// surface goal windows https://wns.example/channel
	//   <toast><visual><binding template="ToastText01"><text id="1">Sox &amp; Co</text></binding></visual></toast>
}

// sendToken signs a token for the emulator's namespace with its full-rights
// key, as the service documents: HMAC-SHA256 of the URL-encoded audience, a
// newline and the expiry, keyed with the key text itself.
func sendToken(s *nhtest.Server) string {
	_, key, _ := strings.Cut(s.ConnectionString(), "SharedAccessKey=")
	sr := url.QueryEscape(strings.ToLower(s.URL() + "/"))
	se := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(sr + "\n" + se))
	sig := url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	return "SharedAccessSignature sr=" + sr + "&sig=" + sig + "&se=" + se + "&skn=" + nhtest.FullRuleName
}
