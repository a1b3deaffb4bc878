package azurenh_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/provider"
)

const providerKey = "cHJvdmlkZXIgdGVzdCBrZXksIG5vdCBhIHJlYWwgb25l"

func TestProviderRegistered(t *testing.T) {
	assert.Contains(t, provider.Schemes(), azurenh.ProviderName)
}

func TestProviderOpen(t *testing.T) {
	conn := "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Send;SharedAccessKey=" + providerKey + ";EntityPath=myhub"
	t.Setenv("TEST_NH_CONN", conn)
	t.Setenv("TEST_NH_KEY", providerKey)
	keyFile := filepath.Join(t.TempDir(), "key")
	require.NoError(t, os.WriteFile(keyFile, []byte(providerKey+"\n"), 0o600))
	for _, c := range []struct{ url, hub string }{
		{"azurenh://?connection_string_env=TEST_NH_CONN", "myhub"},
		{"azurenh:///myhub?connection_string_env=TEST_NH_CONN", "myhub"},
		{"azurenh://contoso.servicebus.windows.net/news?key_name=Send&key_env=TEST_NH_KEY", "news"},
		{"azurenh://contoso.servicebus.windows.net/news?key_name=Send&key_file=" + keyFile + "&api_version=2020-06&test_send=true", "news"},
	} {
		s, err := provider.Open(context.Background(), c.url)
		require.NoError(t, err, c.url)
		cl, ok := s.(*azurenh.Client)
		require.True(t, ok, "the Sender is a *azurenh.Client, %T", s)
		assert.Equal(t, c.hub, cl.Hub())
		assert.NoError(t, s.Close())
	}
}

func TestProviderOpenErrors(t *testing.T) {
	t.Setenv("TEST_NH_CONN_NO_HUB", "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Send;SharedAccessKey="+providerKey)
	t.Setenv("TEST_NH_KEY", providerKey)
	tests := []struct{ name, url, says string }{
		{"no hub", "azurenh://?connection_string_env=TEST_NH_CONN_NO_HUB", "no hub name"},
		{"nothing", "azurenh://", "give the namespace as the URL's host"},
		{"connection string inline", "azurenh://?connection_string=Endpoint%3Dsb%3A%2F%2Fx%2F%3BSharedAccessKey%3D" + providerKey, "a secret is not written in the URL"},
		{"key inline", "azurenh://contoso.servicebus.windows.net/news?key_name=Send&key=" + providerKey, "a secret is not written in the URL"},
		{"no key name", "azurenh://contoso.servicebus.windows.net/news?key_env=TEST_NH_KEY", `parameter "key_name"`},
		{"no key", "azurenh://contoso.servicebus.windows.net/news?key_name=Send", `parameter "key"`},
		{"unset variable", "azurenh://contoso.servicebus.windows.net/news?key_name=Send&key_env=TEST_NH_UNSET", `the environment variable "TEST_NH_UNSET" is not set`},
		{"missing file", "azurenh://contoso.servicebus.windows.net/news?key_name=Send&key_file=/nonexistent/key", "it does not exist"},
		{"typo", "azurenh://contoso.servicebus.windows.net/news?key_name=Send&key_env=TEST_NH_KEY&test_sned=true", `unknown parameter "test_sned"`},
		{"bad bool", "azurenh://contoso.servicebus.windows.net/news?key_name=Send&key_env=TEST_NH_KEY&test_send=yes", `parameter "test_send": want true or false`},
		{"credentials in the URL", "azurenh://Send:" + providerKey + "@contoso.servicebus.windows.net/news", "holds credentials before its host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := provider.Open(context.Background(), tt.url)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.says)
			assert.NotContains(t, err.Error(), providerKey)
		})
	}
}
