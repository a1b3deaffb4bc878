package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"

	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/azurenh/nhtest"
	"github.com/pushwire/push/fcm/fcmtest"
	"github.com/pushwire/push/webpush/webpushtest"
)

// emulator is one running service: how to stop it, its certificate, the
// other files a client needs (path to contents), and what to print.
type emulator struct {
	close       func()
	certificate []byte
	files       map[string][]byte
	banner      func(w io.Writer, certPath string)
}

// services starts each service on a listener.
var services = map[string]func(net.Listener, *slog.Logger, options) (*emulator, error){
	"azurenh": startNotificationHubs,
	"apns":    startAPNs,
	"fcm":     startFCM,
	"webpush": startWebPush,
}

func startNotificationHubs(l net.Listener, logger *slog.Logger, o options) (*emulator, error) {
	s := nhtest.NewServer(nhtest.WithListener(l), nhtest.WithHub(o.hub), nhtest.WithKey(o.key), nhtest.WithLogger(logger))
	return &emulator{close: s.Close, certificate: s.CertificatePEM(), banner: func(w io.Writer, cert string) {
		fmt.Fprintf(w, "Notification Hubs emulator on %s\n\n", s.URL())
		fmt.Fprintf(w, "hub:          %s\n", s.Hub())
		fmt.Fprintf(w, "full:         %s\n", s.ConnectionString())
		fmt.Fprintf(w, "listen only:  %s\n", s.ListenConnectionString())
		fmt.Fprintf(w, "send only:    %s\n", s.SendConnectionString())
		fmt.Fprintf(w, "certificate:  %s\n\n", cert)
	}}, nil
}

func startAPNs(l net.Listener, logger *slog.Logger, o options) (*emulator, error) {
	s := apnstest.NewServer(apnstest.WithListener(l), apnstest.WithLogger(logger))
	k := s.Key()
	keyFile := filepath.Join(os.TempDir(), "apnstest-AuthKey_"+k.KeyID+".p8")
	return &emulator{close: s.Close, certificate: s.CertificatePEM(), files: map[string][]byte{keyFile: k.PEM},
		banner: func(w io.Writer, cert string) {
			fmt.Fprintf(w, "APNs emulator on %s (HTTP/2 only)\n\n", s.URL())
			fmt.Fprintf(w, "team ID:      %s\n", k.TeamID)
			fmt.Fprintf(w, "key ID:       %s\n", k.KeyID)
			fmt.Fprintf(w, "key (.p8):    %s\n", keyFile)
			fmt.Fprintf(w, "topic:        %s (any hex device token is known; POST /3/device/TOKEN)\n", apnstest.DefaultTopic)
			fmt.Fprintf(w, "certificate:  %s\n", cert)
			fmt.Fprintf(w, "provider URL: apns://%s?key_file=%s&key_id=%s&team_id=%s&topic=%s\n\n",
				s.Addr(), url.QueryEscape(keyFile), k.KeyID, k.TeamID, apnstest.DefaultTopic)
		}}, nil
}

func startFCM(l net.Listener, logger *slog.Logger, o options) (*emulator, error) {
	s := fcmtest.NewServer(fcmtest.WithListener(l), fcmtest.WithLogger(logger))
	saFile := filepath.Join(os.TempDir(), "fcmtest-service-account.json")
	return &emulator{close: s.Close, certificate: s.CertificatePEM(), files: map[string][]byte{saFile: s.ServiceAccountJSON()},
		banner: func(w io.Writer, cert string) {
			fmt.Fprintf(w, "FCM emulator on %s\n\n", s.URL())
			fmt.Fprintf(w, "project:         %s (POST /v1/projects/%s/messages:send)\n", s.Project(), s.Project())
			fmt.Fprintf(w, "service account: %s (its token_uri is %s)\n", saFile, s.TokenURL())
			fmt.Fprintf(w, "certificate:     %s\n", cert)
			fmt.Fprintf(w, "provider URL:    fcm://%s?credentials_file=%s&endpoint=%s\n\n",
				s.Project(), url.QueryEscape(saFile), url.QueryEscape(s.URL()))
		}}, nil
}

func startWebPush(l net.Listener, logger *slog.Logger, o options) (*emulator, error) {
	s := webpushtest.NewServer(webpushtest.WithListener(l), webpushtest.WithLogger(logger))
	return &emulator{close: s.Close, certificate: s.CertificatePEM(), banner: func(w io.Writer, cert string) {
		fmt.Fprintf(w, "Web Push emulator on %s (a push service, and the browser that decrypts)\n\n", s.URL())
		fmt.Fprintf(w, "subscribe:    POST %s/subscribe (body {\"applicationServerKey\":\"KEY\"}, optional) answers with a subscription's JSON\n", s.URL())
		fmt.Fprintf(w, "certificate:  %s\n", cert)
		fmt.Fprintf(w, "provider URL: webpush://?vapid_private_key_file=PATH&subject=mailto:you@example.com\n\n")
	}}, nil
}
