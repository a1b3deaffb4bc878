package apns_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
)

func TestSendOne(t *testing.T) {
	f := newFixture(t)
	r, err := f.client.Send(t.Context(), alert(), push.Device(device(1)))
	require.NoError(t, err)
	require.Len(t, r.Results, 1)
	got := f.srv.Requests()
	require.Len(t, got, 1)
	assert.Equal(t, 200, got[0].Status, got[0].Reason)
	assert.Equal(t, got[0].ID, r.ID)
	assert.Equal(t, got[0].UniqueID, r.Results[0].TrackingID)
}
