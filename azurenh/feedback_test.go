package azurenh_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh"
)

// feedbackBlob is a feedback blob as the service writes it, shaped like the
// documentation's example with values of our own: several documents, each
// declaring utf-16 on UTF-8 text, one pretty-printed, one on a single line with
// fields this package does not know and out of order.
const feedbackBlob = `<?xml version="1.0" encoding="utf-16"?>
<PnsFeedback xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect">
  <FeedbackTime>2031-07-27T20:47:10.8905532Z</FeedbackTime>
  <NotificationSystemError>ExpiredChannel</NotificationSystemError>
  <Platform>windows</Platform>
  <PnsHandle>https://db5p.notify.windows.com/?token=AwYAAAB1</PnsHandle>
  <InstallationId>kitchen-tablet</InstallationId>
  <NotificationId>215e3aba529b49da9b6d35c134147952-20310727204710-2001061088-1</NotificationId>
</PnsFeedback>
<?xml version="1.0" encoding="utf-16"?><PnsFeedback xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"><Platform>fcmv1</Platform><NotificationSystemError>RefreshToken</NotificationSystemError><FeedbackTime>2031-07-27T20:47:11Z</FeedbackTime><PnsHandle>old-token</PnsHandle><NewPnsHandle>new-token</NewPnsHandle><RegistrationId>8402</RegistrationId><Extra>ignored</Extra></PnsFeedback>
`

var wantFeedback = []azurenh.PnsFeedback{
	{FeedbackTime: time.Date(2031, 7, 27, 20, 47, 10, 890553200, time.UTC), NotificationSystemError: azurenh.PnsExpiredChannel,
		Platform: push.Windows, PnsHandle: "https://db5p.notify.windows.com/?token=AwYAAAB1", InstallationID: "kitchen-tablet",
		NotificationID: "215e3aba529b49da9b6d35c134147952-20310727204710-2001061088-1"},
	{FeedbackTime: time.Date(2031, 7, 27, 20, 47, 11, 0, time.UTC), NotificationSystemError: azurenh.PnsRefreshToken,
		Platform: push.FCMV1, PnsHandle: "old-token", NewPnsHandle: "new-token", RegistrationID: "8402"},
}

// readFeedback collects the records and errors of ParsePnsFeedback.
func readFeedback(r io.Reader) ([]azurenh.PnsFeedback, []error) {
	var records []azurenh.PnsFeedback
	var errs []error
	for fb, err := range azurenh.ParsePnsFeedback(r) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		records = append(records, fb)
	}
	return records, errs
}

func TestParsePnsFeedback(t *testing.T) {
	got, errs := readFeedback(strings.NewReader(feedbackBlob))
	require.Empty(t, errs)
	assert.Equal(t, wantFeedback, got)
}

func TestParsePnsFeedbackUTF16(t *testing.T) {
	got, errs := readFeedback(bytes.NewReader(utf16LE(feedbackBlob)))
	require.Empty(t, errs)
	assert.Equal(t, wantFeedback, got, "a blob really in UTF-16 reads the same")
}

func TestParsePnsFeedbackSkipsOtherElements(t *testing.T) {
	blob := `<Other><PnsFeedback><PnsHandle>inside another element: skipped</PnsHandle></PnsFeedback></Other>` +
		`<PnsFeedback><PnsHandle>h</PnsHandle></PnsFeedback>`
	got, errs := readFeedback(strings.NewReader(blob))
	require.Empty(t, errs)
	assert.Equal(t, []azurenh.PnsFeedback{{PnsHandle: "h"}}, got)
}

func TestParsePnsFeedbackBadRecordGoesOn(t *testing.T) {
	blob := `<PnsFeedback><FeedbackTime>yesterday</FeedbackTime></PnsFeedback><PnsFeedback><PnsHandle>next</PnsHandle></PnsFeedback>`
	got, errs := readFeedback(strings.NewReader(blob))
	require.Len(t, errs, 1)
	e := mgmtError(t, errs[0])
	assert.Equal(t, "azurenh: decode feedback", e.Op)
	assert.Nil(t, e.Kind)
	assert.Contains(t, errs[0].Error(), `FeedbackTime: time "yesterday" is not in RFC 3339 form`)
	assert.Equal(t, []azurenh.PnsFeedback{{PnsHandle: "next"}}, got)
}

