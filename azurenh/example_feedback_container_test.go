package azurenh_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// The feedback container holds the push services' refusals. List it with the
// Azure Storage REST API (here with net/http), read each blob with
// ParsePnsFeedback, and delete the devices whose handles are dead. The
// container URL carries a signature: never log it.
func ExampleClient_FeedbackContainerURL() {
	srv := nhtest.NewServer()
	defer srv.Close()
	srv.AddFeedback(nhtest.Feedback{Error: "ExpiredChannel", Platform: "windows",
		Handle: "https://db5p.notify.windows.com/?token=AwY", InstallationID: "kitchen-tablet"})
	client, err := azurenh.New(srv.ConnectionString(), srv.Hub(), azurenh.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	container, err := client.FeedbackContainerURL(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	names, err := blobNames(srv.Client(), container)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range names {
		base, query, _ := strings.Cut(container, "?")
		resp, err := srv.Client().Get(base + "/" + name + "?" + query)
		if err != nil {
			fmt.Println(err)
			return
		}
		for fb, err := range azurenh.ParsePnsFeedback(resp.Body) {
			if err != nil {
				fmt.Println(err)
				break
			}
			if fb.NotificationSystemError.DeadHandle() {
				fmt.Println("delete", fb.InstallationID, "-", fb.NotificationSystemError)
				if err := client.DeleteInstallation(ctx, fb.InstallationID); err != nil {
					fmt.Println(err)
				}
			}
		}
		resp.Body.Close()
	}
	// Output:
	// delete kitchen-tablet - ExpiredChannel
}

// blobNames lists a blob container with the Azure Storage REST API.
func blobNames(hc *http.Client, container string) ([]string, error) {
	resp, err := hc.Get(container + "&restype=container&comp=list")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var list struct {
		Names []string `xml:"Blobs>Blob>Name"`
	}
	err = xml.NewDecoder(resp.Body).Decode(&list)
	return list.Names, err
}
