package apns_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
)

// Certificate auth: the certificate and key as PEM files (or a .p12 from
// Keychain with ReadP12File). The topic comes from the certificate.
func Example_certificate() {
	srv := apnstest.NewServer()
	defer srv.Close()
	issued := srv.NewCertificate("com.example.app") // what the developer account hands out
	dir, _ := os.MkdirTemp("", "apns")
	defer os.RemoveAll(dir)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, issued.CertPEM, 0o600)
	os.WriteFile(keyFile, issued.KeyPEM, 0o600)

	cert, err := apns.ReadCertificateFiles(certFile, keyFile)
	if err != nil {
		fmt.Println(err)
		return
	}
	client, err := apns.New(apns.Sandbox, apns.Certificate(cert),
		apns.WithEndpoint(srv.URL()), apns.WithRootCAs(srv.RootCAs())) // leave these out to reach Apple
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	n, _ := push.AppleNotification(`{"aps":{"alert":"Hello"}}`)
	_, err = client.Send(context.Background(), n, push.Device(srv.NewDevice("")))
	fmt.Println("sent:", err == nil, "to", srv.Requests()[0].Header.Get("Apns-Topic"))
	// Output:
	// sent: true to com.example.app
}
