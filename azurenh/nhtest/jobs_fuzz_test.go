package nhtest

import (
	"slices"
	"strings"
	"testing"
)

// FuzzReadJob reads any body as a job submission: it must not panic, and
// what it accepts has a known type and the URLs its type needs.
func FuzzReadJob(f *testing.F) {
	f.Add(`<entry><content><NotificationHubJob><Type>ExportRegistrations</Type><OutputContainerUri><![CDATA[https://x/c?sig=a&sp=w]]></OutputContainerUri></NotificationHubJob></content></entry>`)
	f.Add(`<entry><content><NotificationHubJob><Type>ImportCreateRegistrations</Type><OutputContainerUri>https://x/c</OutputContainerUri><ImportFileUri>https://x/f</ImportFileUri></NotificationHubJob></content></entry>`)
	f.Add(`<entry><content/></entry>`)
	f.Fuzz(func(t *testing.T, body string) {
		j, err := readJob([]byte(body))
		if err != nil {
			return
		}
		if !slices.Contains(jobTypes, j.Type) || !absoluteURL(j.OutputContainerURI) ||
			strings.HasPrefix(j.Type, "Import") != (j.ImportFileURI != "") {
			t.Fatalf("accepted %+v", j)
		}
	})
}
