package webpush_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/pushwire/push/webpush"
)

// ExampleGenerateVAPIDKey makes the key pair of an application server: the
// private key to keep as a secret, the public key for the page that
// subscribes.
func ExampleGenerateVAPIDKey() {
	key, err := webpush.GenerateVAPIDKey()
	if err != nil {
		log.Fatal(err)
	}
	pemBytes := key.PrivatePEM() // store it with the other secrets
	fmt.Println(string(bytes.SplitN(pemBytes, []byte("\n"), 2)[0]))
	fmt.Println(len(key.PublicKey()), "characters of applicationServerKey")

	again, err := webpush.ParseVAPIDKey(pemBytes)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(again.PublicKey() == key.PublicKey())
	// Output:
	// -----BEGIN PRIVATE KEY-----
	// 87 characters of applicationServerKey
	// true
}

// ExampleParseVAPIDKey reads a private key as web-push and webpush-go print
// it, derives its public key, and prints itself safely.
func ExampleParseVAPIDKey() {
	key, err := webpush.ParseVAPIDKey([]byte("QckpSf23zz0k2Ch21lfMUxxIOAqUiC57Q1QjMYEHNuU"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.PublicKey())
	fmt.Printf("%+v\n", key)
	// Output:
	// BIxYK08HdDKnirT80k5FVzQiUVvQinZbcumZSlt_RKMQzEZS61tUKMzKJFTZ_qrQz-FeD_kvIZBZYkQzqAReISE
	// VAPIDKey(public BIxYK08HdDKnirT80k5FVzQiUVvQinZbcumZSlt_RKMQzEZS61tUKMzKJFTZ_qrQz-FeD_kvIZBZYkQzqAReISE, private REDACTED)
}
