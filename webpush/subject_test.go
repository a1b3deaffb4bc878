package webpush

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckSubject(t *testing.T) {
	for _, sub := range []string{
		"mailto:ops@example.com",
		"mailto:web-push+alerts@shop.example.co.uk",
		"https://example.com",
		"https://example.com/contact",
		"https://push-admin.example.org:8443/about",
		"mailto:ops@8.8.8.8",
	} {
		assert.NoError(t, checkSubject(sub), sub)
	}
	for sub, want := range map[string]string{
		"":                             "empty",
		"ops@example.com":              "write mailto:ops@example.com",
		"http://example.com":           "must start with mailto: or https:",
		"MAILTO:ops@example.com":       "must start with mailto:",
		"mailto: <ops@example.com>":    "space",
		"mailto:Ops <ops@example.com>": "space",
		"mailto:<ops@example.com>":     "one plain address",
		"mailto:ops@example.com?x=1":   "one plain address",
		"mailto:a@b.com,c@d.com":       "one plain address",
		"mailto:ops":                   "not mailto:USER@DOMAIN",
		"mailto:@example.com":          "not mailto:USER@DOMAIN",
		"mailto:ops@localhost":         ".localhost",
		"mailto:ops@mac.local":         ".local",
		"mailto:ops@example.invalid":   ".invalid",
		"mailto:ops@shop.test":         ".test",
		"mailto:ops@intranet":          "without a dot",
		"mailto:ops@router.home.arpa":  ".home.arpa",
		"mailto:ops@127.0.0.1":         "not a public address",
		"mailto:ops@10.1.2.3":          "not a public address",
		"mailto:ops@exa_mple.com":      "not a host name",
		"https://localhost:8443/":      ".localhost",
		"https://[::1]/":               "not a public address",
		"https://user:pw@example.com/": "credentials",
		"https:example.com":            "not an https://HOST",
		"https://":                     "not an https://HOST",
		"mailto:ops@example.com\n":     "control character",
	} {
		err := checkSubject(sub)
		if assert.Error(t, err, sub) {
			assert.Contains(t, err.Error(), want, sub)
		}
	}
}
