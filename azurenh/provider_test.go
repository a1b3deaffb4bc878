package azurenh_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/provider"
)

const providerKey = "cHJvdmlkZXIgdGVzdCBrZXksIG5vdCBhIHJlYWwgb25l"

func TestProviderRegistered(t *testing.T) {
	assert.Contains(t, provider.Names(), azurenh.ProviderName)
}

func TestProviderOpen(t *testing.T) {
	conn := "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Send;SharedAccessKey=" + providerKey + ";EntityPath=myhub"
	s, err := provider.Open(context.Background(), "azurenh", conn)
	require.NoError(t, err)
	c, ok := s.(*azurenh.Client)
	require.True(t, ok, "the Sender is a *azurenh.Client, %T", s)
	assert.Equal(t, "myhub", c.Hub())
}

func TestProviderOpenErrors(t *testing.T) {
	tests := map[string]string{
		"no EntityPath": "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Send;SharedAccessKey=" + providerKey,
		"no endpoint":   "SharedAccessKeyName=Send;SharedAccessKey=" + providerKey + ";EntityPath=myhub",
		"empty":         "",
	}
	for name, conn := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := provider.Open(context.Background(), "azurenh", conn)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "provider azurenh")
			assert.NotContains(t, err.Error(), providerKey)
		})
	}
}