func TestParsePnsFeedbackSyntaxErrorStops(t *testing.T) {
	blob := `<PnsFeedback><PnsHandle>first</PnsHandle></PnsFeedback><PnsFeedback><PnsHandle>broken</Pns` + `<PnsFeedback/>`
	got, errs := readFeedback(strings.NewReader(blob))
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "XML syntax error")
	assert.Equal(t, []azurenh.PnsFeedback{{PnsHandle: "first"}}, got)
}

func TestParsePnsFeedbackReadError(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(`<PnsFeedback><PnsHandle>a</PnsHandle></PnsFeedback>`), errReader{boom})
	got, errs := readFeedback(r)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], boom)
	assert.Len(t, got, 1)
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestParsePnsFeedbackStopsWhenAsked(t *testing.T) {
	n := 0
	for range azurenh.ParsePnsFeedback(strings.NewReader(feedbackBlob)) {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestEncodePnsFeedbackRoundTrip(t *testing.T) {
	blob, err := azurenh.EncodePnsFeedback(wantFeedback)
	require.NoError(t, err)
	checkMgmtGolden(t, "pns_feedback", blob)
	got, errs := readFeedback(bytes.NewReader(blob))
	require.Empty(t, errs)
	assert.Equal(t, wantFeedback, got)
}

func TestDeadHandle(t *testing.T) {
	dead := []azurenh.PnsError{azurenh.PnsBadChannel, azurenh.PnsExpiredChannel, azurenh.PnsInvalidToken, azurenh.PnsWrongToken, azurenh.PnsWrongChannel}
	alive := []azurenh.PnsError{azurenh.PnsRefreshToken, azurenh.PnsThrottled, azurenh.PnsUnavailable, azurenh.PnsInvalidCredentials,
		azurenh.PnsInvalidNotificationSize, azurenh.PnsChannelDisconnected, azurenh.PnsUnknownError, "SomethingNew"}
	for _, e := range dead {
		assert.True(t, e.DeadHandle(), e)
	}
	for _, e := range alive {
		assert.False(t, e.DeadHandle(), e)
	}
}

func TestParseFeedbackContainerURL(t *testing.T) {
	const container = "https://pushpnsfb5702abf7f71e31.blob.core.windows.net/00000000000297200840?sv=2014-02-14&sr=c&sig=c2lnbmF0dXJl%3D&se=2031-05-01T00%3A00%3A22Z&sp=rl"
	u, err := azurenh.ParseFeedbackContainerURL([]byte("  " + container + "\r\n"))
	require.NoError(t, err)
	assert.Equal(t, container, u.String())
	u, err = azurenh.ParseFeedbackContainerURL([]byte(`"` + container + `"`))
	require.NoError(t, err)
	assert.Equal(t, "pushpnsfb5702abf7f71e31.blob.core.windows.net", u.Host)

	_, err = azurenh.ParseFeedbackContainerURL([]byte("http://blob.example/c?sig=s3cr3t"))
	require.EqualError(t, err, `azurenh: decode feedback: the feedback container URL is not an absolute https URL (scheme "http")`)
	_, err = azurenh.ParseFeedbackContainerURL([]byte("https://host/%zz?sig=s3cr3t"))
	require.EqualError(t, err, "azurenh: decode feedback: the feedback container URL does not parse")
	assert.NotContains(t, err.Error(), "s3cr3t", "the signature never shows in an error")
}

func BenchmarkParsePnsFeedback(b *testing.B) {
	records := make([]azurenh.PnsFeedback, 1000)
	for i := range records {
		records[i] = wantFeedback[i%2]
	}
	blob, err := azurenh.EncodePnsFeedback(records)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(blob)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range azurenh.ParsePnsFeedback(bytes.NewReader(blob)) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != len(records) {
			b.Fatalf("read %d records, want %d", n, len(records))
		}
	}
}
